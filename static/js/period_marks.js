// The period-marks page: "fill the empty cells with the forecasts" (nothing is saved until «Save»), and changed
// cells marked until they are saved. A «2» is never filled in where the school records an academic debt instead:
// the server refuses it there, and the teacher decides.
(function () {
  "use strict";
  var form = document.getElementById("pm-form");
  if (!form) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-forecast]"));
  function mark(select) {
    select.classList.toggle("pm-changed", select.value !== select.dataset.saved);
  }
  selects.forEach(function (select) {
    select.addEventListener("change", function () { mark(select); });
    mark(select);
  });
  var fill = document.getElementById("pm-fill");
  if (!fill || !selects.some(function (s) { return s.dataset.forecast && !s.value; })) return;
  fill.hidden = false;
  fill.addEventListener("click", function () {
    selects.forEach(function (select) {
      var forecast = select.dataset.forecast;
      if (select.value || !forecast || forecast === "2") return;
      select.value = forecast;
      mark(select);
    });
  });
})();
