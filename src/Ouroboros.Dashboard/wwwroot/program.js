// One program of a run: its source with C# highlighting, the line diff against the program it was
// made from, the adoption decision and reason when it was a candidate, its evaluations (per
// instance on demand) and the safety events it raised.
"use strict";

/** Highlighted source. Prism.highlight escapes the text it is given (&, <) before wrapping tokens in spans. */
function highlighted(source) {
  const code = el("code", { class: "language-csharp" });
  if (window.Prism && Prism.languages.csharp) code.innerHTML = Prism.highlight(source, Prism.languages.csharp, "csharp");
  else code.textContent = source;
  return el("pre", { class: "code source" }, code);
}

/** A unified line diff of parent → program, every line as text. */
function lineDiff(before, after) {
  const rows = [];
  let added = 0, removed = 0;
  for (const part of Diff.diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    const cls = part.added ? "add" : part.removed ? "del" : "same", mark = part.added ? "+ " : part.removed ? "- " : "  ";
    if (part.added) added += lines.length;
    if (part.removed) removed += lines.length;
    for (const line of lines) rows.push(el("div", { class: cls }, mark + line));
  }
  return el("div", {}, el("p", { class: "muted" }, `${added} lines added, ${removed} removed`), el("div", { class: "diff", id: "diff" }, rows));
}

function evaluationRows(runId, evaluations) {
  if (evaluations.length === 0) return el("p", { class: "muted" }, "No evaluations of this program in this run.");
  return table(["task", "split", "seeds", "utility", "statuses", "time (ms)", "instances"], evaluations.map(e => [
    e.task, e.split, e.seeds, num(e.utility), Object.entries(e.statuses).map(([k, n]) => `${k} ${n}`).join(", "), num(e.ms, 0),
    instancesToggle(runId, e),
  ]), { class: "evaluations" });
}

/** The per-instance rows of one evaluation, fetched when opened. */
function instancesToggle(runId, e) {
  const d = el("details", {}, el("summary", {}, `${e.count} instances`));
  d.addEventListener("toggle", async () => {
    if (!d.open || d.dataset.loaded) return;
    d.dataset.loaded = "1";
    const all = await api(`/api/runs/${encodeURIComponent(runId)}/evaluations?program=${encodeURIComponent(e.program)}`);
    const mine = all.find(x => x.task === e.task && x.split === e.split && x.seeds === e.seeds);
    d.append(table(["seed", "score", "status", "ms"], (mine ? mine.instances : []).map(i => [String(i.seed), num(i.score), i.status, num(i.ms, 1)])));
  });
  return d;
}

async function showProgram(runId, hash, target) {
  replace(target, el("p", { class: "muted" }, "loading " + short(hash) + "…"));
  let p;
  try { p = await api(`/api/runs/${encodeURIComponent(runId)}/programs/${encodeURIComponent(hash)}`); }
  catch (e) { replace(target, el("p", { class: "error" }, e.message)); return; }
  const decisions = p.iterations.map(i => el("div", { class: "decision", "data-adopted": String(i.adopted) },
    el("span", { class: "badge " + (i.adopted ? "role-adopted" : "role-rejected") }, i.adopted ? "adopted" : "rejected"),
    ` t = ${i.t} · val ${num(i.val)} · test ${num(i.test)} · `, el("span", { class: "reason-text" }, i.reason)));
  const body = el("div", {});
  const views = {
    diff: () => p.parentSource === null ? el("p", { class: "muted" }, "No parent to diff against: this is where the lineage starts.") : lineDiff(p.parentSource, p.source),
    source: () => highlighted(p.source),
  };
  const tabs = el("div", { class: "tabs" }, Object.keys(views).map(name => el("button", { "data-view": name, onclick: () => show(name) },
    name === "diff" ? "diff against parent" : "source")));
  function show(name) {
    for (const b of tabs.children) b.classList.toggle("on", b.dataset.view === name);
    replace(body, views[name]());
  }
  replace(target,
    el("h3", { id: "program-title" }, `${p.kind || "program"} `, el("span", { class: "hash" }, p.hash)),
    el("p", {}, "made from ", p.parent && p.parent !== p.hash
      ? el("a", { href: "#program=" + p.parent, class: "hash" }, short(p.parent)) : "nothing (a seed)",
      p.storedBy ? ` · first stored by ${p.storedBy}` : ""),
    decisions, tabs, body,
    el("h4", {}, "Evaluations"), evaluationRows(runId, p.evaluations),
    el("h4", {}, "Safety events it raised"), p.events.length === 0 ? el("p", { class: "muted" }, "none")
      : table(["kind", "detail", "at"], p.events.map(e => [e.kind, e.detail, when(e.at)])));
  show(p.parentSource === null ? "source" : "diff");
}
