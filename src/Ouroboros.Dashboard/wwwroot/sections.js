// The run page's sections that render the report as it is: the header and verdict, transfers,
// the experiment's own tables (any experiment's, generically), model usage and the configuration.
"use strict";

function headSection(r) {
  const p = r.progress;
  return el("div", {},
    el("h1", {}, r.run, " ", badge(r.status)),
    el("p", {}, `${r.kind} run · task ${r.task || "–"} · model ${r.model ?? "–"} · created ${when(r.created)}`,
      r.finished ? ` · finished ${when(r.finished)}` : "",
      r.heartbeat ? ` · heartbeat ${when(r.heartbeat)}` : ""),
    el("p", { id: "run-progress", "data-testid": "progress" },
      p.iterationsPlanned ? [el("progress", { max: p.iterationsPlanned, value: p.iterations }), ` iteration ${p.iterations}/${p.iterationsPlanned} · `] : "",
      `${p.evaluations} evaluations`, r.phase ? el("span", { class: "phase" }, ` · ${r.phase}`) : ""),
    r.error ? el("p", { class: "error" }, "failed: " + r.error) : null,
    r.warning ? el("p", { class: "warning" }, r.warning) : null,
    r.verdict ? el("p", { id: "verdict" }, el("strong", {}, r.verdict.line)) : null,
    el("div", { class: "cards" },
      r.final ? card("final improver", `t = ${r.final.t}`, short(r.final.improver)) : null,
      r.baseline ? card("baseline (test)", mean(r.baseline, "test"), r.baseline.method) : null,
      r.us ? card("u(s)", `val ${num(r.us.val)} · test ${num(r.us.test)}`, "the seed solution") : null,
      card("safety events", String(r.safety.total), Object.entries(r.safety.byKind).filter(([, c]) => c.events > 0).map(([k, c]) => `${k} ${c.events}`).join(", ")),
      card("model calls", String(r.modelUsage.calls), `${r.modelUsage.completions} completions`)),
    r.replays.length ? el("div", { id: "replays" }, "Replays: ", r.replays.map(x => el("div", { "data-outcome": x.outcome || x.status },
      el("a", { href: "/run.html?id=" + encodeURIComponent(x.id) }, x.id), " ",
      x.outcome ? (x.outcome === "identical" ? "identical: every score and decision matches" : `${x.outcome}: ${(x.mismatches || []).join("; ")}`) : `(${x.status})`))) : null);
}

function card(title, value, note) {
  return el("div", { class: "card" }, el("div", { class: "muted" }, title), el("div", { class: "v" }, value), note ? el("div", { class: "muted" }, note) : null);
}

function iterationsSection(r) {
  if (r.iterations.length === 0) return null;
  return el("div", {},
    el("h2", {}, "Iterations"),
    drawChart(r),
    table(["t", "improver", "val û", "test û", "adopted", "reason", ""], r.iterations.map(i => [
      String(i.t), el("a", { href: "#program=" + i.improver, class: "hash" }, short(i.improver)), mean(i, "val"), mean(i, "test"),
      i.adopted ? "yes" : "no", i.reason,
      r.final && r.final.improver !== i.improver ? el("a", { class: "compare-final", href: "/compare.html?a=" + encodeURIComponent(r.run) + "&pa=" + i.improver
        + "&b=" + encodeURIComponent(r.run) + "&pb=" + r.final.improver }, "compare with the final improver") : ""])),
    r.adoptionTest ? el("p", { class: "muted" }, "Adoption test: " + r.adoptionTest) : null);
}

/** Transfers and the experiment's own tables: whatever an experiment contributes to the report appears here. */
function experimentSection(r) {
  const parts = [];
  for (const t of r.transfers) {
    parts.push(el("h2", {}, `Transfer of ${short(t.improver)} (${t.run})`),
      table(["task", "u(s) val", "u(s) test", "seed û val", "seed û test", "improved û val", "improved û test"], t.rows.map(x => [
        x.task, num(x.us.val), num(x.us.test), mean(x.seed, "val"), mean(x.seed, "test"), mean(x.improved, "val"), mean(x.improved, "test")])));
  }
  for (const t of r.experimentTables) {
    parts.push(el("h2", { class: "experiment-table" }, t.title), t.caption ? el("p", { class: "muted" }, t.caption) : null,
      table(t.columns, t.rows.map(row => row.map(runLink))), t.note ? el("p", { class: "muted" }, t.note) : null);
  }
  return parts;
}

/** A cell that is a run's id (a sweep's points, say) links to that run's page; any other cell stays text. */
function runLink(cell) {
  return typeof cell === "string" && /^[a-z]+-\d{8}-\d{6}-[0-9a-f]{4}(-p\d+)?$/.test(cell)
    ? el("a", { href: "/run.html?id=" + encodeURIComponent(cell), class: "run-link" }, cell) : cell;
}

function usageSection(r, ledger) {
  const u = r.modelUsage, s = ledger.summary, lat = s.latencyMs;
  const faults = Object.entries(u.faults);
  return el("div", {},
    el("p", { class: "muted" }, u.window),
    table(["calls", "completions", "tokens in", "tokens out", "cost", "latency p50 / p90 / p99 / max (ms)", "critical path"], [[
      String(u.calls), String(u.completions), String(u.tokensIn) + (u.tokensEstimated ? " (estimated)" : ""), String(u.tokensOut),
      u.priced ? "$" + num(u.costUsd, 4) : "no price", `${num(lat.p50, 0)} / ${num(lat.p90, 0)} / ${num(lat.p99, 0)} / ${num(lat.max, 0)}`,
      u.criticalPath === null ? "–" : `${u.criticalPath} round trips`]], { id: "usage-table" }),
    u.byLevel.length ? table(["level", "calls", "completions", "tokens in", "tokens out"], u.byLevel.map(l => [String(l.level), String(l.calls), String(l.completions), String(l.tokensIn), String(l.tokensOut)])) : null,
    u.phases.length ? table(["phase", "calls", "completions", "critical path"], u.phases.map(p => [p.phase, String(p.calls), String(p.completions), p.criticalPath === null ? "–" : String(p.criticalPath)])) : null,
    el("h4", {}, "Faults by kind"),
    faults.length ? table(["fault", "failed calls", "retried"], faults.map(([k, f]) => [k, String(f.failed), String(f.retried)])) : el("p", { class: "muted" }, "none"),
    el("p", { class: "muted" }, "Outcomes: " + Object.entries(s.outcomes).map(([k, n]) => `${k} ${n}`).join(", ")));
}

function configSection(r) {
  const id = encodeURIComponent(r.run);
  return el("div", {},
    el("p", {}, el("a", { id: "config-download", href: `/api/runs/${id}/config?download=1`, download: `${r.run}.config.json` }, "Download the configuration"),
      r.reproduce ? [" — reproduce with ", el("code", {}, r.reproduce)] : ""),
    el("pre", { class: "code" }, JSON.stringify(r.config, null, 2)));
}
