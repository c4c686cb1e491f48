"""Permission-matrix rows of the diary's reading pages (issue 7; R-A06, R-A07: a family reaches its own children
only, read-only; R-A03: the administration reads every diary; the class teacher their class's). The builders are
shared with tests/diary/: the journal's maths of 5А (tests/matrix/journal.py, lessons 9–20 November 2026) with the
class's bells, its English subgroups, a substitution, a cancelled lesson, homework with a file, marks, an absence."""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from attendance.services import absence_set
from gradebook.marks import mark_set
from schedule.models import Lesson
from schedule.services import classes as class_services
from schedule.services import homework as homework_services
from schedule.services import lessons as lesson_services
from schedule.services import timetable
from schedule.services import years as year_services
from tests.factories import UserFactory, make_course

from . import STAFF_READERS, Case, only
from .journal import CONTROL, DAY, FIRST, LAST, journal_course, work_on

MONDAY = datetime.date(2026, 11, 16)
BELLS = [(1, "08:30", "09:15"), (2, "09:25", "10:10"), (3, "10:30", "11:15"), (4, "11:25", "12:10")]


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def diary_world(w) -> SimpleNamespace:
    """The pupil's school fortnight: maths of 5А every weekday (2nd lesson, 09:25), English on Tuesdays (3rd lesson)
    in two subgroups — the pupil in the first, a classmate in the second — and 5А's bells."""
    if hasattr(w, "_dw"):
        return w._dw
    maths = journal_course(w)
    year = w.school_class.year
    bells = year_services.bell_schedule_create(actor=None, school=w.school, name="1 смена")
    year_services.bells_set(
        actor=None, schedule=bells, bells=[year_services.BellTimes(n, _t(a), _t(b)) for n, a, b in BELLS]
    )
    class_services.school_class_update(
        actor=None,
        school_class=w.school_class,
        letter=w.school_class.letter,
        class_teacher=w.class_teacher,
        bell_schedule=bells,
    )
    classmate = UserFactory(school=w.school, username="classmate", roles=[Role.PUPIL])
    class_services.pupils_enroll(actor=None, school_class=w.school_class, pupils=[classmate], since=year.start)
    groups, english = [], []
    for number, members, teacher in ((1, [w.pupil], w.other_teacher), (2, [classmate], w.class_teacher)):
        group = class_services.group_create(
            actor=None, year=year, name=f"5А английский {number}", school_class=w.school_class
        )
        class_services.group_members_set(actor=None, group=group, pupils=members, since=year.start)
        course = make_course(w.school_class, teacher, "Английский язык", 3, group=group)
        timetable.timetable_entry_add(actor=None, course=course, weekday=2, number=3, valid_from=year.start)
        groups.append(group)
        english.append(course)
    timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
    w._dw = SimpleNamespace(maths=maths, english=english, groups=groups, classmate=classmate, bells=bells)
    return w._dw


def maths_on(w, day: datetime.date) -> Lesson:
    return Lesson.objects.get(course=journal_course(w), date=day)


def english_on(w, group: int = 1, day: datetime.date = DAY) -> Lesson:
    return Lesson.objects.get(course=diary_world(w).english[group - 1], date=day)


def homework_with_file(w, lesson: Lesson, text: str = "Упражнения по теме", name: str = "задание.pdf"):
    homework = homework_services.homework_set(actor=w.teacher, lesson=lesson, text=text, pages="с. 45–47")
    upload = SimpleUploadedFile(name, b"%PDF-1.4 the task", content_type="application/pdf")
    return homework_services.homework_file_add(actor=w.teacher, homework=homework, upload=upload)


