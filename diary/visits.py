"""The days a pupil or a parent opened the diary (seed 003, R-I12: the class teacher calls the parents who have not
looked for two weeks; the control reports count the visits too)."""

from accounts.access import children_ids
from ejournal.clock import today

from .models import DiaryVisit

# The school and day last recorded for this session: the visit is written once a day, and the other pages of the
# day cost no query.
SESSION_KEY = "ej_diary_visit"


def visit_record(request, pupil) -> None:
    """Record that the user opened `pupil`'s diary today, when the user is that pupil or one of their parents (a
    teacher or the administration reading a diary is no family's visit; a teacher who is a parent reading their own
    child's is). Call it from every diary page a family opens, after the permission check."""
    user, school = request.user, request.school
    if school is None or not user.is_authenticated:
        return
    if pupil.pk != user.pk and pupil.pk not in children_ids(user, school.pk):
        return
    day = today(school.timezone)
    stamp = f"{school.pk}:{day.isoformat()}"
    if request.session.get(SESSION_KEY) == stamp:
        return
    DiaryVisit.objects.bulk_create([DiaryVisit(school=school, user=user, day=day)], ignore_conflicts=True)
    request.session[SESSION_KEY] = stamp
