"""The journal grid's table head and body as HTML, written here rather than in the template language.

A quarter's grid has ~1,500 cells and ~100 header cells with a dozen attributes each: through templates every lookup
of a dataclass attribute is tried as a dict key first, and that cost more than everything else of the page together
(the `journal_grid` bench row). Every value from the database goes through `escape`; the markup is the one the
page's script (static/js/journal.js) and the cell answers (_cell.html, _attendance.html) use.
"""

import datetime
import html

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import Mark
from .selectors import FAILING, Grid

# The cell values are a few known strings: escaped once here rather than ~1,500 times a page.
_VALUES = {value: escape(value) for value in Mark.Value.values}


def _e(value: str) -> str:
    """Escape a string for HTML text or a quoted attribute (Django's escape without its lazy-string wrapper: it is
    called for every cell)."""
    return html.escape(value, quote=True)


def _dm(day: datetime.date) -> str:
    return f"{day.day:02d}.{day.month:02d}"


def _avg(value) -> str:
    return number_format(value, 2) if value is not None else ""


def _urls(grid: Grid) -> None:
    """The headers' links, from one reverse each (a reverse per lesson and column costs more than the grid)."""
    lesson_url = reverse("schedule:lesson_detail", args=[0])
    add_url = reverse("gradebook:work_add", args=[0])
    taken_url = reverse("gradebook:attendance_taken", args=[0])
    remove_url = reverse("gradebook:work_remove", args=[0])
    edit_url = reverse("gradebook:work_edit", args=[0])
    for lesson in grid.lessons:
        lesson.url = lesson_url.replace("/0/", f"/{lesson.id}/")
        lesson.add_url = add_url.replace("/0/", f"/{lesson.id}/")
        lesson.taken_url = taken_url.replace("/0/", f"/{lesson.id}/")
        for column in lesson.columns:
            if column.work_id is not None:
                column.remove_url = remove_url.replace("/0/", f"/{column.work_id}/")
                column.edit_url = edit_url.replace("/0/", f"/{column.work_id}/")


def table_head(grid: Grid, *, today: datetime.date, can_add: bool) -> SafeString:
    """The two header rows: a lesson's date (its page, substitution, homework, attendance taken or the «all
    present» button, «+» for a new column) over its works' columns (kind, weight, lock, «×»)."""
    _urls(grid)
    topic_word, homework_word, no_topic = escape(_("Topic")), escape(_("Homework")), escape(_("no topic yet"))
    sub_title, sub_word = escape(_("Substitution")), escape(_("sub"))
    taken_title, all_present = escape(_("Attendance taken")), escape(_("All present: the attendance is taken"))
    add_title, remove_title, weight_word = escape(_("Add a column")), escape(_("Remove the column")), _("weight")
    pupil_word = escape(_("Pupil"))  # (marked outside the f-strings: xgettext does not read calls inside them)
    first = [f'<tr><th rowspan="2" scope="col" class="jg-pupil">{pupil_word}</th>']
    second = ["<tr>"]
    for lesson in grid.lessons:
        css = "jg-lesson"
        if lesson.id == grid.today_lesson_id:
            css += " jg-today"
        if lesson.date == today:
            css += " jg-is-today"
        if not lesson.topic and lesson.date <= today:
            css += " jg-notopic"
        title = f"{topic_word}: {escape(lesson.topic) if lesson.topic else no_topic}"
        if lesson.homework:
            title += f"&#10;{homework_word}: {escape(Truncator(lesson.homework).chars(200))}"
        attrs = f'colspan="{lesson.span}" scope="colgroup" id="lesson-{lesson.id}" data-lesson="{lesson.id}"'
        if lesson.att_editable:
            attrs += ' data-att-edit="1"'
        if lesson.att_lock:
            attrs += f' data-att-lock="{escape(lesson.att_lock)}"'
        day = _dm(lesson.date)
        inner = f'<a href="{lesson.url}" class="jg-date">{day}</a>'
        if lesson.substituted:
            inner += f' <span class="jg-sub" title="{sub_title}">{sub_word}</span>'
        if lesson.homework:
            inner += ' <span class="jg-hw" aria-hidden="true">д/з</span>'
        if lesson.taken:
            inner += f' <span class="jg-taken" title="{taken_title}" aria-label="{taken_title}">✓</span>'
        elif lesson.att_editable and lesson.date <= today:
            inner += (
                f' <button type="submit" form="jg-taken-form" formaction="{lesson.taken_url}" class="link jg-take"'
                f' title="{all_present}" aria-label="{all_present} {day}">✓?</button>'
            )
        if lesson.editable and can_add:
            inner += (
                f' <button type="submit" form="jg-add-form" formaction="{lesson.add_url}" class="link jg-add"'
                f' title="{add_title}" aria-label="{add_title} {day}">+</button>'
            )
        first.append(f'<th {attrs} class="{css}" title="{title}">{inner}</th>')
        today_css = " jg-today" if lesson.id == grid.today_lesson_id else ""
        for column in lesson.columns:
            if column.work_id is None:
                second.append(f'<th scope="col" class="jg-work jg-nowork{today_css}" data-lesson="{lesson.id}">—</th>')
                continue
            title = escape(column.name)
            if column.title:
                title += f": {escape(column.title)}"
            title += f" · {weight_word} {number_format(column.weight.normalize())}"
            attrs = f'scope="col" class="jg-work{today_css}" data-lesson="{lesson.id}" data-work="{column.work_id}"'
            if column.lock_reason:
                lock = escape(column.lock_reason)
                attrs += f' data-lock="{lock}"'
                title += f" · {lock}"
            inner = escape(column.short)
            if column.editable:
                inner = f'<a href="{column.edit_url}" class="jg-kind">{inner}</a>'
            if column.editable and not column.has_marks:
                inner += (
                    f' <button type="submit" form="jg-remove-form" formaction="{column.remove_url}"'
                    f' class="link jg-remove" title="{remove_title}" aria-label="{remove_title}">×</button>'
                )
            second.append(f'<th {attrs} title="{title}">{inner}</th>')
    avg_title, avg_word = escape(_("Average mark")), escape(_("Avg."))
    wavg_title, wavg_word = escape(_("Weighted average mark")), escape(_("W. avg."))
    first.append(
        f'<th rowspan="2" scope="col" class="jg-avg" title="{avg_title}">{avg_word}</th>'
        f'<th rowspan="2" scope="col" class="jg-wavg" title="{wavg_title}">{wavg_word}</th>'
    )
    if grid.attested:
        # The period's forecast next to its mark (R-E13, R-E03); the marks are set on the period-marks page.
        url = reverse("gradebook:period_marks", args=[grid.course.pk])
        fc_title, fc_word = escape(_("Forecast: the weighted average rounded")), escape(_("Fcst."))
        pm_title, pm_word = escape(_("Mark for the period")), escape(_("Period"))
        first.append(
            f'<th rowspan="2" scope="col" class="jg-fc" title="{fc_title}">{fc_word}</th>'
            f'<th rowspan="2" scope="col" class="jg-pm" title="{pm_title}"><a href="{url}">{pm_word}</a></th>'
        )
    first.append("</tr>")
    second.append("</tr>")
    return mark_safe("".join(first) + "".join(second))  # noqa: S308 - every value above is escaped


