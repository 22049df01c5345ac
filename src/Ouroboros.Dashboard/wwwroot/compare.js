// Two runs side by side (?a=RUN&b=RUN): status, verdict, final and baseline, the iteration chart and
// table, model usage. Or two improvers side by side (?a=RUN&pa=HASH&b=RUN&pb=HASH, from one run or two):
// each one's adoption decisions, and the line diff from the first to the second.
"use strict";

function improverColumn(runId, p) {
  return el("div", { class: "compare-improver", "data-hash": p.hash },
    el("h2", {}, el("a", { href: `/run.html?id=${encodeURIComponent(runId)}#program=${p.hash}`, class: "hash" }, short(p.hash))),
    el("p", {}, `${p.kind || "program"} of run ${runId}`, p.parent && p.parent !== p.hash ? ` · made from ${short(p.parent)}` : " · a seed"),
    p.iterations.length === 0 ? el("p", { class: "muted" }, "not scored as a candidate in this run")
      : table(["t", "val û", "test û", "decision", "reason"], p.iterations.map(i => [String(i.t), num(i.val), num(i.test),
          i.adopted ? "adopted" : "rejected", el("span", { class: "reason-text" }, i.reason)])));
}

async function compareImprovers(target) {
  const [a, b] = await Promise.all([["a", "pa"], ["b", "pb"]].map(([run, hash]) =>
    api(`/api/runs/${encodeURIComponent(query(run) || "")}/programs/${encodeURIComponent(query(hash) || "")}`)));
  document.querySelector("h1").textContent = "Compare improvers";
  replace(target, improverColumn(query("a"), a), improverColumn(query("b"), b));
  target.after(el("div", { id: "improver-diff" }, el("h2", {}, `${short(a.hash)} → ${short(b.hash)}`), lineDiff(a.source, b.source)));
}

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
    if (query("pa") && query("pb")) { await compareImprovers(target); return; }
    const runs = await Promise.all([query("a"), query("b")].map(id => api("/api/runs/" + encodeURIComponent(id || ""))));
    replace(target, runs.map(column));
  } catch (e) { replace(target, el("p", { class: "error" }, e.message)); }
})();
