// report.js - the viewer's keys, inlined into the page. Everything
// works without it (a trace shows by :target); it adds n/p to walk the
// traces, Escape to go back, and focus on the trace opened.
(function () {
  "use strict";
  var traces = Array.prototype.slice.call(
    document.querySelectorAll("section.trace"));
  function current() {
    var id = location.hash.slice(1);
    for (var i = 0; i < traces.length; i++)
      if (traces[i].id === id) return i;
    return -1;
  }
  function focusTarget() {
    var i = current();
    if (i >= 0) traces[i].focus();
  }
  window.addEventListener("hashchange", focusTarget);
  document.addEventListener("keydown", function (e) {
    var i = current();
    if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "n" && i + 1 < traces.length)
      location.hash = traces[i + 1].id;
    else if (e.key === "p" && i > 0)
      location.hash = traces[i - 1].id;
    else if (e.key === "Escape")
      location.hash = "traces";
  });
  focusTarget();
})();
