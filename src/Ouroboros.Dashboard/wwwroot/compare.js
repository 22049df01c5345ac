// Two runs side by side: status, verdict, final and baseline, the iteration chart and table, model usage.
"use strict";

function column(r) {
  const u = r.modelUsage;
  return el("div", { class: "compare-run", "data-run": r.run },
    el("h2", {}, el("a", { href: "/run.html?id=" + encodeURIComponent(r.run) }, r.run), " ", badge(r.status)),
    el("p", {}, `${r.kind} · task ${r.task || "–"} · model ${r.model ?? "–"}`),
    r.verdict ? el("p", {}, el("strong", {}, r.verdict.line)) : null,
    table(["", "val", "test"], [
      ["final improver", r.final ? mean(r.iterations.find(i => i.t === r.final.t) || {}, "val") : "–", r.final ? mean(r.iterations.find(i => i.t === r.final.t) || {}, "test") : "–"],
      ["baseline", r.baseline ? mean(r.baseline, "val") : "–", r.baseline ? mean(r.baseline, "test") : "–"],
      ["u(s)", r.us ? num(r.us.val) : "–", r.us ? num(r.us.test) : "–"]]),
    r.iterations.length ? drawChart(r) : null,
    table(["t", "val û", "test û", "adopted"], r.iterations.map(i => [String(i.t), mean(i, "val"), mean(i, "test"), i.adopted ? "yes" : "no"])),
    table(["model calls", "completions", "tokens", "safety events"], [[String(u.calls), String(u.completions), String(u.tokensIn + u.tokensOut), String(r.safety.total)]]));
}

(async () => {
  const target = document.getElementById("compare");
  try {
    const runs = await Promise.all([query("a"), query("b")].map(id => api("/api/runs/" + encodeURIComponent(id || ""))));
    replace(target, runs.map(column));
  } catch (e) { replace(target, el("p", { class: "error" }, e.message)); }
})();
