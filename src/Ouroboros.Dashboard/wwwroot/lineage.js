// The lineage tree: the seed improver at the root, each improver under the one that produced it,
// with its role (adopted, rejected, proposal), its meta-utility and the adoption test's reason on
// the edge. Clicking an improver opens its source and diff (program.js).
"use strict";

function drawLineage(lineage, onSelect) {
  if (!lineage || lineage.tree.length === 0) return el("p", { class: "muted" }, "This run has no lineage.");
  const node = n => {
    const it = n.iterations[n.iterations.length - 1];
    const label = el("button", { class: "improver", "data-hash": n.improver, "data-role": n.role, onclick: () => onSelect(n.improver) },
      el("span", { class: "hash" }, short(n.improver)), " ", el("span", { class: "badge role-" + n.role }, n.role),
      it ? ` t = ${n.iterations.map(i => i.t).join(", ")} · val ${num(it.val)} · test ${num(it.test)}` : "",
      ` · ${n.solutions} solutions`);
    return el("li", {}, label, it ? el("span", { class: "reason" }, it.reason) : null,
      n.children.length ? el("ul", {}, n.children.map(node)) : null);
  };
  return el("div", {},
    el("p", { class: "muted" }, `${lineage.improvers} improvers, ${lineage.solutions} solutions; final improver ${short(lineage.final) || "–"}`
      + (lineage.best ? `; best solution ${short(lineage.best.solution)} (val ${num(lineage.best.val)}, test ${num(lineage.best.test)})` : "")),
    el("ul", { class: "tree", id: "lineage" }, lineage.tree.map(node)));
}
