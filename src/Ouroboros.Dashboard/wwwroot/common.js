// Helpers every page uses. Store text (program sources, reasons, details) is hostile: it only ever
// reaches the page through textContent, never through innerHTML. The one exception is Prism's
// output in program.js, which Prism builds from escaped text.
"use strict";

/** An element with attributes and children; strings become text nodes, never markup. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** GET a JSON API path; an error answer becomes an Error carrying the API's message. */
async function api(path) {
  const r = await fetch(path, { cache: "no-store" });
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new Error((body && body.error) || `${r.status} ${r.statusText}`);
  return body;
}

function short(hash) { return hash ? String(hash).slice(0, 10) : ""; }

function num(x, digits = 3) { return x === null || x === undefined ? "–" : Number(x).toFixed(digits); }

/** A mean with its interval, as the report writes it: 0.800 [0.700, 0.900] (n = 5). */
function mean(o, name) {
  const m = o[name];
  if (m === null || m === undefined) return "–";
  const ci = o[name + "Ci95"];
  const n = o[name + "N"];
  return num(m) + (ci ? ` [${num(ci[0])}, ${num(ci[1])}]` : "") + (n !== undefined && n !== null ? ` (n = ${n})` : "");
}

function when(iso) { return iso ? iso.replace("T", " ").slice(0, 19) : ""; }

function badge(status) { return el("span", { class: "badge s-" + status, "data-status": status }, status); }

function query(name) { return new URLSearchParams(location.search).get(name); }

/** A table from column names and rows of cells (strings or elements). */
function table(columns, rows, attrs) {
  return el("table", attrs || {},
    el("thead", {}, el("tr", {}, columns.map(c => el("th", {}, c)))),
    el("tbody", {}, rows.map(r => el("tr", {}, r.map(c => el("td", {}, c))))));
}

function replace(node, ...children) {
  node.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined));
}
