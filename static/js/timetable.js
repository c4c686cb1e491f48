// The timetable editor: once htmx has loaded a cell's or a lesson's form into the side panel, put the cursor in it,
// so that choosing a cell and typing follow each other without the mouse.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.requestConfig.verb !== "get") return;
    var field = document.querySelector("#tt-panel select, #tt-panel input:not([type=hidden])");
    if (field) field.focus();
  });
})();
