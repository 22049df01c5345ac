// The iteration chart: validation and test meta-utility per iteration with their 95% intervals,
// the budget-matched baseline as a band (its interval on test), and u(s) as a dashed line. Adopted
// candidates are filled, rejected ones hollow. Plain SVG: no chart library needed for one plot.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function drawChart(report) {
  const its = report.iterations;
  const W = 760, H = 320, L = 50, R = 210, T = 16, B = 36;
  const root = svg("svg", { class: "chart", id: "chart", width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "meta-utility per iteration" });
  const maxT = Math.max(1, ...its.map(i => i.t));
  const values = its.flatMap(i => [i.val, i.test, ...(i.valCi95 || []), ...(i.testCi95 || [])]).filter(v => v !== null);
  const b = report.baseline;
  if (b) values.push(...[b.test, ...(b.testCi95 || [])].filter(v => v !== null));
  const lo = Math.min(0, ...values), hi = Math.max(1, ...values);
  const x = t => L + (W - L - R) * t / maxT, y = v => T + (H - T - B) * (1 - (v - lo) / (hi - lo));

  for (let k = 0; k <= 4; k++) {
    const v = lo + (hi - lo) * k / 4;
    root.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e5e7eb" }), svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, v.toFixed(2)));
  }
  for (let t = 0; t <= maxT; t++) root.append(svg("text", { x: x(t), y: H - B + 16, "text-anchor": "middle" }, String(t)));
  root.append(svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle" }, "iteration t"));
  root.append(svg("text", { x: 12, y: T + (H - T - B) / 2, transform: `rotate(-90 12 ${T + (H - T - B) / 2})`, "text-anchor": "middle" }, "meta-utility"));

  const legend = [];
  if (b && b.test !== null) {
    const [bl, bh] = b.testCi95 || [b.test, b.test];
    root.append(svg("rect", { class: "baseline-band", x: L, width: W - L - R, y: y(bh), height: Math.max(2, y(bl) - y(bh)), fill: "#a855f7", "fill-opacity": 0.18 }));
    root.append(svg("line", { x1: L, x2: W - R, y1: y(b.test), y2: y(b.test), stroke: "#a855f7" }));
    legend.push(["#a855f7", "baseline (test)", "band"]);
  }
  const us = report.us && report.us.test;
  if (us !== null && us !== undefined) {
    root.append(svg("line", { class: "us-line", x1: L, x2: W - R, y1: y(us), y2: y(us), stroke: "#6b7280", "stroke-dasharray": "5 4" }));
    legend.push(["#6b7280", "u(s) (test)", "dash"]);
  }
  for (const [name, color, dx] of [["val", "#2563eb", -4], ["test", "#ea580c", 4]]) {
    const pts = its.filter(i => i[name] !== null);
    if (pts.length > 1) root.append(svg("polyline", { points: pts.map(i => `${x(i.t) + dx},${y(i[name])}`).join(" "), fill: "none", stroke: color, "stroke-width": 1.5 }));
    for (const i of pts) {
      const ci = i[name + "Ci95"];
      if (ci) root.append(svg("line", { x1: x(i.t) + dx, x2: x(i.t) + dx, y1: y(ci[0]), y2: y(ci[1]), stroke: color }));
      const dot = svg("circle", { class: "point", "data-t": i.t, "data-split": name, cx: x(i.t) + dx, cy: y(i[name]), r: 4.5, stroke: color, "stroke-width": 2, fill: i.adopted ? color : "#fff" });
      dot.append(svg("title", {}, `t = ${i.t} ${name} ${num(i[name])}${i.adopted ? " (adopted)" : " (rejected)"}`));
      root.append(dot);
    }
    legend.push([color, name === "val" ? "validation û" : "test û", "dot"]);
  }
  legend.push(["#374151", "filled adopted · hollow rejected", "none"]);
  legend.forEach(([color, label, mark], k) => {
    const ly = T + 10 + 20 * k, lx = W - R + 14;
    if (mark === "band") root.append(svg("rect", { x: lx, y: ly - 6, width: 16, height: 10, fill: color, "fill-opacity": 0.3 }));
    if (mark === "dash") root.append(svg("line", { x1: lx, x2: lx + 16, y1: ly, y2: ly, stroke: color, "stroke-dasharray": "5 4" }));
    if (mark === "dot") root.append(svg("circle", { cx: lx + 8, cy: ly, r: 4.5, fill: color }));
    root.append(svg("text", { x: lx + 22, y: ly + 4 }, label));
  });
  return root;
}
