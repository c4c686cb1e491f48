import datetime

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from ejournal.clock import today
from schedule.forms_lessons import parse_day
from schedule.selectors import led_classes
from schedule.selectors_lessons import teacher_day

from .appeals import open_appeals_of
from .signals import my_day_panels, panels

# How many reports of wrong marks "my day" lists; the rest are a click away on the list of reports.
APPEALS_ON_MY_DAY = 10


@require_GET
@school_permission_required("gradebook.view_my_day")
def my_day(request):
    """The teacher's start page: the day's lessons in time order (own lessons and those they substitute on, cancelled
    ones shown as cancelled), what is still to fill in each, own lessons a colleague takes, the classes they lead."""
    now = today(request.school.timezone)
    raw = request.GET.get("date", "")
    day = parse_day(raw) if raw else now
    error = ""
    if day is None:
        day, error = now, _("«%(value)s» is not a date: today is shown.") % {"value": raw[:20]}
    plan = teacher_day(school=request.school, teacher=request.user, day=day)
    # Reports of wrong marks about the teacher's courses wait here until answered (R-I11: the teacher is notified).
    appeals = open_appeals_of(school=request.school, teacher=request.user, limit=APPEALS_ON_MY_DAY + 1)
    return render(
        request,
        "gradebook/my_day.html",
        {
            "day": day,
            "today": now,
            "yesterday": day - datetime.timedelta(days=1),
            "tomorrow": day + datetime.timedelta(days=1),
            "lessons": plan.lessons,
            "given_away": plan.given_away,
            "to_fill": sum(1 for lesson in plan.lessons if lesson.missing_topic),
            "led_classes": led_classes(request.user),
            "error": error,
            "panels": panels(my_day_panels, request=request, day=day),
            "appeals": appeals[:APPEALS_ON_MY_DAY],
            "more_appeals": len(appeals) > APPEALS_ON_MY_DAY,
        },
        status=422 if error else 200,
    )
