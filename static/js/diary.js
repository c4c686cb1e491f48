// The diary's week: bring today's card into view when the page opens (the week starts on Monday, today may be
// Friday, far down a phone's screen). A link with its own #anchor keeps the browser's own scrolling.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash) return;
    var today = document.getElementById("today");
    if (!today || !today.scrollIntoView) return;
    var box = today.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) today.scrollIntoView({ block: "start" });
  });
})();
