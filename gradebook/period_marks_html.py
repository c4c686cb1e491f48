"""The period-marks page's table body as HTML, written here rather than in the template language (as the grid's,
gradebook/grid_html.py): a class's ~30 pupils × 5 periods, each mark cell a select of 11 values, cost more through
template loops than everything else of the page together (the `period_marks` bench row). Every value from the
database goes through `escape`; the markup is the one static/js/period_marks.js and the page's CSS use.
"""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import PeriodMark
from .selectors_periods import Sheet


def _options(shown: str) -> str:
    parts = [f'<option value=""{" selected" if not shown else ""}>—</option>']
    for value, label in PeriodMark.Value.choices:
        text = value if str(label) == value else f"{value} ({label})"
        parts.append(f'<option value="{value}"{" selected" if value == shown else ""}>{escape(text)}</option>')
    return "".join(parts)


def table_body(sheet: Sheet) -> SafeString:
    """A row per pupil: for each period its weighted average, forecast (⚠ when too few marks) and mark (a select
    where it may be set, else the value with the links to a late change or a retake), then the year's."""
    year_word = escape(_("Year"))
    control_word = escape(_("Control works"))
    off = escape(_("The pupil was not on the list in this period"))
    late_title = escape(_("Entered after the deadline"))
    late = f'<span class="pm-late" title="{late_title}">!</span>'
    request_title, request_word = escape(_("Request a late change")), escape(_("request"))
    retake_title, retake_word = escape(_("Enter a retake mark from its protocol")), escape(_("retake"))
    options = {value: _options(value) for value in ["", *PeriodMark.Value.values]}
    rows = []
    for number, row in enumerate(sheet.rows, start=1):
        pupil = row.pupil
        name = f"{escape(pupil.last_name)} {escape(pupil.first_name)}"
        home = f' <span class="badge st-neutral">{escape(row.home)}</span>' if row.home else ""
        parts = [f'<tr><th scope="row">{number}. {name}{home}</th>']
        for slot in row.slots:
            if slot.period is not None:
                weighted = number_format(slot.weighted, 2) if slot.weighted is not None else ""
                parts.append(f'<td class="pm-num">{weighted}</td>')
            forecast = ""
            if not slot.off:
                forecast = escape(slot.forecast)
                if slot.warning:
                    title = escape(slot.warning)
                    if slot.controls:
                        title += f" {control_word}: {escape(', '.join(slot.controls))}"
                    forecast += f' <span class="pm-warn" title="{title}" aria-label="{escape(slot.warning)}">⚠</span>'
            parts.append(f'<td class="pm-forecast">{forecast}</td>')
            css = "pm-mark"
            if slot.failing:
                css += " pm-failing"
            if slot.error:
                css += " pm-error"
            if slot.off:
                inner = f'<span class="hint" title="{off}">—</span>'
            elif slot.editable:
                what = escape(str(slot.period)) if slot.period is not None else year_word
                inner = (
                    f'<select name="{slot.name}" aria-label="{name}: {what}" data-forecast="{escape(slot.forecast)}"'
                    f' data-saved="{escape(slot.value)}">'
                    f"{options.get(slot.shown) or _options(slot.shown)}</select>"
                )
                if slot.late:
                    inner += late
                if slot.error:
                    inner += f'<div class="pm-cell-error" role="alert">{escape(slot.error)}</div>'
            else:
                inner = f'<span class="pm-value">{escape(slot.value)}</span>'
                if slot.late:
                    inner += late
                if slot.late_url:
                    inner += f' <a class="pm-request" href="{slot.late_url}" title="{request_title}">{request_word}</a>'
                if slot.retake_url:
                    inner += f' <a class="pm-request" href="{slot.retake_url}" title="{retake_title}">{retake_word}</a>'
            parts.append(f'<td class="{css}">{inner}</td>')
        parts.append("</tr>")
        rows.append("".join(parts))
    if not rows:
        nobody = escape(_("Nobody is on the list this year."))
        rows.append(f'<tr><td colspan="99">{nobody}</td></tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