def table_body(grid: Grid) -> SafeString:
    """A row per pupil: the name, a cell per column (its mark, the lesson's attendance code, its state), the
    averages."""
    off = escape(_("The pupil was not on the list on this date"))
    closed = escape(
        _(
            "The pupil's mark for the period is set: the period's marks are closed to the teacher (seed 004 §5.2). "
            "A change now needs a late-change request."
        )
    )
    few = _("Fewer marks than an objective period mark needs: %(count)s")
    rows = []
    for number, row in enumerate(grid.rows, start=1):
        pupil = row.pupil
        tr = f'<tr data-pupil="{pupil.pk}" data-closed="{closed}">' if row.closed else f'<tr data-pupil="{pupil.pk}">'
        parts = [
            f'{tr}<th scope="row" class="jg-pupil{" jg-partial" if row.partial else ""}">'
            f"{number}. {_e(pupil.last_name)} {_e(pupil.first_name)}</th>"
        ]
        for cell in row.cells:
            column = cell.column
            attrs = f'class="{cell.css}"' if column.work_id is not None else f'class="{cell.css} jg-blank"'
            if column.work_id is not None:
                attrs += f' data-work="{column.work_id}"'
            if cell.editable:
                attrs += ' data-edit="1"'
            elif cell.off:
                attrs += f' title="{off}"'
            if cell.comment:
                attrs += f' data-comment="{_e(cell.comment)}"'
            content = _VALUES.get(cell.value) or _e(cell.value)
            if cell.att:
                attrs += f' data-att="{cell.att}"'
                content += f'<sup class="jg-a" title="{_e(cell.att_title)}">{cell.att}</sup>'
            parts.append(f"<td {attrs}>{content}</td>")
        parts.append(
            f'<td class="jg-avg" id="jg-avg-{pupil.pk}">{_avg(row.average)}</td>'
            f'<td class="jg-wavg" id="jg-wavg-{pupil.pk}">{_avg(row.weighted)}</td>'
        )
        if grid.attested:
            warn = ""
            if row.count < grid.marks_needed:
                warn = f' title="{escape(few % {"count": row.count})}" data-few="1"'
            pm_css = "jg-pm jg-failing" if row.period_mark in FAILING else "jg-pm"
            parts.append(
                f'<td class="jg-fc" id="jg-fc-{pupil.pk}"{warn}>{row.forecast}</td>'
                f'<td class="{pm_css}">{_e(row.period_mark)}</td>'
            )
        parts.append("</tr>")
        rows.append("".join(parts))
    if not rows:
        empty = escape(_("Nobody is on the list in this period."))
        rows.append(f'<tr><td colspan="{len(grid.columns) + 5}">{empty}</td></tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