def filled_week(w) -> SimpleNamespace:
    """The week of 16 November filled the way a teacher fills it: a topic, homework (with a file) set on Monday and
    due on Tuesday, homework of the Friday before due on Monday, a «5» with a comment and an «ОП 10» on Monday, a
    control work's «4» on Tuesday, Tuesday's maths taken by a substitute, Wednesday's cancelled."""
    if hasattr(w, "_dw_filled"):
        return w._dw_filled
    world = diary_world(w)
    monday = maths_on(w, MONDAY)
    lesson_services.lesson_topic_set(actor=w.teacher, lesson=monday, topic="Сложение дробей")
    homework_services.homework_set(actor=w.teacher, lesson=maths_on(w, MONDAY - datetime.timedelta(days=3)),
                                   text="Повторить таблицу умножения")  # fmt: skip
    file = homework_with_file(w, monday)
    answer = work_on(w, MONDAY)
    mark_set(actor=w.teacher, work=answer, pupil_id=w.pupil.pk, value="5", comment="Молодец, так держать")
    control = work_on(w, DAY, CONTROL)
    mark_set(actor=w.teacher, work=control, pupil_id=w.pupil.pk, value="4")
    absence_set(actor=w.teacher, lesson=monday, pupil=w.pupil, code="late", minutes=10)
    lesson_services.substitution_set(
        actor=w.admin, lesson=maths_on(w, DAY), substitute=w.other_teacher, reason="болезнь"
    )
    wednesday = maths_on(w, DAY + datetime.timedelta(days=1))
    lesson_services.lesson_cancel(actor=w.admin, lesson=wednesday, reason="Карантин по гриппу")
    w._dw_filled = SimpleNamespace(world=world, file=file, answer=answer, control=control)
    return w._dw_filled


def own_pupil(w):
    return {"pupil_id": w.pupil.pk}


OWN = only(*STAFF_READERS, "class_teacher", "pupil", "guardian") | {"foreign_teacher": 404}
OTHER_FAMILY = only(*STAFF_READERS) | {"pupil": 404, "guardian": 404, "foreign_teacher": 404}
FOREIGN = only(default=404) | {"foreign_teacher": 200}


def _pages() -> list[Case]:
    return [
        Case("own pupil", OWN, kwargs=own_pupil),
        Case("another family's pupil", OTHER_FAMILY, kwargs=lambda w: {"pupil_id": w.other_pupil.pk}),
        Case("a pupil of another school", FOREIGN, kwargs=lambda w: {"pupil_id": w.foreign_pupil.pk}),
    ]


def _own_file(w):
    return {"pupil_id": w.pupil.pk, "file_id": filled_week(w).file.pk}


def _other_groups_file(w):
    if not hasattr(w, "_dw_group2_file"):
        diary_world(w)
        w._dw_group2_file = homework_with_file(w, english_on(w, 2), name="group2.pdf")
    return {"pupil_id": w.pupil.pk, "file_id": w._dw_group2_file.pk}


ROWS: dict[str, list[Case]] = {
    "diary:pupil": [
        *_pages(),
        Case("another week", OWN, kwargs=own_pupil, data=lambda w: {"week": "2026-11-09"}),
        Case("a week that is no date", OWN, kwargs=own_pupil, data=lambda w: {"week": "2026-02-30"}),
    ],
    "diary:marks": [
        *_pages(),
        Case("the year", OWN, kwargs=own_pupil, data=lambda w: {"period": "year"}),
        Case("a period that is not one", OWN, kwargs=own_pupil, data=lambda w: {"period": "x"}),
    ],
    "diary:homework": [
        *_pages(),
        Case("with the past two weeks", OWN, kwargs=own_pupil, data=lambda w: {"past": "1"}),
    ],
    "diary:homework_file": [
        Case("a file of the pupil's lesson", OWN, kwargs=_own_file),
        Case(
            "the file under another family's pupil",
            OTHER_FAMILY | {r: 404 for r in STAFF_READERS},
            kwargs=lambda w: {"pupil_id": w.other_pupil.pk, "file_id": filled_week(w).file.pk},
        ),
        Case(
            "a file of the other subgroup's lesson",
            only(default=404) | {"teacher": 403},
            kwargs=_other_groups_file,
        ),
    ],
}
