"""The mark-change report's pages (issue 10 item 1): the filtered table, a page at a time by keyset, and its
exports as XLSX and PDF built in the background (a year of changes can be thousands of rows)."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_permission_required
from accounts.models import Role, School, User
from ejournal.clock import local_now, today
from ejournal.widgets import FlatSelect
from reports.jobs import Built, JobRefused, job_builder, job_start
from reports.pdf import generated_on, render_pdf
from reports.xlsx import XLSX_TYPE, Table, as_xlsx
from schedule.models import SchoolClass, Subject
from schedule.selectors import current_year

from .changes import Cursor, Filters, changes_page, reason

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
EXPORT_LIMIT = 20_000  # rows in one file; a wider export asks for a narrower filter
STAFF_ROLES = (Role.TEACHER, Role.DEPUTY, Role.DIRECTOR, Role.ADMIN)


class ChangesForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), input_formats=DATE_FORMATS)
    end = forms.DateField(label=gettext_lazy("To"), input_formats=DATE_FORMATS)
    teacher = forms.TypedChoiceField(
        label=gettext_lazy("Who changed"), coerce=int, required=False, empty_value=None, widget=FlatSelect
    )
    school_class = forms.TypedChoiceField(
        label=gettext_lazy("Class"), coerce=int, required=False, empty_value=None, widget=FlatSelect
    )
    subject = forms.TypedChoiceField(
        label=gettext_lazy("Subject"), coerce=int, required=False, empty_value=None, widget=FlatSelect
    )
    pupil = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    late_only = forms.BooleanField(label=gettext_lazy("Only after the window closed"), required=False)

    def __init__(self, *args, school: School, year, **kwargs):
        super().__init__(*args, **kwargs)
        everybody = [("", _("everybody"))]
        staff = (
            User.objects.filter(memberships__school=school, memberships__role__in=STAFF_ROLES)
            .distinct()
            .order_by("last_name", "first_name", "middle_name")
            .values_list("pk", "last_name", "first_name", "middle_name")
        )
        self.fields["teacher"].choices = everybody + [(pk, " ".join(filter(None, n))) for pk, *n in staff]
        classes = SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter") if year else []
        self.fields["school_class"].choices = [("", _("all"))] + [(c.pk, str(c)) for c in classes]
        subjects = Subject.objects.filter(school=school).order_by("name").values_list("pk", "name")
        self.fields["subject"].choices = [("", _("all"))] + list(subjects)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the range is before its start."))
        return data


def _filters(request) -> tuple[ChangesForm, Filters | None, User | None]:
    school = request.school
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    initial = {"start": year.start if year else day - datetime.timedelta(days=30), "end": day}
    source = request.GET if "start" in request.GET or "end" in request.GET else None
    form = ChangesForm(source or initial, school=school, year=year)
    if not form.is_valid():
        return form, None, None
    d = form.cleaned_data
    pupil = None
    if d.get("pupil"):
        # A pupil of this school only: another school's id shows nothing and names nobody.
        pupil = User.objects.filter(pk=d["pupil"], memberships__school=school, memberships__role=Role.PUPIL).first()
        if pupil is None:
            form.add_error(None, _("No such pupil in the school."))
            return form, None, None
    filters = Filters(
        school=school,
        start=d["start"],
        end=d["end"],
        teacher_id=d.get("teacher"),
        class_id=d.get("school_class"),
        subject_id=d.get("subject"),
        pupil_id=pupil.pk if pupil else None,
        late_only=bool(d.get("late_only")),
    )
    return form, filters, pupil


def _query(filters: Filters, **extra) -> str:
    params = {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    for name, value in (
        ("teacher", filters.teacher_id),
        ("school_class", filters.class_id),
        ("subject", filters.subject_id),
        ("pupil", filters.pupil_id),
    ):
        if value:
            params[name] = value
    if filters.late_only:
        params["late_only"] = "on"
    params |= {k: v for k, v in extra.items() if v is not None}
    return urlencode(params)


@require_GET
@school_permission_required("audit.view_changes")
def changes(request):
    form, filters, pupil = _filters(request)
    page, after = None, None
    if filters is not None:
        after = Cursor.decode(request.GET.get("after", "")) if request.GET.get("after") else None
        page = changes_page(filters, after=after)
    context = {
        "form": form,
        "filters": filters,
        "pupil": pupil,
        "page": page,
        "rows": [(row, reason(row)) for row in page.rows] if page else [],
        "query": _query(filters) if filters else "",
        "next_query": _query(filters, after=page.next.encode()) if page and page.next else "",
        "without_pupil": _query(Filters(**{**filters.__dict__, "pupil_id": None})) if filters and pupil else "",
        "continued": after is not None,
    }
    return render(request, "audit/changes/list.html", context)


@require_POST
@school_permission_required("audit.export_changes")
def changes_export(request):
    form, filters, _pupil = _filters(request)
    if filters is None:
        return _bad_export(request)
    fmt = "pdf" if request.POST.get("format") == "pdf" else "xlsx"
    params = {
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "teacher": filters.teacher_id,
        "class": filters.class_id,
        "subject": filters.subject_id,
        "pupil": filters.pupil_id,
        "late_only": filters.late_only,
        "format": fmt,
    }
    title = _("Change log, %(start)s – %(end)s") % {
        "start": filters.start.strftime("%d.%m.%Y"),
        "end": filters.end.strftime("%d.%m.%Y"),
    }
    job = job_start(actor=request.user, school=request.school, kind="audit_changes", title=title, params=params)
    return redirect("reports:job_detail", job_id=job.pk)


def _bad_export(request):
    from django.contrib import messages

    messages.error(request, _("Check the filter: the dates are dd.mm.yyyy, the end not before the start."))
    return redirect("audit:changes")


# --- Exports ----------------------------------------------------------------------------------------------------


def columns() -> list[str]:
    return [
        _("When changed"),
        _("Who changed"),
        _("Lesson date"),
        _("Class"),
        _("Subject"),
        _("Pupil"),
        _("What"),
        _("Was"),
        _("Became"),
        _("Reason"),
    ]


def row_values(row, tz) -> list:
    what = row.kind_label + (f": {row.what}" if row.what else "")
    return [
        row.at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
        row.user.get_full_name() if row.user else "",
        row.lesson_date,
        row.group,
        row.subject,
        row.pupil.get_full_name() if row.pupil else "",
        what,
        row.old or "—",
        row.new or "—",
        reason(row),
    ]


@job_builder("audit_changes")
def build_changes(job, progress) -> Built:
    import zoneinfo

    from accounts.access import access

    user, school = job.requested_by, job.school
    access(user).active_school_id = school.pk
    if not user.is_active or not user.has_perm("audit.export_changes", school):
        raise JobRefused(_("You may no longer export the change log."))
    p = job.params
    filters = Filters(
        school=school,
        start=datetime.date.fromisoformat(p["start"]),
        end=datetime.date.fromisoformat(p["end"]),
        teacher_id=p.get("teacher"),
        class_id=p.get("class"),
        subject_id=p.get("subject"),
        pupil_id=p.get("pupil"),
        late_only=bool(p.get("late_only")),
    )
    tz = zoneinfo.ZoneInfo(school.timezone)
    rows, after = [], None
    while len(rows) < EXPORT_LIMIT:
        page = changes_page(filters, after=after, limit=1000)
        rows.extend(row_values(r, tz) for r in page.rows)
        progress(len(rows), len(rows) + (1000 if page.next else 0))
        if page.next is None:
            break
        after = page.next
    truncated = len(rows) >= EXPORT_LIMIT
    caption = job.title
    if truncated:
        caption += " " + _("(the first %(n)s rows; narrow the filter)") % {"n": EXPORT_LIMIT}
    name = f"changes-{filters.start:%Y-%m-%d}-{filters.end:%Y-%m-%d}"
    if p.get("format") == "pdf":
        content = render_pdf(
            "audit/changes/pdf.html",
            {
                "school": school,
                "title": job.title,
                "caption": caption,
                "columns": columns(),
                "rows": rows,
                "generated": generated_on(local_now(school.timezone)),
            },
        )
        return Built(content=content, filename=f"{name}.pdf", content_type="application/pdf")
    table = Table(title=_("Changes"), columns=columns(), rows=rows, caption=caption)
    return Built(content=as_xlsx([table]), filename=f"{name}.xlsx", content_type=XLSX_TYPE)
