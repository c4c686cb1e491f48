"""The admin's page of the audit log (issue 10 item 2): newest first, filtered by dates, a group of actions and a
person, a page at a time by keyset on (created_at, id): the hundredth page costs what the first does. Read only."""

import datetime
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from accounts.models import School, SchoolSettings, User

from .forms_log import LogFilterForm
from .log import OTHER_GROUP, action_label, all_grouped_actions, group_actions
from .models import AuditEntry

PAGE_SIZE = 50
CURSOR_FORMAT = "%Y%m%dT%H%M%S.%f"


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    at: datetime.datetime
    label: str
    details: str
    ip: str


def _cursor(entry: AuditEntry) -> str:
    return f"{entry.created_at.astimezone(datetime.UTC):{CURSOR_FORMAT}}_{entry.pk}"


def _decode(text: str) -> tuple[datetime.datetime, int] | None:
    """The cursor of the URL, or None when it is not one (an edited address starts from the newest)."""
    try:
        stamp, pk = text.split("_")
        return datetime.datetime.strptime(stamp, CURSOR_FORMAT).replace(tzinfo=datetime.UTC), int(pk)
    except ValueError:
        return None


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


def details(entry: AuditEntry) -> str:
    """The entry's data as a person reads it: a settings change as «label: old → new», the rest as «key: value»."""
    data = entry.data if isinstance(entry.data, dict) else {}
    if entry.action == "accounts.settings.changed":
        parts = []
        for name, change in data.items():
            try:
                label = SchoolSettings._meta.get_field(name).verbose_name
            except Exception:  # noqa: BLE001 - a field removed since: its name is label enough
                label = name
            old, new = change if isinstance(change, list) and len(change) == 2 else (None, change)
            parts.append(f"{label}: {_value(old)} → {_value(new)}")
        return "; ".join(parts)
    return "; ".join(f"{k}: {_value(v)}" for k, v in data.items() if k != "ip")


def _entries(school: School, form: LogFilterForm):
    d = form.cleaned_data
    tz = zoneinfo.ZoneInfo(school.timezone)
    entries = AuditEntry.objects.filter(school=school)
    if d.get("start"):
        entries = entries.filter(created_at__gte=datetime.datetime.combine(d["start"], datetime.time.min, tzinfo=tz))
    if d.get("end"):
        until = datetime.datetime.combine(d["end"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        entries = entries.filter(created_at__lt=until)
    group = d.get("group")
    if group == OTHER_GROUP:
        entries = entries.exclude(action__in=all_grouped_actions())
    elif group:
        entries = entries.filter(action__in=group_actions(group) or ())
    person = (d.get("person") or "").strip()
    if person:
        # Members of this school only: a login of another school finds nobody here.
        people = (
            User.objects.filter(memberships__school=school)
            .filter(Q(username__iexact=person) | Q(last_name__istartswith=person))
            .values("pk")
        )
        entries = entries.filter(Q(actor_id__in=people) | Q(data__login__iexact=person))
    return entries


@require_GET
@school_permission_required("audit.view_log")
def log(request):
    school = request.school
    form = LogFilterForm(request.GET or None)
    rows: list[Row] = []
    next_query = first_query = ""
    if form.is_bound and not form.is_valid():
        entries = None
    else:
        if not form.is_bound:
            form = LogFilterForm({})
            form.is_valid()
        entries = _entries(school, form)
    if entries is not None:
        after = _decode(form.cleaned_data.get("after") or "")
        if after:
            at, pk = after
            entries = entries.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
        page = list(entries.select_related("actor").order_by("-created_at", "-id")[: PAGE_SIZE + 1])
        more = len(page) > PAGE_SIZE
        page = page[:PAGE_SIZE]
        tz = zoneinfo.ZoneInfo(school.timezone)
        rows = [
            Row(
                entry=e,
                at=e.created_at.astimezone(tz),
                label=action_label(e.action),
                details=details(e),
                ip=str(e.data.get("ip") or "") if isinstance(e.data, dict) else "",
            )
            for e in page
        ]
        params = {k: v for k, v in request.GET.items() if k != "after" and v}
        if more:
            next_query = urlencode({**params, "after": _cursor(page[-1])})
        if after:
            first_query = urlencode(params) or "start="
    context = {
        "form": form,
        "rows": rows,
        "next_query": next_query,
        "first_query": first_query,
    }
    return render(request, "audit/log/list.html", context)
