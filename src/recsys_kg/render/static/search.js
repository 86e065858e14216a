// Offline search over the index search-index.js defines (window.RECSYS_KG_INDEX): titles, method names,
// arXiv ids in any form (arXiv:2305.19860v2, an abs/pdf URL) and DOIs (with or without https://doi.org/).
(function () {
  "use strict";
  var index = window.RECSYS_KG_INDEX || [];
  var input = document.getElementById("q"), results = document.getElementById("results"),
      count = document.getElementById("count");
  function normalize(q) {
    q = q.trim().toLowerCase();
    q = q.replace(/^https?:\/\/(dx\.)?doi\.org\//, "").replace(/^doi:\s*/, "");
    q = q.replace(/^https?:\/\/arxiv\.org\/(abs|pdf)\//, "").replace(/^arxiv:\s*/, "").replace(/\.pdf$/, "");
    var arxiv = q.match(/^(\d{4}\.\d{4,5})(v\d+)?$/);
    return arxiv ? arxiv[1] : q;
  }
  function matches(entry, q) {
    // entry: [href, title, methods, arxiv, doi, year, venue]
    if (q === entry[3] || q === entry[4]) return true;
    return entry[1].toLowerCase().indexOf(q) >= 0 || entry[2].toLowerCase().indexOf(q) >= 0;
  }
  function show() {
    var q = normalize(input.value);
    results.textContent = "";
    if (q.length < 2) { count.textContent = index.length + " papers; type at least two characters."; return; }
    var found = index.filter(function (e) { return matches(e, q); });
    count.textContent = found.length + (found.length === 1 ? " paper" : " papers") + " found";
    found.slice(0, 100).forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e[0]; a.textContent = e[1];
      li.appendChild(a);
      var note = [e[2], e[6], e[5]].filter(Boolean).join(" · ");
      if (note) { var span = document.createElement("span"); span.className = "note"; span.textContent = " " + note; li.appendChild(span); }
      results.appendChild(li);
    });
  }
  input.addEventListener("input", show);
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) input.value = initial;
  show();
})();
