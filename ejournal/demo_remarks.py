"""The demo school's remarks of journal control (issue 6, R-J02): the deputy's remarks on real courses, some still
open (one of them overdue), some done by the course's teacher.

Written as rows, not through reports/services.py, because a demo has a past: the services date every change "now"
and refuse a deadline before today, and the demo needs remarks left last week, one of them overdue. The rows keep
the services' invariants (the lesson is the course's, a done remark has who and when, the author reads the school)
and an audit entry for each change, as the services write.
Deterministic: the same school and day give the same remarks.
"""

import datetime
import zoneinfo

from django.db import transaction

from accounts.models import Role, School, User
from audit.log import record
from reports.models import Remark
from schedule.models import Course, CourseTeacher, Lesson

STABLE_TEACHERS = ("teacher", "class_teacher")  # the demo's stable logins (ejournal/demo.py)
# (days before today it was left, days it had to be fixed in, text, on a lesson?, done: the teacher's answer or None)
REMARKS = [
    (9, 7, "Не заполнена тема урока. Заполните тему в соответствии с КТП.", True, None),  # overdue
    (3, 7, "У части обучающихся нет ни одной отметки за три недели: проверьте накопляемость отметок.", False, None),
    (2, 5, "Не записано домашнее задание, или записано без указания страниц и номеров упражнений.", True, None),
    (12, 7, "Не отмечены отсутствующие на уроке.", True, "Отсутствующие отмечены, отметки выставлены."),
    (8, 7, "Контрольная работа проведена, но отметки за неё не выставлены в срок.", False, "Отметки выставлены."),
]


def _deputy(school: School) -> User | None:
    deputies = User.objects.filter(memberships__school=school, memberships__role=Role.DEPUTY).order_by("pk")
    return deputies.filter(username="deputy").first() or deputies.first()


def _courses(school: School, today: datetime.date, deputy: User) -> list[tuple[Course, User]]:
    """Courses of the year in progress with a teacher: the stable demo teachers' first (their people see the remarks
    when they log in), then the others, one per teacher."""
    links = (
        CourseTeacher.objects.filter(
            school=school,
            course__year__start__lte=today,
            course__year__end__gte=today,
            course__year__is_archived=False,
            course__kind=Course.Kind.LESSON,
        )
        .select_related("course__subject", "course__school_class", "course__group", "teacher")
        .order_by("course__school_class__grade", "course__school_class__letter", "course__subject__name", "pk")
    )
    stable, others, seen = [], [], set()
    for link in links:
        if link.teacher_id in seen or link.teacher_id == deputy.pk:
            continue
        seen.add(link.teacher_id)
        bucket = stable if link.teacher.username in STABLE_TEACHERS else others
        bucket.append((link.course, link.teacher))
    return stable + others


@transaction.atomic
def add_remarks(*, school: School, today: datetime.date) -> list[Remark]:
    """A few remarks by the deputy: three open (the first overdue), two done. Nothing when the school has no deputy
    or no courses in a year that contains `today`."""
    deputy = _deputy(school)
    courses = _courses(school, today, deputy) if deputy is not None else []
    if not courses:
        return []
    tz = zoneinfo.ZoneInfo(school.timezone)
    created = []
    for i, (ago, days, text, on_lesson, answer) in enumerate(REMARKS):
        course, teacher = courses[i % len(courses)]
        left_on = today - datetime.timedelta(days=ago)
        lesson = None
        if on_lesson:
            before = Lesson.objects.in_journal().filter(school=school, course=course, date__lt=left_on)
            # A lesson the teacher left without a topic is what a deputy finds first; else the latest one.
            lesson = (
                before.filter(topic="").order_by("-date", "-number").first()
                or before.order_by("-date", "-number").first()
            )
        remark = Remark.objects.create(
            school=school,
            course=course,
            lesson=lesson,
            text=text,
            due=left_on + datetime.timedelta(days=days),
            author=deputy,
            created_at=datetime.datetime.combine(left_on, datetime.time(15, 30), tzinfo=tz),
        )
        record(
            actor=deputy,
            school=school,
            action="reports.remark.created",
            obj=remark,
            data={"course": course.pk, "lesson": lesson.pk if lesson else None, "due": remark.due.isoformat()},
        )
        if answer is not None:
            done_on = min(left_on + datetime.timedelta(days=days - 2), today - datetime.timedelta(days=1))
            remark.status, remark.done_by, remark.answer = Remark.Status.DONE, teacher, answer
            remark.done_at = datetime.datetime.combine(done_on, datetime.time(16, 10), tzinfo=tz)
            remark.save(update_fields=["status", "done_by", "done_at", "answer"])
            record(
                actor=teacher,
                school=school,
                action="reports.remark.done",
                obj=remark,
                data={"answer": answer, "late": False},
            )
        created.append(remark)
    return created
