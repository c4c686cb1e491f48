// Small behaviours of our own beside htmx. Kept dependency-free.
(function () {
  "use strict";
  // Keep the current section visible in the sideways-scrolling navigation of a phone.
  document.addEventListener("DOMContentLoaded", function () {
    var current = document.querySelector('.mainnav a[aria-current="page"]');
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest", inline: "nearest" });
  });
})();
