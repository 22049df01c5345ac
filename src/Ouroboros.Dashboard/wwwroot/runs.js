// The runs page: every run with its status (running ones refreshed while the page is open),
// task, model, times, seed → final meta-utility, baseline and safety counts; filter, sort, compare.
"use strict";

const columns = [
  { name: "", key: null },
  { name: "run", key: r => r.id },
  { name: "kind", key: r => r.kind },
  { name: "status", key: r => r.status },
  { name: "progress", key: r => r.progress.evaluations },
  { name: "task", key: r => r.task || "" },
  { name: "model", key: r => String(r.model ?? "") },
  { name: "created", key: r => r.created },
  { name: "finished", key: r => r.finished || "" },
  { name: "seed → final (test)", key: r => r.final ? r.final.test : -1 },
  { name: "baseline (test)", key: r => r.baseline ? r.baseline.test ?? -1 : -1 },
  { name: "safety events", key: r => r.safety.total },
];

let runs = [];
let sortBy = 7, descending = true;
const selected = new Set();

function progressCell(r) {
  const p = r.progress;
  const text = p.iterationsPlanned !== null && p.iterationsPlanned !== undefined
    ? `iteration ${p.iterations}/${p.iterationsPlanned} · ${p.evaluations} evaluations` : `${p.evaluations} evaluations`;
  const bar = p.iterationsPlanned ? el("progress", { max: p.iterationsPlanned, value: p.iterations }) : null;
  return el("span", { "data-testid": "progress" }, bar, " ", text, r.phase ? el("div", { class: "phase", "data-testid": "phase" }, r.phase) : null, r.heartbeat ? el("span", { class: "muted" }, ` · heartbeat ${when(r.heartbeat)}`) : null);
}

function row(r) {
  const check = el("input", { type: "checkbox", checked: selected.has(r.id), onchange: e => {
    if (e.target.checked) selected.add(r.id); else selected.delete(r.id);
    document.getElementById("compare").disabled = selected.size !== 2;
  } });
  const safety = Object.entries(r.safety.byKind).map(([k, n]) => `${k} ${n}`).join(", ");
  return el("tr", { "data-run": r.id },
    el("td", {}, check),
    el("td", {}, el("a", { href: "/run.html?id=" + encodeURIComponent(r.id) }, r.id), r.error ? el("div", { class: "error" }, r.error) : null),
    el("td", {}, r.kind),
    el("td", {}, badge(r.status)),
    el("td", {}, progressCell(r)),
    el("td", {}, r.task || ""),
    el("td", {}, String(r.model ?? "")),
    el("td", {}, when(r.created)),
    el("td", {}, when(r.finished)),
    el("td", {}, r.seed && r.final ? `${num(r.seed.test)} → ${num(r.final.test)} (t = ${r.final.t})` : "–"),
    el("td", {}, r.baseline ? num(r.baseline.test) : "–"),
    el("td", { title: safety }, String(r.safety.total), safety ? el("div", { class: "muted" }, safety) : null));
}

function render() {
  const text = document.getElementById("filter").value.toLowerCase();
  const kind = document.getElementById("kind").value, status = document.getElementById("status").value;
  const shown = runs.filter(r => (!kind || r.kind === kind) && (!status || r.status === status)
    && (!text || [r.id, r.kind, r.task, String(r.model ?? ""), r.status].join(" ").toLowerCase().includes(text)));
  const key = columns[sortBy].key;
  shown.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (descending ? -1 : 1); });
  const head = el("tr", {}, columns.map((c, i) => c.key
    ? el("th", { class: "sortable", onclick: () => { descending = sortBy === i ? !descending : false; sortBy = i; render(); } },
        c.name + (sortBy === i ? (descending ? " ▼" : " ▲") : ""))
    : el("th", {}, c.name)));
  replace(document.getElementById("runs"), shown.length === 0
    ? el("p", { class: "muted" }, runs.length === 0 ? "No runs in this store yet." : "No run matches.")
    : el("table", { id: "runs-table" }, el("thead", {}, head), el("tbody", {}, shown.map(row))),
    el("p", { class: "muted" }, `${shown.length} of ${runs.length} runs`));
}

function fillSelect(id, values) {
  const s = document.getElementById(id), keep = s.value;
  replace(s, el("option", { value: "" }, id === "kind" ? "every kind" : "every status"), [...values].sort().map(v => el("option", { value: v }, v)));
  s.value = keep;
}

async function refresh() {
  try {
    runs = await api("/api/runs");
    fillSelect("kind", new Set(runs.map(r => r.kind)));
    fillSelect("status", new Set(runs.map(r => r.status)));
    render();
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    replace(document.getElementById("runs"), el("p", { class: "error" }, "Cannot read the runs: " + e.message));
  }
}

for (const id of ["filter", "kind", "status"]) document.getElementById(id).addEventListener("input", render);
document.getElementById("compare").addEventListener("click", () => {
  const [a, b] = [...selected];
  location.href = `/compare.html?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
});
refresh();
// Running runs move: poll while any is running; otherwise slowly, to notice new runs.
(function poll() { setTimeout(async () => { await refresh(); poll(); }, runs.some(r => r.status === "running") ? 2000 : 10000); })();
