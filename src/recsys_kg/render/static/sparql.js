// A small SPARQL UI for `recsys-kg serve`: the canned queries (queries.js, window.RECSYS_KG_QUERIES) are
// preloaded; ?query=NAME opens one. Queries go to /query of the serving origin (union default graph).
(function () {
  "use strict";
  var queries = window.RECSYS_KG_QUERIES || {};
  var select = document.getElementById("canned"), text = document.getElementById("sparql"),
      status = document.getElementById("status"), output = document.getElementById("output");
  select.addEventListener("change", function () { if (queries[select.value]) text.value = queries[select.value]; });
  var name = new URLSearchParams(window.location.search).get("query");
  if (name && queries[name]) { select.value = name; text.value = queries[name]; }
  function cell(binding) {
    if (!binding) return "";
    return binding.type === "uri" ? binding.value : binding.value + (binding["xml:lang"] ? "@" + binding["xml:lang"] : "");
  }
  document.getElementById("run").addEventListener("click", function () {
    if (window.location.protocol === "file:") { status.textContent = "Serve the site with `recsys-kg serve --site DIR` to run queries."; return; }
    status.textContent = "running…"; output.textContent = "";
    fetch("/query", { method: "POST", headers: { "Content-Type": "application/sparql-query",
                                                   "Accept": "application/sparql-results+json" }, body: text.value })
      .then(function (r) { return r.ok ? r.json() : r.text().then(function (t) { throw new Error(t); }); })
      .then(function (data) {
        var vars = data.head.vars, rows = data.results.bindings, table = document.createElement("table");
        var head = table.insertRow();
        vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
        rows.forEach(function (b) { var tr = table.insertRow(); vars.forEach(function (v) { tr.insertCell().textContent = cell(b[v]); }); });
        output.appendChild(table);
        status.textContent = rows.length + " rows";
      })
      .catch(function (e) { status.textContent = "error: " + e.message; });
  });
})();
