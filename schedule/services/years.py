import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from audit.log import record

from ..models import AcademicYear
from . import ScheduleError


@transaction.atomic
def academic_year_create(
    *, actor: User | None, school: School, name: str, start: datetime.date, end: datetime.date
) -> AcademicYear:
    if end <= start:
        raise ScheduleError(_("The year must end after it starts."))
    if AcademicYear.objects.for_school(school).filter(start__lte=end, end__gte=start).exists():
        raise ScheduleError(_("The dates overlap another academic year."))
    year = AcademicYear.objects.create(school=school, name=name, start=start, end=end)
    record(actor=actor, school=school, action="schedule.year.created", obj=year, data={"name": name})
    return year
