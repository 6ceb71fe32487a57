// The query page of `chosaku serve`: loads the example queries, posts the query to /sparql and
// shows the answer. Every value is inserted as text (textContent), never as markup.
"use strict";

let prefixes = {};

function compact(iri) {
  let best = null;
  for (const [prefix, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
}

function cellText(term) {
  if (!term) return "";
  if (term.type === "uri") return compact(term.value);
  if (term.type === "bnode") return "_:" + term.value;
  return term.value + (term["xml:lang"] ? "@" + term["xml:lang"] : "");
}

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function showBindings(data, truncatedAt) {
  const result = document.getElementById("result");
  result.replaceChildren();
  if (typeof data.boolean === "boolean") {
    const p = document.createElement("p");
    p.textContent = "ASK → " + data.boolean;
    result.appendChild(p);
    setStatus("done");
    return;
  }
  const vars = data.head.vars;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const v of vars) row.insertCell().textContent = cellText(binding[v]);
  }
  result.appendChild(table);
  const n = data.results.bindings.length;
  setStatus(n + " row" + (n === 1 ? "" : "s") + (truncatedAt ? " (cut at the row limit of " + truncatedAt + ")" : ""));
}

async function run() {
  const query = document.getElementById("query").value;
  setStatus("running…");
  const started = performance.now();
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: new URLSearchParams({query: query}),
    });
  } catch (error) {
    setStatus("the endpoint did not answer: " + error, true);
    return;
  }
  const text = await response.text();
  if (!response.ok) {
    document.getElementById("result").replaceChildren();
    setStatus(response.status + ": " + text, true);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const type = response.headers.get("Content-Type") || "";
  if (type.startsWith("application/sparql-results+json")) {
    showBindings(JSON.parse(text), response.headers.get("X-Result-Limit-Reached"));
  } else {
    const pre = document.createElement("pre");
    pre.textContent = text;
    document.getElementById("result").replaceChildren(pre);
    setStatus("graph");
  }
  document.getElementById("status").textContent += " · " + seconds + " s";
}

async function init() {
  document.getElementById("run").addEventListener("click", run);
  const response = await fetch("/examples.json");
  const info = await response.json();
  prefixes = info.prefixes;
  document.getElementById("limits").textContent =
    "Each query may run for " + info.timeout + " s and return " + info.limit + " rows.";
  const select = document.getElementById("example");
  const byName = {};
  for (const example of info.examples) {
    byName[example.name] = example;
    const option = document.createElement("option");
    option.value = example.name;
    option.textContent = example.title + (example.title_ja ? " / " + example.title_ja : "");
    select.appendChild(option);
  }
  select.addEventListener("change", () => {
    const example = byName[select.value];
    if (!example) return;
    document.getElementById("query").value = example.text;
    document.getElementById("question").textContent =
      example.question + (example.question_ja ? " / " + example.question_ja : "");
  });
}

document.addEventListener("DOMContentLoaded", init);
