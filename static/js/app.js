// Small behaviours of our own beside htmx. Kept dependency-free. The Content-Security-Policy allows no inline
// script and no inline event handler (onclick=, onchange=…): a template marks an element with a data- attribute and
// the behaviour lives here, delegated from the document so that parts swapped in by htmx get it too.
(function () {
  "use strict";
  // Keep the current section visible in the sideways-scrolling navigation of a phone.
  document.addEventListener("DOMContentLoaded", function () {
    var current = document.querySelector('.mainnav a[aria-current="page"]');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest", inline: "nearest" });
  });

  // <select data-autosubmit>: choosing a value sends its form (the language, the school).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) select.form.submit();
  });

  // <input type="checkbox" data-check-all="NAME">: ticks or clears every box named NAME in its form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box.matches && box.matches("input[type=checkbox][data-check-all]")) || !box.form) return;
    var name = box.getAttribute("data-check-all");
    Array.prototype.forEach.call(box.form.querySelectorAll("input[type=checkbox]"), function (other) {
      if (other.name === name) other.checked = box.checked;
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    // <button data-print>: the browser's print dialog.
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    // <button type="submit" data-busy-ms="N">: after the form has been sent, the button rests N milliseconds, so
    // that a second click does not build the same PDF again while the first is on its way.
    var busy = target.closest("button[data-busy-ms]");
    if (busy) {
      var pause = parseInt(busy.getAttribute("data-busy-ms"), 10) || 0;
      setTimeout(function () {
        busy.disabled = true;
        setTimeout(function () { busy.disabled = false; }, pause);
      });
    }
  });
})();
