// The journal grid: marks and attendance entered from the keyboard (or the touch palette), each cell saved on its own.
//
// A cell is a pupil × a lesson's work; the pupil's attendance code on the lesson (Н, Б, УП, ОП, ДО) is shown in each
// cell of the lesson (a lesson without works has one cell for it). Typing a mark saves that work's mark; typing a
// code saves the lesson's attendance.
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
  // The lesson of each column, and what each lesson allows (from the two header rows).
  var colLesson = Array.prototype.map.call(table.tHead.rows[1].cells, function (th) { return th.dataset.lesson; });
  var lessons = {};
  Array.prototype.forEach.call(table.tHead.rows[0].querySelectorAll("th[data-lesson]"), function (th) {
    lessons[th.dataset.lesson] = {
      attEdit: !!th.dataset.attEdit,
      attLock: th.dataset.attLock || "",
      substituted: !!th.querySelector(".jg-sub"),
    };
  });
  cells.forEach(function (row, r) {
    row.forEach(function (cell, c) {
      cell.tabIndex = -1;
      cell.dataset.r = r;
      cell.dataset.c = c;
      var first = cell.firstChild;
      cell.dataset.value = first && first.nodeType === 3 ? first.nodeValue : "";
    });
  });

  function lessonOf(cell) {
    return colLesson[+cell.dataset.c];
  }

  function pupilOf(cell) {
    return cell.parentNode.dataset.pupil;
  }

  // What a cell shows: its mark, then the lesson's attendance code.
  function render(cell) {
    cell.textContent = cell.dataset.value || "";
    if (cell.dataset.att) {
      var sup = document.createElement("sup");
      sup.className = "jg-a";
      sup.textContent = cell.dataset.att;
      if (cell.dataset.attTitle) sup.title = cell.dataset.attTitle;
      cell.appendChild(sup);
    }
  }

  function cellAt(r, c) {
    return cells[r] && cells[r][c] ? cells[r][c] : null;
  }

  function markKey(cell) {
    return "m:" + cell.dataset.work + ":" + pupilOf(cell);
  }

  function attKey(cell) {
    return "a:" + lessonOf(cell) + ":" + pupilOf(cell);
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

  var MARKS = { "1": "1", "2": "2", "3": "3", "4": "4", "5": "5", "з": "зач", "-": "незач" };
  var ATT = { "н": "absent", "б": "ill", "у": "excused", "д": "remote" };
  var LABELS = { absent: "Н", ill: "Б", excused: "УП", late: "ОП", remote: "ДО" };
  // The same letters by their place on the keyboard, so that they work while the layout is switched to Latin.
  var PLACES = { KeyP: "з", Minus: "-", KeyY: "н", Comma: "б", KeyE: "у", KeyL: "д", KeyJ: "о", KeyR: "к" };

  function say(message, kind) {
    if (!statusBox) return;
    statusBox.textContent = message || "";
    statusBox.className = "jg-status" + (kind ? " jg-" + kind : "");
  }

  function refuseMark(cell) {
    // Why not: off the list (the cell's title), no column yet, the column's lock (until when), or read-only.
    var head = cell.dataset.work && table.querySelector('thead th.jg-work[data-work="' + cell.dataset.work + '"]');
    if (!cell.dataset.work && !cell.classList.contains("jg-off") && lessons[lessonOf(cell)].attEdit) {
      say(text.noWork, "warn");
      return;
    }
    var closed = cell.parentNode.dataset.closed || "";
    say(cell.title || (head && head.dataset.lock) || closed || text.readonlyTitle, "warn");
    if (cell.dataset.work && !cell.classList.contains("jg-off")) {
      offerLate(cell, "work", !!((head && head.dataset.lock) || closed));
    }
  }

  // After a window closed, a change goes through a late-change request (R-F01), and a retake's mark through the
  // deputy's protocol (R-F05): links to their forms for the refused cell, next to the reason. Built with DOM methods
  // only (the URLs and texts come from the page). A lesson given to a substitute is not its teacher's to ask about.
  function offerLate(cell, kind, locked) {
    if (!statusBox) return;
    var query = kind === "work" ? "?work=" + encodeURIComponent(cell.dataset.work)
      : "?lesson=" + encodeURIComponent(lessonOf(cell));
    query += "&pupil=" + encodeURIComponent(pupilOf(cell));
    if (text.lateUrl && locked && !lessons[lessonOf(cell)].substituted) addLink(text.lateUrl + query, text.lateText);
    if (text.retakeUrl && kind === "work") addLink(text.retakeUrl + query, text.retakeText);
  }

  function addLink(href, label) {
    var link = document.createElement("a");
    link.href = href;
    link.className = "jg-late-link";
    link.textContent = label;
    statusBox.appendChild(document.createTextNode(" "));
    statusBox.appendChild(link);
  }

  function setValue(cell, value) {
    if (!cell.dataset.edit) { refuseMark(cell); return false; }
    if (cell.dataset.value === value && !jobs.has(markKey(cell))) return true;
    cell.dataset.value = value;
    render(cell);
    enqueue(markKey(cell), cell, "mark", { value: value });
    return true;
  }

  function mayTakeAttendance(cell) {
    var lesson = lessons[lessonOf(cell)];
    if (cell.classList.contains("jg-off") || !lesson.attEdit) {
      say(cell.title || lesson.attLock || text.readonlyTitle, "warn");
      if (!cell.classList.contains("jg-off")) offerLate(cell, "lesson", !!lesson.attLock);
      return false;
    }
    return true;
  }

  // The lesson's attendance of the pupil, shown at once in each of the lesson's cells of the row.
  function showAttendance(cell, label, title) {
    var lesson = lessonOf(cell);
    cells[+cell.dataset.r].forEach(function (other) {
      if (lessonOf(other) !== lesson) return;
      if (label) other.dataset.att = label; else delete other.dataset.att;
      if (title) other.dataset.attTitle = title; else delete other.dataset.attTitle;
      render(other);
    });
  }

  function setAttendance(cell, code, minutes) {
    if (!mayTakeAttendance(cell)) return false;
    showAttendance(cell, code ? LABELS[code] : "", "");
    enqueue(attKey(cell), cell, "att", { code: code, minutes: minutes || "" });
    return true;
  }

  function clearCell(cell) {
    if (cell.dataset.value) setValue(cell, "");
    else if (cell.dataset.att) setAttendance(cell, "");
    else if (!cell.dataset.edit) refuseMark(cell);
  }

  table.addEventListener("keydown", function (e) {
    var cell = e.target.closest ? e.target.closest("td.jg-cell") : null;
    if (!cell || e.ctrlKey || e.metaKey || e.altKey) return;
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (e.key.length === 1 && !MARKS[key] && !ATT[key] && key !== "о" && key !== "к" && PLACES[e.code]) {
      key = PLACES[e.code];
    }
    var handled = true;
    if (key === "ArrowRight") move(cell, 0, 1);
    else if (key === "ArrowLeft") move(cell, 0, -1);
    else if (key === "ArrowDown" || key === "Enter") move(cell, e.shiftKey && key === "Enter" ? -1 : 1, 0);
    else if (key === "ArrowUp") move(cell, -1, 0);
    else if (key === "Tab") handled = !!move(cell, 0, e.shiftKey ? -1 : 1); // at the grid's ends Tab leaves it
    else if (key === "Home") focusCell(cellAt(+cell.dataset.r, 0));
    else if (key === "End") focusCell(cellAt(+cell.dataset.r, cells[+cell.dataset.r].length - 1));
    else if (key === "Backspace" || key === "Delete") clearCell(cell);
    else if (key === "Escape") { hidePalette(); closeEditor(false); }
    else if (Object.prototype.hasOwnProperty.call(MARKS, key)) {
      if (setValue(cell, MARKS[key])) move(cell, 0, 1);
    } else if (Object.prototype.hasOwnProperty.call(ATT, key)) {
      // The next pupil on the same lesson: attendance is taken down the list.
      if (setAttendance(cell, ATT[key])) move(cell, 1, 0);
    } else if (key === "о") askLate(cell);
    else if (key === "к") askComment(cell);
    else handled = false;
    if (handled) e.preventDefault();
  });

  table.addEventListener("click", function (e) {
    var cell = e.target.closest ? e.target.closest("td.jg-cell") : null;
    if (cell) focusCell(cell);
  });

  table.addEventListener("dblclick", function (e) {
    var cell = e.target.closest ? e.target.closest("td.jg-cell") : null;
    if (cell && cell.dataset.value) askComment(cell);
  });

  // --- The small editor: the minutes of a lateness, a mark's comment -------------------------------------------

  var editor = document.getElementById("jg-editor");
  var editorInput = document.getElementById("jg-editor-input");
  var editorLabel = document.getElementById("jg-editor-label");
  var editing = null; // {cell, kind}

  function openEditor(cell, kind, label, value, attrs) {
    if (!editor) return;
    editing = { cell: cell, kind: kind };
    editorLabel.textContent = label;
    editorInput.type = attrs.type;
    editorInput.min = attrs.min || "";
    editorInput.max = attrs.max || "";
    editorInput.maxLength = attrs.maxLength || 524288;
    editorInput.value = value;
    editor.hidden = false;
    var box = cell.getBoundingClientRect();
    editor.style.top = Math.min(window.innerHeight - editor.offsetHeight - 8, box.bottom + 4) + "px";
    editor.style.left = Math.max(8, Math.min(window.innerWidth - editor.offsetWidth - 8, box.left)) + "px";
    editorInput.focus();
    editorInput.select();
  }

  function closeEditor(save) {
    if (!editor || !editing) return;
    var job = editing;
    editing = null;
    editor.hidden = true;
    if (save) {
      var value = editorInput.value.trim();
      if (job.kind === "late") {
        var minutes = parseInt(value, 10);
        if (minutes >= 1 && minutes <= 90) setAttendance(job.cell, "late", minutes);
      } else {
        job.cell.dataset.comment = value;
        job.cell.classList.toggle("jg-commented", !!value);
        enqueue(markKey(job.cell), job.cell, "mark", { value: job.cell.dataset.value, comment: value });
      }
    }
    focusCell(job.cell);
  }

  function askLate(cell) {
    if (!mayTakeAttendance(cell)) return;
    openEditor(cell, "late", text.lateMinutes, "5", { type: "number", min: 1, max: 90 });
  }

  function askComment(cell) {
    if (!cell.dataset.edit || !cell.dataset.value) { if (!cell.dataset.edit) refuseMark(cell); return; }
    openEditor(cell, "comment", text.commentLabel, cell.dataset.comment || "", { type: "text", maxLength: 300 });
  }

  if (editor) {
    editor.addEventListener("submit", function (e) { e.preventDefault(); closeEditor(true); });
    document.getElementById("jg-editor-cancel").addEventListener("click", function () { closeEditor(false); });
    editor.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); closeEditor(false); }
    });
  }

  // --- The touch palette --------------------------------------------------------------------------------------

  function showPalette(cell) {
    if (!palette) return;
    palette.hidden = !cell.dataset.edit && !lessons[lessonOf(cell)].attEdit;
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
      var button = e.target.closest("button");
      if (!button || !current) return;
      if (button.dataset.att === "late") askLate(current);
      else if (button.dataset.att) {
        if (setAttendance(current, button.dataset.att)) move(current, 1, 0);
      } else if (button.dataset.comment) askComment(current);
      else if (button.dataset.value === "") clearCell(current);
      else if (button.dataset.value && setValue(current, button.dataset.value)) move(current, 0, 1);
      if (!editing && current) current.focus({ preventScroll: true });
    });
  }

  // --- The save queue: one job per cell, the newest value wins ------------------------------------------------

  var jobs = new Map(); // "m:work:pupil" or "a:lesson:pupil" → {cell, kind, body, seq, inflight, failures, timer}

  function enqueue(key, cell, kind, fields) {
    var job = jobs.get(key) || { cell: cell, kind: kind, body: {}, seq: 0, inflight: false, failures: 0, timer: null };
    Object.keys(fields).forEach(function (name) { job.body[name] = fields[name]; }); // a comment waits with its mark
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
    var body = new URLSearchParams(job.body);
    body.set("pupil", pupilOf(job.cell));
    var url = job.kind === "mark"
      ? table.dataset.markUrl.replace("/0/", "/" + job.cell.dataset.work + "/")
      : table.dataset.attUrl.replace("/0/", "/" + lessonOf(job.cell) + "/");
    fetch(url, {
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
    if (job.kind === "mark") updateAverages(answer);
    if (job.seq !== seq) { send(key); return; } // typed again meanwhile: save the newer value
    jobs.delete(key);
    var error = "";
    if (job.kind === "mark") {
      showStored(job.cell, answer.querySelector("td.jg-cell"));
      error = job.cell.dataset.error;
    } else {
      var stored = answer.querySelector(".jg-att-answer");
      job.cell.classList.remove("jg-saving", "jg-unsaved");
      if (stored) {
        showAttendance(job.cell, stored.dataset.att, stored.dataset.title);
        error = stored.dataset.error || "";
      }
      job.cell.classList.toggle("jg-error", !!error);
    }
    if (status !== 200) say(error, "err");
    // Refused by a rule the page did not know (a window closed while it was open, a correction that needs the
    // director's approval, R-F07): the way to ask for the change.
    if (status === 409 && job.kind === "mark") offerLate(job.cell, "work", true);
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
    cell.dataset.value = stored.dataset.value || "";
    render(cell);
    ["jg-late", "jg-commented", "jg-error"].forEach(function (name) {
      cell.classList.toggle(name, stored.classList.contains(name));
    });
    cell.title = stored.title || "";
    if (stored.dataset.comment) cell.dataset.comment = stored.dataset.comment;
    else delete cell.dataset.comment;
    if (stored.dataset.error) cell.dataset.error = stored.dataset.error;
    else delete cell.dataset.error;
  }

  // A row's averages as the server read them; answers of one row come back in any order, so the latest reading
  // wins (it counts every mark saved before it, an earlier one may miss a neighbour's).
  function updateAverages(answer) {
    Array.prototype.forEach.call(answer.querySelectorAll("td[id]"), function (fresh) {
      var old = document.getElementById(fresh.id);
      if (!old) return;
      var at = fresh.dataset.at || "";
      var seen = old.dataset.at || "";
      // Nanosecond stamps of equal length compare as strings (numbers would lose their last digits).
      if (seen && (at.length < seen.length || (at.length === seen.length && at < seen))) return;
      old.textContent = fresh.textContent;
      if (at) old.dataset.at = at;
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
    var first = colLesson.indexOf(todayHead.dataset.lesson);
    if (first >= 0 && cells.length) start = cells[0][first] || null;
  }
  if (!start && cells.length) start = cells[0][0] || null;
  if (start) {
    start.tabIndex = 0;
    current = start;
    if (start.dataset.edit || lessons[lessonOf(start)].attEdit) {
      start.focus({ preventScroll: true });
      showPalette(start);
    }
  }
})();
