"""The yearly report on how the electronic journal works, for the school's governing council (R-J17; seed 003, the
director «анализирует и представляет Управляющему совету … отчет о функционировании Электронного журнала»).

One page for an academic year (from its first day to today, or to its end once over): its users and their activity
(reports/activity.py over the whole range), how the journal was kept (reports/fill_rate.py: lessons held, topics,
homework, attendance taken, marks entered on time and late), the corrections (late-change requests, reports of a
wrong mark, remarks of journal control and their fixes), the families' use of the diary, and the notices sent to them
(SMS, emails of marks, weekly summary sheets by email). Counts only: the page holds no one's name, so the same data
can be published (R-J16).

A fixed number of queries whatever the school's size: activity 2, fill rate 6, then one grouped count per kind of
correction and notice.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from accounts.models import School
from diary.models import MarkNotice, SmsNotice
from gradebook.models import LateChangeRequest, MarkAppeal
from schedule.models import AcademicYear

from . import fill_rate
from .activity import Activity, activity
from .fill_rate import Figures, Usage
from .models import Remark, WeeklyDelivery


@dataclass
class Council:
    school: School
    year: AcademicYear
    start: datetime.date
    end: datetime.date
    activity: Activity
    figures: Figures
    usage: Usage
    late_changes: dict[str, int] = field(default_factory=dict)
    appeals: dict[str, int] = field(default_factory=dict)
    remarks: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)

    @property
    def marks_on_time(self) -> int:
        return self.figures.marks - self.figures.marks_late


def council_report(*, school: School, year: AcademicYear, today: datetime.date) -> Council:
    start, end = year.start, min(year.end, today)
    if end < start:  # a year not begun yet: its first day, with nothing in it
        end = start
    scope = fill_rate.Scope(school=school, year=year, start=start, end=end, today=today)
    control = fill_rate.report(scope, with_courses=False)
    result = Council(
        school=school,
        year=year,
        start=start,
        end=end,
        activity=activity(school=school, start=start, end=end),
        figures=control.total(),
        usage=control.usage.get(None, Usage()),
    )
    in_year = {"school": school, "created_at__date__gte": start, "created_at__date__lte": end}
    result.late_changes = _by_status(LateChangeRequest.objects.filter(**in_year, course__year=year))
    result.appeals = _by_status(MarkAppeal.objects.filter(**in_year))
    remarks = Remark.objects.filter(**in_year, course__year=year).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Remark.Status.DONE)),
        reopened=Count("pk", filter=Q(reopened_count__gt=0)),
        overdue=Count("pk", filter=Q(status=Remark.Status.OPEN, due__lt=today)),
    )
    result.remarks = remarks
    sms = SmsNotice.objects.filter(**in_year).aggregate(
        sent=Count("pk", filter=Q(status=SmsNotice.Status.SENT)),
        failed=Count("pk", filter=Q(status=SmsNotice.Status.FAILED)),
    )
    emails = MarkNotice.objects.filter(**in_year, sent_at__isnull=False).aggregate(
        sent=Count("pk"), digest=Count("pk", filter=Q(digest=True))
    )
    weekly = WeeklyDelivery.objects.filter(
        school=school, run__week_start__gte=start, run__week_start__lte=end, state=WeeklyDelivery.State.SENT
    ).aggregate(
        email=Count("pk", filter=Q(channel=WeeklyDelivery.Channel.EMAIL)),
        paper=Count("pk", filter=Q(channel=WeeklyDelivery.Channel.PAPER)),
    )
    result.notices = {
        "sms_sent": sms["sent"],
        "sms_failed": sms["failed"],
        "mark_emails": emails["sent"],
        "mark_emails_digest": emails["digest"],
        "weekly_email": weekly["email"],
        "weekly_paper": weekly["paper"],
    }
    return result


def _by_status(qs) -> dict[str, int]:
    counts = {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("pk")).order_by()}
    counts["total"] = sum(counts.values())
    return counts
