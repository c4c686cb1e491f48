"""The diary API in the demo school (issue 12 item 6): «guardian» has a key named «Семейное приложение», made through
the service as a parent makes it on the profile page. Its raw key is not kept anywhere (only its hash): the demo's
visitor makes another on the profile page to try the API. «pupil»'s latest homework has a task sheet to download.
Nothing is added twice."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import School, User
from api import services
from api.models import ApiToken
from diary.selectors import pupil_lesson_filter
from schedule.models import CourseTeacher, Lesson
from schedule.services import ScheduleError
from schedule.services import homework as homework_services

DEMO_KEY_NAME = "Семейное приложение"


def add_api_token(*, school: School) -> int:
    """The stable mother's key; returns how many keys were made (0 or 1)."""
    guardian = User.objects.filter(username="guardian").first()
    if guardian is None or ApiToken.objects.filter(school=school, user=guardian, name=DEMO_KEY_NAME).exists():
        return 0
    services.token_create(actor=guardian, school=school, name=DEMO_KEY_NAME)
    return 1


def add_homework_file(*, school: School, today: datetime.date) -> int:
    """A task sheet on the latest homework of «pupil» set this past week, so that the family's app has a file to
    download (`files[].url`). The lesson's teacher attaches it as in the lesson's form; a homework that already has
    files, or none in the window (holidays), adds nothing. Returns how many files were added (0 or 1)."""
    pupil = User.objects.filter(username="pupil").first()
    if pupil is None:
        return 0
    lesson = (
        Lesson.objects.in_journal()
        .filter(pupil_lesson_filter(pupil.pk), school=school, date__range=(today - datetime.timedelta(days=7), today))
        .filter(homework__isnull=False)
        .select_related("course__subject", "course__year", "homework")
        .order_by("-date", "-number")
        .first()
    )
    if lesson is None or lesson.homework.files.exists():
        return 0
    teacher = CourseTeacher.objects.filter(course_id=lesson.course_id).select_related("teacher").first()
    if teacher is None:
        return 0
    text = TASK_SHEET.format(subject=lesson.course.subject.name, date=lesson.date.strftime("%d.%m.%Y"))
    upload = SimpleUploadedFile("Карточка с заданием.txt", text.encode("utf-8"), content_type="text/plain")
    try:
        homework_services.homework_file_add(actor=teacher.teacher, homework=lesson.homework, upload=upload)
    except ScheduleError:
        return 0  # the lesson's window closed: the demo goes on without the file
    return 1


TASK_SHEET = """Карточка с заданием
{subject}, урок {date}

Выполните задания из учебника, записанные в дневнике, и ответьте письменно:
1. Что нового вы узнали на уроке?
2. Какое задание оказалось самым трудным и почему?
3. Придумайте свой пример по теме урока и решите его.
"""
