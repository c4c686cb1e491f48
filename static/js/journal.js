// The journal grid: marks entered from the keyboard (or the touch palette), each cell saved on its own.
//
// Promise of DESIGN §6.2: the grid never loses a typed mark. Every change goes into a per-cell queue; a save that
// fails (no network, a server error, an expired session) leaves the cell marked "unsaved", is retried with a growing
// pause and at once when the browser is back online, and leaving the page while anything is unsaved asks first.
// A save the server refuses by a rule (409/422: the window closed, a pupil not on the list) is not retried: the
// cell shows what is stored and the reason.
(function () {
  "use strict";

  var table = document.querySelector("table.jg[data-mark-url]");
  if (!table) return;

  var scroller = table.closest(".jg-scroll");
  var statusBox = document.getElementById("jg-status");
  var palette = document.getElementById("jg-palette");
  var csrf = table.dataset.csrf;
  var text = table.dataset; // the page's translated messages
  var FIRST_RETRY_MS = 500;
  var LAST_RETRY_MS = 8000;

  // --- The cells as a matrix: rows of pupils × columns of works ---------------------------------------------

  var rows = Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return r.dataset.pupil; });
  var cells = rows.map(function (r) { return Array.prototype.slice.call(r.querySelectorAll("td.jg-cell")); });
  cells.forEach(function (row, r) {
    row.forEach(function (cell, c) {
      cell.tabIndex = -1;
      cell.dataset.r = r;
      cell.dataset.c = c;
    });
  });

  function cellAt(r, c) {
    return cells[r] && cells[r][c] ? cells[r][c] : null;
  }

  function keyOf(cell) {
    return cell.dataset.work + ":" + cell.parentNode.dataset.pupil;
  }

  // --- Focus and movement (one cell is in the page's tab order: the current one) ----------------------------

  var current = null;

  function focusCell(cell) {
    if (!cell) return;
    if (current) current.tabIndex = -1;
    current = cell;
    cell.tabIndex = 0;
    cell.focus({ preventScroll: true });
    keepVisible(cell);
    showPalette(cell);
  }

  // The pupil column is sticky: scroll so that the cell is not hidden under it.
  function keepVisible(cell) {
    var pupilWidth = table.tHead.rows[0].cells[0].offsetWidth;
    var left = cell.offsetLeft - pupilWidth;
    var right = cell.offsetLeft + cell.offsetWidth;
    if (left < scroller.scrollLeft) scroller.scrollLeft = left;
    else if (right > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = right - scroller.clientWidth;
    cell.scrollIntoView({ block: "nearest", inline: "nearest" });
    if (cell.offsetLeft - pupilWidth < scroller.scrollLeft) scroller.scrollLeft = cell.offsetLeft - pupilWidth;
  }

  function move(cell, dr, dc) {
    var r = +cell.dataset.r;
    var c = +cell.dataset.c;
    var width = cells[r].length;
    c += dc;
    // Moving right past a row's end goes on with the next pupil, as on paper.
    if (c >= width && dr === 0) { c = 0; r += 1; }
    if (c < 0 && dr === 0) { r -= 1; c = r >= 0 ? cells[r].length - 1 : 0; }
    r += dr;
    var next = cellAt(r, c);
    if (next) focusCell(next);
    return next;
  }

  // --- Entering values ----------------------------------------------------------------------------------------

  var KEYS = { "1": "1", "2": "2", "3": "3", "4": "4", "5": "5", "з": "зач", "н": "незач" };
  // «з» and «н» by their place on the keyboard too, so that they work while the layout is switched to Latin.
  var CODES = { KeyP: "зач", KeyY: "незач" };

  function say(message, kind) {
    if (!statusBox) return;
    statusBox.textContent = message || "";
    statusBox.className = "jg-status" + (kind ? " jg-" + kind : "");
  }

  function setValue(cell, value) {
    if (!cell.dataset.edit) {
      // Why not: off the list (the cell's title), or the column's lock (its header says until when), or read-only.
      var head = table.querySelector('thead th.jg-work[data-work="' + cell.dataset.work + '"]');
      say(cell.title || (head && head.dataset.lock) || text.readonlyTitle, "warn");
      return false;
    }
    if (cell.textContent.trim() === value && !jobs.has(keyOf(cell))) return true;
    cell.textContent = value;
    cell.dataset.value = value;
    enqueue(cell, value);
    return true;
  }

  table.addEventListener("keydown", function (e) {
    var cell = e.target.closest ? e.target.closest("td.jg-cell") : null;
    if (!cell || e.ctrlKey || e.metaKey || e.altKey) return;
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    var handled = true;
    if (key === "ArrowRight") move(cell, 0, 1);
    else if (key === "ArrowLeft") move(cell, 0, -1);
    else if (key === "ArrowDown" || key === "Enter") move(cell, e.shiftKey && key === "Enter" ? -1 : 1, 0);
    else if (key === "ArrowUp") move(cell, -1, 0);
    else if (key === "Tab") handled = !!move(cell, 0, e.shiftKey ? -1 : 1); // at the grid's ends Tab leaves it
    else if (key === "Home") focusCell(cellAt(+cell.dataset.r, 0));
    else if (key === "End") focusCell(cellAt(+cell.dataset.r, cells[+cell.dataset.r].length - 1));
    else if (key === "Backspace" || key === "Delete") setValue(cell, "");
    else if (key === "Escape") hidePalette();
    else if (Object.prototype.hasOwnProperty.call(KEYS, key) || CODES[e.code]) {
      if (setValue(cell, KEYS[key] || CODES[e.code])) move(cell, 0, 1);
    } else handled = false;
    if (handled) e.preventDefault();
  });

  table.addEventListener("click", function (e) {
    var cell = e.target.closest ? e.target.closest("td.jg-cell") : null;
    if (cell) focusCell(cell);
  });

  // --- The touch palette --------------------------------------------------------------------------------------

  function showPalette(cell) {
    if (!palette) return;
    palette.hidden = !cell.dataset.edit;
    document.body.style.paddingBottom = palette.hidden ? "" : palette.offsetHeight + "px";
  }

  function hidePalette() {
    if (!palette) return;
    palette.hidden = true;
    document.body.style.paddingBottom = "";
  }

  if (palette) {
    // Pressing a button must not take the focus away from the cell.
    palette.addEventListener("mousedown", function (e) { e.preventDefault(); });
    palette.addEventListener("click", function (e) {
      var button = e.target.closest("button[data-value]");
      if (!button || !current) return;
      var value = button.dataset.value;
      if (setValue(current, value) && value) move(current, 0, 1);
      else current.focus({ preventScroll: true });
    });
  }

  // --- The save queue: one job per cell, the newest value wins ------------------------------------------------

  var jobs = new Map(); // "work:pupil" → {cell, value, seq, inflight, failures, timer}

  function enqueue(cell, value) {
    var key = keyOf(cell);
    var job = jobs.get(key) || { cell: cell, seq: 0, inflight: false, failures: 0, timer: null };
    job.value = value;
    job.seq += 1;
    jobs.set(key, job);
    cell.classList.add("jg-saving");
    cell.classList.remove("jg-error");
    send(key);
  }

  function send(key) {
    var job = jobs.get(key);
    if (!job || job.inflight) return; // an answer still to come sends the newer value itself
    clearTimeout(job.timer);
    job.inflight = true;
    var seq = job.seq;
    var body = new URLSearchParams({ pupil: job.cell.parentNode.dataset.pupil, value: job.value });
    fetch(table.dataset.markUrl.replace("/0/", "/" + job.cell.dataset.work + "/"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        // Only our cell answers count: an expired session answers with the login page (status 200).
        if (!response.headers.get("X-Journal-Cell")) throw new Error("not a cell: " + response.status);
        if (response.status !== 200 && response.status !== 409 && response.status !== 422) {
          throw new Error("status " + response.status);
        }
        return response.text().then(function (html) { answered(key, seq, response.status, html); });
      })
      .catch(function () { failed(key); });
  }

  function answered(key, seq, status, html) {
    var job = jobs.get(key);
    job.inflight = false;
    job.failures = 0;
    var answer = parse(html);
    updateAverages(answer);
    if (job.seq !== seq) { send(key); return; } // typed again meanwhile: save the newer value
    jobs.delete(key);
    showStored(job.cell, answer.querySelector("td.jg-cell"));
    if (status !== 200) say(job.cell.dataset.error, "err");
    reportQueue();
  }

  function failed(key) {
    var job = jobs.get(key);
    job.inflight = false;
    job.failures += 1;
    job.cell.classList.remove("jg-saving");
    job.cell.classList.add("jg-unsaved");
    job.cell.title = text.unsavedTitle;
    var pause = Math.min(FIRST_RETRY_MS * Math.pow(2, job.failures - 1), LAST_RETRY_MS);
    job.timer = setTimeout(function () { send(key); }, pause);
    reportQueue();
  }

  function parse(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  // The cell as the server stored it (after a refusal, as it was), with its late mark, comment and reason.
  function showStored(cell, stored) {
    cell.classList.remove("jg-saving", "jg-unsaved");
    if (!stored) return;
    cell.textContent = stored.textContent;
    cell.dataset.value = stored.dataset.value || "";
    ["jg-late", "jg-commented", "jg-error"].forEach(function (name) {
      cell.classList.toggle(name, stored.classList.contains(name));
    });
    cell.title = stored.title || "";
    if (stored.dataset.error) cell.dataset.error = stored.dataset.error;
    else delete cell.dataset.error;
  }

  function updateAverages(answer) {
    Array.prototype.forEach.call(answer.querySelectorAll("td[id]"), function (fresh) {
      var old = document.getElementById(fresh.id);
      if (old) old.textContent = fresh.textContent;
    });
  }

  function unsavedCount() {
    var n = 0;
    jobs.forEach(function (job) { if (job.failures) n += 1; });
    return n;
  }

  function reportQueue() {
    var n = unsavedCount();
    if (n) say(text.unsavedCount.replace("{count}", n), "warn");
    else if (!jobs.size && statusBox && statusBox.classList.contains("jg-warn")) say(text.savedText, "");
  }

  // Back online: try every waiting cell now rather than at its next pause.
  window.addEventListener("online", function () {
    jobs.forEach(function (job, key) { if (!job.inflight) send(key); });
  });

  window.addEventListener("beforeunload", function (e) {
    if (!jobs.size) return undefined;
    e.preventDefault();
    e.returnValue = "";
    return "";
  });

  // For tests and the curious: how many cells wait for the server.
  window.ejJournal = { pending: function () { return jobs.size; }, unsaved: unsavedCount };

  // --- Today's lesson in view, its first cell ready for typing ----------------------------------------------

  var pupilWidth = table.tHead.rows[0].cells[0].offsetWidth;
  var todayHead = table.querySelector("thead th.jg-lesson.jg-today");
  var start = null;
  if (todayHead) {
    scroller.scrollLeft = Math.max(0, todayHead.offsetLeft - pupilWidth - 40);
    var firstWork = table.querySelector("thead th.jg-work.jg-today[data-work]");
    if (firstWork && cells.length) {
      start = cells[0].filter(function (c) { return c.dataset.work === firstWork.dataset.work; })[0] || null;
    }
  }
  if (!start && cells.length) start = cells[0][0] || null;
  if (start) {
    start.tabIndex = 0;
    current = start;
    if (start.dataset.edit) {
      start.focus({ preventScroll: true });
      showPalette(start);
    }
  }
})();
