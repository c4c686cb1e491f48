// Small behaviours of our own beside htmx. Kept dependency-free.
(function () {
  "use strict";
  // Close the mobile menu when a link inside it is followed or the user clicks elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
