// The run page: wires the sections to /api/runs/{id} and its sub-resources. A running run is
// re-read every two seconds (header, chart, lineage, events) until it stops running. The program
// panel follows the URL's #program=HASH, so lineage nodes and safety events link to programs.
"use strict";

const runId = query("id");
const path = `/api/runs/${encodeURIComponent(runId || "")}`;

function selectProgram(hash) { location.hash = "program=" + hash; }

function programFromHash() {
  const m = /^#program=([0-9a-fA-F]+)$/.exec(location.hash);
  if (!m) return;
  for (const b of document.querySelectorAll("ul.tree button")) b.classList.toggle("selected", b.dataset.hash === m[1]);
  showProgram(runId, m[1], document.getElementById("program"));
  document.getElementById("program").scrollIntoView();
}

function eventsSection(events) {
  if (events.length === 0) return el("p", { class: "muted" }, "No safety events.");
  return table(["kind", "program", "detail", "at"], events.map(e => [
    e.kind, el("a", { class: "hash event-program", href: "#program=" + e.program }, short(e.program)), e.detail, when(e.at)]), { id: "events-table" });
}

function evaluationsSection() {
  const d = el("details", { id: "all-evaluations" }, el("summary", {}, "Every evaluation of the run, with each instance"));
  d.addEventListener("toggle", async () => {
    if (!d.open || d.dataset.loaded) return;
    d.dataset.loaded = "1";
    const all = await api(path + "/evaluations");
    d.append(table(["program", "task", "split", "seeds", "utility", "statuses", "time (ms)"], all.map(e => [
      el("a", { class: "hash", href: "#program=" + e.program }, short(e.program)), e.task, e.split, e.seeds, num(e.utility),
      Object.entries(e.statuses).map(([k, n]) => `${k} ${n}`).join(", "), num(e.ms, 0)])));
  });
  return d;
}

async function refresh(first) {
  const [r, events] = await Promise.all([api(path), api(path + "/events")]);
  document.title = `${r.run} · Ouroboros`;
  replace(document.getElementById("head"), headSection(r));
  replace(document.getElementById("iterations-section"), iterationsSection(r));
  replace(document.getElementById("lineage-section"), drawLineage(r.lineage, selectProgram));
  replace(document.getElementById("events"), eventsSection(events));
  if (first) {
    replace(document.getElementById("evaluations"), el("p", {}, `${r.progress.evaluations} evaluations. `), evaluationsSection());
    replace(document.getElementById("usage"), usageSection(r, await api(path + "/ledger")));
    replace(document.getElementById("experiment"), experimentSection(r));
    replace(document.getElementById("config"), configSection(r));
  }
  document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  return r;
}

(async () => {
  if (!runId) { replace(document.getElementById("head"), el("p", { class: "error" }, "No run given: open a run from the runs page.")); return; }
  let r;
  try { r = await refresh(true); }
  catch (e) { replace(document.getElementById("head"), el("h1", {}, runId), el("p", { class: "error" }, e.message)); return; }
  window.addEventListener("hashchange", programFromHash);
  programFromHash();
  (function poll() {
    if (r.status !== "running") return;
    setTimeout(async () => { try { r = await refresh(false); } catch { /* the next poll tries again */ } poll(); }, 2000);
  })();
})();
