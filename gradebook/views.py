from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from ejournal.clock import today
from schedule.selectors import led_classes


@require_GET
@school_permission_required("gradebook.view_my_day")
def my_day(request):
    """The teacher's start page: today's date and the classes they lead; lessons come with the timetable."""
    return render(
        request,
        "gradebook/my_day.html",
        {"day": today(request.school.timezone), "led_classes": led_classes(request.user)},
    )
