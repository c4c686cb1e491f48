"""Panels of journal control on the gradebook's pages (gradebook/signals.py): the open remarks of a course on its
journal, a teacher's open remarks on "my day" (R-J02). Each reads in one query; who may see or do what is asked of
the permission layer, never decided here."""

from django.urls import reverse

from ejournal.clock import today
from gradebook.signals import Panel

from .models import Remark


def journal_remarks(sender, request, course, **kwargs) -> Panel | None:
    user = request.user
    can_see = user.has_perm("reports.view_course_remarks", course)
    can_add = user.has_perm("reports.add_remark", course)
    if not (can_see or can_add):
        return None
    remarks = []
    if can_see:
        remarks = list(
            Remark.objects.for_school(request.school)
            .filter(course=course, status=Remark.Status.OPEN)
            .select_related("lesson", "author")
            .order_by("due", "pk")
        )
    if not remarks and not can_add:
        return None
    day = today(request.school.timezone)
    for remark in remarks:
        remark.overdue = remark.is_overdue(day)
    # Every remark here is on this course: the teacher's right to close one is the same for all (asked once).
    can_close = bool(remarks) and user.has_perm("reports.close_remark", remarks[0])
    return Panel(
        template="reports/remarks/_journal_panel.html",
        context={
            "course": course,
            "remarks": remarks,
            "can_close": can_close,
            "add_url": reverse("reports:remark_add", args=[course.pk]) if can_add else "",
            "list_url": f"{reverse('reports:remark_list')}?course={course.pk}",
            "next": request.get_full_path(),
        },
    )


def my_day_remarks(sender, request, day, **kwargs) -> Panel | None:
    user = request.user
    if not user.has_perm("reports.view_remarks"):
        return None
    remarks = list(
        Remark.objects.for_school(request.school)
        .filter(
            status=Remark.Status.OPEN,
            course__course_teachers__teacher_id=user.pk,
            course__year__is_archived=False,
        )
        .select_related("course__subject", "course__school_class", "course__group", "lesson")
        .order_by("due", "pk")
        .distinct()
    )
    if not remarks:
        return None
    current = today(request.school.timezone)
    for remark in remarks:
        remark.overdue = remark.is_overdue(current)
    return Panel(template="reports/remarks/_my_day_panel.html", context={"remarks": remarks})
