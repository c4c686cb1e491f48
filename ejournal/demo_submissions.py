"""The demo school's teaching materials and electronic tasks (R-G03, R-G04): «teacher» has posted a link, a test and a
task sheet for the coming maths lessons of 5А (the diary shows each from its lesson's day); the latest maths homework
asks the pupils to hand their work in through the diary (open for two more days), and «pupil» and some classmates
have done so, «pupil»'s work with the teacher's comment; the mark is left for the teacher to set (the demo's journal
holds only marks entered on the lessons' own days, tests/ejournal/test_demo_journal.py), and one classmate's work is
still missing, so that the list shows every state.

Through the services, so every rule holds (the lesson's teacher, the list, the due time, the journal's windows); a
demo seeded on a holiday or in the summer simply gets fewer of them. Nothing is added when the school has materials."""

import contextlib
import datetime
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import School, User
from ejournal.clock import now
from schedule.models import AcademicYear, CourseTeacher, Homework, Lesson, LessonMaterial, SchoolClass
from schedule.selectors_lessons import lesson_list
from schedule.services import ScheduleError
from schedule.services import homework as homework_services
from schedule.services import materials as material_services
from schedule.services import submissions as submission_services

CARDS = "Карточки к уроку\n\n1) 3/4 + 1/8 = ?\n2) 2/3 − 1/6 = ?\n3) Сравните 5/6 и 7/9.\n"
TEST = "1. Найдите сумму 1/2 + 1/3.\n2. Сократите дробь 12/18.\n3. Что больше: 3/5 или 0,55?"
ANSWERS = ["1) 7/8  2) 1/2  3) 5/6 > 7/9", "Ответы: 7/8; 1/2; 5/6 больше", "1) 7/8 2) 3/6 3) 5/6"]


def add_materials_and_tasks(*, school: School, year: AcademicYear, today: datetime.date) -> None:
    if LessonMaterial.objects.for_school(school).exists():
        return
    teacher = User.objects.filter(username="teacher").first()
    pupil = User.objects.filter(username="pupil").first()
    five_a = SchoolClass.objects.filter(year=year, grade=5, letter="А").first()
    if teacher is None or pupil is None or five_a is None:
        return
    taught = CourseTeacher.objects.filter(teacher=teacher, course__school_class=five_a, course__group__isnull=True)
    course_id = taught.values_list("course_id", flat=True).first()
    if course_id is None:
        return
    lessons = Lesson.objects.in_journal().filter(course_id=course_id).order_by("date", "number")
    coming = list(lessons.filter(date__gt=today)[:3])
    _materials(teacher, coming)
    # The journal is filled up to yesterday: the task turns the latest homework set before today into one.
    latest = lessons.filter(date__lt=today).last()
    if latest is not None:
        _task_with_work(teacher, pupil, latest)


def _materials(teacher: User, coming: list[Lesson]) -> None:
    posts = [
        {"kind": LessonMaterial.Kind.LINK, "title": "Видеоурок «Сложение дробей» (РЭШ)", "url": "https://resh.edu.ru/"},
        {"kind": LessonMaterial.Kind.TEXT, "title": "Проверочная работа: дроби", "text": TEST},
        {
            "kind": LessonMaterial.Kind.FILE,
            "title": "Карточки к уроку",
            "upload": SimpleUploadedFile("карточки.txt", CARDS.encode()),
        },
    ]
    for lesson, post in zip(coming, posts, strict=False):
        with contextlib.suppress(ScheduleError):
            material_services.material_add(actor=teacher, lesson=lesson, **post)


def _task_with_work(teacher: User, pupil: User, lesson: Lesson) -> None:
    current = Homework.objects.filter(lesson=lesson).first()
    # Two evenings ahead, 20:00 school time: open for the demo's people whatever day it is built on.
    evening = datetime.datetime.combine(
        now().astimezone(zoneinfo.ZoneInfo(lesson.school.timezone)).date() + datetime.timedelta(days=2),
        datetime.time(20, 0),
        tzinfo=zoneinfo.ZoneInfo(lesson.school.timezone),
    )
    try:
        task = homework_services.homework_set(
            actor=teacher,
            lesson=lesson,
            text=(current.text if current else "") or "Решите задачи и пришлите решение.",
            pages=current.pages if current else "",
            exercises=current.exercises if current else "",
            submission_required=True,
            submission_due=evening,
            accept_late=True,
        )
    except ScheduleError:
        return
    listed = list(lesson_list(lesson).exclude(pupil=pupil).order_by("pupil_id").values_list("pupil_id", flat=True))
    authors = [pupil, *User.objects.filter(pk__in=listed[:4]).order_by("pk")]
    for n, author in enumerate(authors):
        if n == len(authors) - 1 and n > 0:
            break  # one classmate has not handed in yet
        with contextlib.suppress(ScheduleError):
            submission_services.submission_save(actor=author, homework=task, text=ANSWERS[n % len(ANSWERS)])
    work = task.submissions.filter(pupil=pupil).first()
    if work is None:
        return
    submission_services.submission_comment(
        actor=teacher, submission=work, comment="Всё верно. В № 3 запиши сравнение через общий знаменатель."
    )
