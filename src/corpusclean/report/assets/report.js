// corpusclean's report page: draw the charts (vega-embed) and filter the documents.
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  var drawn = 0;
  var names = Object.keys(specs);
  names.forEach(function (id) {
    var spec = Object.assign({ config: { view: { stroke: null }, font: "system-ui, sans-serif" } }, specs[id]);
    // ast: expressions run in vega's interpreter, so the page needs no eval (see its CSP).
    vegaEmbed("#" + id, spec, { mode: "vega-lite", renderer: "svg", actions: false, ast: true })
      .then(function () {
        drawn += 1;
        document.getElementById(id).setAttribute("data-drawn", "true");
        if (drawn === names.length) {
          document.documentElement.setAttribute("data-charts-drawn", String(drawn));
          // Milliseconds from the start of loading to the last chart drawn (for measuring).
          document.documentElement.setAttribute("data-ready-ms", String(Math.round(performance.now())));
        }
      })
      .catch(recordError);
  });

  var docs = Array.prototype.slice.call(document.querySelectorAll("article.doc"));
  var ruleSelect = document.getElementById("rule-filter");
  var docInput = document.getElementById("doc-filter");
  var search = document.getElementById("search");
  var count = document.getElementById("match-count");
  var texts = docs.map(function (d) { return d.textContent.toLowerCase(); });

  function apply() {
    var rule = ruleSelect.value;
    var who = docInput.value.trim().toLowerCase();
    var words = search.value.trim().toLowerCase();
    var shown = 0;
    docs.forEach(function (d, i) {
      var head = (d.getAttribute("data-id") + " " + d.querySelector(".facts").textContent + " " + d.querySelector("h3").textContent).toLowerCase();
      var ok = (!rule || (" " + d.getAttribute("data-reasons") + " ").indexOf(" " + rule + " ") >= 0) &&
        (!who || head.indexOf(who) >= 0) && (!words || texts[i].indexOf(words) >= 0);
      d.hidden = !ok;
      if (ok) shown += 1;
    });
    document.querySelectorAll("mark.rm").forEach(function (m) {
      m.classList.toggle("dim", !!rule && m.getAttribute("data-reason") !== rule);
    });
    count.textContent = shown + " of " + docs.length + " documents";
  }
  ruleSelect.addEventListener("change", apply);
  docInput.addEventListener("input", apply);
  search.addEventListener("input", apply);
  document.querySelectorAll("a.pick-rule").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      ruleSelect.value = a.getAttribute("data-reason");
      apply();
      document.getElementById("documents").scrollIntoView();
    });
  });
  // A link to a document hidden by a filter clears the filters first.
  window.addEventListener("hashchange", function () {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var doc = target && target.closest("article.doc");
    if (doc && doc.hidden) {
      ruleSelect.value = ""; docInput.value = ""; search.value = "";
      apply();
      target.scrollIntoView();
    }
  });
})();
