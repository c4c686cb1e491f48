"""Journal control (fill rate, issue 9 item 1; R-J01, R-J04, R-J07, R-E07): each figure against a small school built
by hand through the real services, with the expected values written out; the drill-down lists, the exports, bad input
and pinned query counts.

The school: maths of 5А (tests/matrix/journal.py: `teacher`, 5 hours a week, every weekday's 2nd lesson, lessons
9–20 November 2026, the 2nd quarter starts on 9 November), 5А's pupils `pupil` (Иванов-like persona), «Бобров Борис»
and «Волков Виктор» enrolled since 1 September; the clock is Tuesday 17 November 2026, 12:00 in Moscow."""

import datetime
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from attendance.services import absence_set, attendance_taken
from diary.models import DiaryVisit
from gradebook.marks import mark_set
from reports import fill_rate
from reports.fill_rate import Scope
from reports.models import ReportJob
from schedule.models import Lesson
from schedule.services import classes as class_services
from schedule.services import timetable
from schedule.services.homework import homework_set
from schedule.services.lessons import lesson_cancel, lesson_topic_set
from schedule.services.plans import PlanLine, plan_apply, plan_replace
from tests.factories import UserFactory, make_course
from tests.matrix.journal import ANSWER, CONTROL, journal_course, lesson_of, work_on

START, TODAY = datetime.date(2026, 11, 9), datetime.date(2026, 11, 17)
SEPT = datetime.date(2026, 9, 1)


def at(clock, day: datetime.date, hour: int = 10) -> None:
    clock.move_to(datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=datetime.UTC))


def _day(n: int) -> datetime.date:
    return datetime.date(2026, 11, n)


def classmates(w) -> tuple:
    if not hasattr(w, "_fr_mates"):
        bob = UserFactory(school=w.school, username="bob", first_name="Борис", last_name="Бобров", roles=[Role.PUPIL])
        vic = UserFactory(school=w.school, username="vic", first_name="Виктор", last_name="Волков", roles=[Role.PUPIL])
        class_services.pupils_enroll(actor=w.admin, school_class=w.school_class, pupils=[bob, vic], since=SEPT)
        w._fr_mates = (bob, vic)
    return w._fr_mates


def filled_journal(w, clock):
    """Maths of 5А filled partly on time (9 November) and partly late (on 17 November)."""
    course = journal_course(w)
    bob, vic = classmates(w)
    at(clock, _day(9))
    lesson_topic_set(actor=w.teacher, lesson=lesson_of(w, _day(9)), topic="Дроби")
    homework_set(actor=w.teacher, lesson=lesson_of(w, _day(9)), text="№ 1–3")
    attendance_taken(actor=w.teacher, lesson=lesson_of(w, _day(9)))
    mark_set(actor=w.teacher, work=work_on(w, _day(9)), pupil_id=w.pupil.pk, value="5")
    at(clock, TODAY, 9)
    for n in (10, 11):
        lesson = lesson_of(w, _day(n))
        lesson_topic_set(actor=w.teacher, lesson=lesson, topic=f"Тема {n}")
        homework_set(actor=w.teacher, lesson=lesson, text="Повторить")
        attendance_taken(actor=w.teacher, lesson=lesson)  # due 12 and 13 November: 5 and 4 days late
    absence_set(actor=w.teacher, lesson=lesson_of(w, _day(10)), pupil=vic, code="absent")
    answer = work_on(w, _day(10))  # an answer in class: due 2 days after, 12 November → 5 days late
    mark_set(actor=w.teacher, work=answer, pupil_id=w.pupil.pk, value="4")
    mark_set(actor=w.teacher, work=answer, pupil_id=bob.pk, value="3")
    control = work_on(w, _day(12), CONTROL)  # a control work: due 3 days after, 15 November → 2 days late
    mark_set(actor=w.teacher, work=control, pupil_id=w.pupil.pk, value="5")
    return course


def scope(w, start=START, end=TODAY, **kwargs) -> Scope:
    return Scope(school=w.school, year=w.school_class.year, start=start, end=end, today=TODAY, **kwargs)


# --- The figures -------------------------------------------------------------------------------------------------


def test_r_j01_r_j04_lessons_and_late_entries_of_a_course(world, clock):
    """R-J01, R-J04: of the 7 lessons held 9–17 November (9, 10, 11, 12, 13, 16, 17), 4 have no topic, homework or
    attendance (12, 13, 16, 17); 3 of the 4 marks were entered late: 5, 5 and 2 days (at most 5, on average 4,0);
    attendance was taken late twice (at most 5 days), one absence and two homeworks were entered late."""
    course = filled_journal(world, clock)
    f = fill_rate.course_figures(scope(world))[course.pk]
    assert (f.held, f.no_topic, f.no_homework, f.no_attendance) == (7, 4, 4, 4)
    assert (f.marks, f.marks_late, f.marks_late_max, f.marks_late_avg) == (4, 3, 5, 4.0)
    assert (f.attendance_late, f.attendance_late_max, f.absences_late, f.homework_late) == (2, 5, 1, 2)


def test_r_j01_pupils_with_no_mark_and_with_one_mark(world, clock):
    """R-J01 (seed 003 «процент учащихся, не имеющих оценок»): 3 pupils on the list; Волков has no mark (33 %),
    Бобров one (33 %), the persona pupil three. A range without marks: everybody has none."""
    course = filled_journal(world, clock)
    f = fill_rate.course_figures(scope(world))[course.pk]
    assert (f.pupils, f.no_mark, f.one_mark) == (3, 1, 1)
    assert (fill_rate.share(f.no_mark, f.pupils), fill_rate.share(f.one_mark, f.pupils)) == (33, 33)
    later = fill_rate.course_figures(scope(world, start=_day(16)))[course.pk]
    assert (later.held, later.pupils, later.no_mark, later.one_mark) == (2, 3, 3, 0)
    rows = {r.pupil_id: r.marks for r in fill_rate.pupil_rows(scope(world), "no_mark")}
    assert rows == {classmates(world)[1].pk: 0}


def test_r_e04_a_course_without_attestation_expects_no_marks(world, clock):
    """R-E04 with R-J01, R-E07: a course «без аттестации» (the first grade's безотметочное обучение, an elective
    without marks) has no list of pupils expected to have marks: none of its pupils counts as without marks or short of
    the density rule. Its lessons still count (held, topics, homework, attendance)."""
    journal_course(world)
    classmates(world)
    course = make_course(world.school_class, world.teacher, "Шахматы", 1, attested=False)
    timetable.timetable_entry_add(actor=None, course=course, weekday=1, number=5, valid_from=SEPT)
    timetable.lessons_generate(actor=None, year=course.year, start=_day(9), end=datetime.date(2026, 12, 11))
    dec7 = datetime.date(2026, 12, 7)
    s = Scope(school=world.school, year=course.year, start=_day(30), end=dec7, today=dec7)
    f = fill_rate.course_figures(s)[course.pk]
    assert (f.held, f.no_topic, f.pupils, f.no_mark, f.one_mark, f.density_pupils) == (2, 2, 0, 0, 0, 0)
    assert not [r for r in fill_rate.pupil_rows(s) if r.course_id == course.pk]
    maths = fill_rate.course_figures(s)[journal_course(world).pk]
    assert (maths.pupils, maths.no_mark, maths.density_short) == (3, 3, 3)


def test_r_j01_a_cancelled_lesson_and_future_lessons_are_not_held(world, clock):
    """R-J01: a lesson is held when its day has come and it is not cancelled: 18–20 November are not yet, and the
    cancelled 16 November is not."""
    course = journal_course(world)
    lesson_cancel(actor=world.admin, lesson=lesson_of(world, _day(16)), reason="Карантин")
    f = fill_rate.course_figures(scope(world, end=_day(20)))[course.pk]
    assert (f.held, f.no_topic) == (6, 6)


def _history(w):
    """History of 5А, 2 hours a week (Monday and Wednesday, 3rd lesson), lessons 9 November – 11 December."""
    course = make_course(w.school_class, w.teacher, "История", 2)
    for weekday in (1, 3):
        timetable.timetable_entry_add(actor=None, course=course, weekday=weekday, number=3, valid_from=SEPT)
    timetable.lessons_generate(actor=None, year=course.year, start=_day(9), end=datetime.date(2026, 12, 11))
    return course


def test_r_e07_mark_density_after_three_and_four_weeks(world, clock):
    """R-E07 (seed 003): the 2nd quarter began on 9 November. History (2 h/week): the pupil has marks on 11 and 18
    November, Бобров on 11 November, Волков none. On 30 November (3 weeks passed) one mark is needed: Волков is short;
    on 7 December (4 weeks) two: Бобров and Волков. Maths (5 h/week) scales by ceil(5/2) = 3: 3 marks after 3 weeks,
    6 after 4; on 17 November (8 days in) nothing is asked yet."""
    journal_course(world)
    course = _history(world)
    bob, vic = classmates(world)

    def history_lesson(day):
        return Lesson.objects.get(course=course, date=day)

    from gradebook.marks import work_add
    from gradebook.models import WorkType

    answer = WorkType.objects.get(school=world.school, name=ANSWER)
    at(clock, _day(11))
    work = work_add(actor=world.teacher, lesson=history_lesson(_day(11)), work_type=answer)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    mark_set(actor=world.teacher, work=work, pupil_id=bob.pk, value="4")
    at(clock, _day(18))
    work = work_add(actor=world.teacher, lesson=history_lesson(_day(18)), work_type=answer)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="4")

    assert fill_rate.course_figures(scope(world))[course.pk].density_short == 0
    nov30 = datetime.date(2026, 11, 30)
    s = Scope(school=world.school, year=course.year, start=_day(23), end=nov30, today=nov30)
    f = fill_rate.course_figures(s)[course.pk]
    assert (f.density_pupils, f.density_short) == (3, 1)
    assert [
        (r.pupil_id, r.period_marks, r.need) for r in fill_rate.pupil_rows(s, "density") if r.course_id == course.pk
    ] == [(vic.pk, 0, 1)]
    dec7 = datetime.date(2026, 12, 7)
    s = Scope(school=world.school, year=course.year, start=_day(30), end=dec7, today=dec7)
    figures = fill_rate.course_figures(s)
    assert (figures[course.pk].density_pupils, figures[course.pk].density_short) == (3, 2)
    short = {(r.pupil_id, r.need) for r in fill_rate.pupil_rows(s, "density") if r.course_id == course.pk}
    assert short == {(bob.pk, 2), (vic.pk, 2)}
    maths = {r.need for r in fill_rate.pupil_rows(s, "density") if r.course_id == journal_course(world).pk}
    assert maths == {6}


def test_r_j07_thematic_plan_drift(world, clock):
    """R-J07: a plan of 4 items (1, 2, 1 and 1 hours) applied on 9 November takes the lessons of 9–13 November. On
    17 November the timetable's 7 lessons should have reached all 4 items and reached them: on schedule. Cancelling
    13 November (item 4) leaves it unreached: behind by 1. A plan of 10 one-hour items: 7 expected, 7 reached."""
    course = journal_course(world)
    at(clock, _day(9))
    lines = [PlanLine(topic="Дроби"), PlanLine(topic="Сложение", hours=2), PlanLine(topic="Вычитание")]
    plan_replace(actor=world.teacher, course=course, items=[*lines, PlanLine(topic="Контрольная работа")])
    plan_apply(actor=world.teacher, course=course)
    at(clock, TODAY, 9)
    f = fill_rate.course_figures(scope(world))[course.pk]
    assert (f.plan_items, f.scheduled_to_date, f.plan_expected, f.plan_reached, f.drift) == (4, 7, 4, 4, 0)
    lesson_cancel(actor=world.admin, lesson=lesson_of(world, _day(13)), reason="Карантин")
    f = fill_rate.course_figures(scope(world))[course.pk]
    assert (f.held_to_date, f.plan_expected, f.plan_reached, f.drift, f.courses_behind) == (6, 4, 3, -1, 1)
    from reports.views_fill_rate import plan_text

    assert plan_text(f, True) == "отстаёт на 1"
    plan_replace(actor=world.teacher, course=course, items=[PlanLine(topic=f"Тема {i}") for i in range(10)])
    plan_apply(actor=world.teacher, course=course)
    f = fill_rate.course_figures(scope(world))[course.pk]
    # 7 timetable lessons: 7 items expected; the 6 held lessons took items 1–6 (the cancelled one is out of the
    # journal and takes no item), so one is missing.
    assert (f.plan_items, f.plan_expected, f.plan_reached, f.drift) == (10, 7, 6, -1)


def test_r_j01_parents_and_pupils_who_opened_the_diary(world, clock, client):
    """R-J01 (% of parents and pupils using the system): in 5А the pupil opened the diary, Бобров and Волков did not
    (1 of 3, 33 %); the pupil's mother did not (0 of 1). In the school (5Б's pupil and parent too, the parent opened
    it): pupils 1 of 4 (25 %), parents 1 of 2 (50 %). A parent who opted out is not counted."""
    classmates(world)
    for person in (world.pupil, world.other_guardian):
        client.force_login(person)
        assert client.get(reverse("diary:home"), follow=True).status_code == 200
    assert DiaryVisit.objects.filter(school=world.school).count() == 2
    usage = fill_rate.diary_usage(scope(world))
    own = usage[world.school_class.pk]
    assert (own.pupils, own.pupils_opened, own.guardians, own.guardians_opened) == (3, 1, 1, 0)
    whole = usage[None]
    assert (whole.pupils, whole.pupils_opened, whole.guardians, whole.guardians_opened) == (4, 1, 2, 1)
    silent = fill_rate.silent_people(scope(world), "diary_pupils", world.school_class.pk)
    assert [p.last_name for p in silent] == ["Бобров", "Волков"]
    from accounts.models import GuardianProfile

    GuardianProfile.objects.update_or_create(
        school=world.school, guardian=world.guardian, defaults={"diary_opt_out": True}
    )
    assert fill_rate.diary_usage(scope(world))[world.school_class.pk].guardians == 0


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_the_school_level_shows_classes_and_teachers_with_links(world, clock, client):
    """R-J01, R-J04: the deputy's start page is the school level: 5А with its figures linked to what is behind them."""
    course = filled_journal(world, clock)
    client.force_login(world.deputy)
    response = client.get(reverse("reports:control"), {"start": "2026-11-09", "end": "2026-11-17"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Контроль ведения журнала" in text
    assert "5А" in text
    assert reverse("reports:fill_rate_class", args=[world.school_class.pk]) in text
    assert "what=no_topic" in text
    assert "3 из 4; не более 5, в среднем 4,0 дн." in text
    rows = {label: cells for label, cells in _cells(response.context["rows"])}
    assert rows["5А"][:4] == ["7", "4", "4", "4"]
    assert rows["5Б"][:4] == ["0", "0", "0", "0"]
    teachers = response.context["teachers"]
    assert [t.label for t in teachers] == [world.teacher.get_full_name()]
    assert course.pk


def _cells(rows):
    return [(r.label, [c.text for c in r.cells]) for r in rows]


def test_default_range_is_the_current_period_up_to_today(world, clock, client):
    journal_course(world)
    client.force_login(world.deputy)
    response = client.get(reverse("reports:control"))
    assert response.status_code == 200
    s = response.context["scope"]
    assert (s.start, s.end) == (START, TODAY)
    assert "текущая неделя" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-11-17", "end": "2026-11-09"}, "раньше"),
        ({"start": "2026-09-01", "end": "2027-09-30"}, "учебного года"),
        ({"start": "вчера", "end": "2026-11-09"}, "дд.мм.гггг"),
    ],
)
def test_bad_ranges_are_refused_with_a_russian_message(world, client, params, message):
    client.force_login(world.deputy)
    response = client.get(reverse("reports:control"), params)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_russian_dates_are_accepted(world, client):
    journal_course(world)
    client.force_login(world.deputy)
    response = client.get(reverse("reports:control"), {"start": "09.11.2026", "end": "13.11.2026"})
    assert response.status_code == 200
    assert response.context["scope"].end == _day(13)


def test_class_and_course_levels_drill_down_to_lessons_with_a_remark_link(world, clock, client):
    course = filled_journal(world, clock)
    client.force_login(world.deputy)
    query = {"start": "2026-11-09", "end": "2026-11-17"}
    response = client.get(reverse("reports:fill_rate_class", args=[world.school_class.pk]), query)
    assert response.status_code == 200
    assert reverse("reports:fill_rate_course", args=[course.pk]) in response.content.decode()
    response = client.get(reverse("reports:fill_rate_course", args=[course.pk]), query)
    assert response.status_code == 200
    text = response.content.decode()
    lesson = lesson_of(world, _day(12))
    assert f"{reverse('reports:remark_add', args=[course.pk])}?lesson={lesson.pk}" in text
    assert reverse("gradebook:journal", args=[course.pk]) in text
    assert [p.name for p in response.context["pupils"]][0].startswith("Бобров")
    response = client.get(reverse("reports:fill_rate_lessons"), query | {"course": course.pk, "what": "no_topic"})
    assert [line.lesson.date for line in response.context["lessons"]] == [_day(12), _day(13), _day(16), _day(17)]
    assert "нет темы" in response.content.decode()
    response = client.get(reverse("reports:fill_rate_lessons"), query | {"what": "marks_late"})
    assert [line.lesson.date for line in response.context["lessons"]] == [_day(10), _day(12)]
    response = client.get(reverse("reports:fill_rate_pupils"), query | {"class": world.school_class.pk})
    assert [p.name.split()[0] for p in response.context["pupils"]] == ["Волков"]


def test_another_schools_class_or_course_is_not_found(world, client):
    course = journal_course(world)
    client.force_login(world.foreign_teacher)
    assert client.get(reverse("reports:fill_rate_course", args=[course.pk])).status_code == 404
    from tests.factories import UserFactory as F

    foreign_deputy = F(school=world.other_school, username="foreign_deputy", roles=[Role.DEPUTY])
    client.force_login(foreign_deputy)
    assert client.get(reverse("reports:fill_rate_class", args=[world.school_class.pk])).status_code == 404
    assert client.get(reverse("reports:fill_rate_lessons"), {"course": course.pk}).status_code == 404
    assert client.get(reverse("reports:fill_rate_pupils"), {"class": "x"}).status_code == 404
    assert client.get(reverse("reports:fill_rate_pupils"), {"course": "9" * 30}).status_code == 404


# --- Exports -------------------------------------------------------------------------------------------------------


def test_a_class_exports_as_xlsx_and_a_course_as_pdf(world, clock, client):
    from openpyxl import load_workbook

    course = filled_journal(world, clock)
    client.force_login(world.deputy)
    query = {"start": "2026-11-09", "end": "2026-11-17"}
    response = client.get(reverse("reports:fill_rate_export"), query | {"class": world.school_class.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    maths = next(row for row in values if row[0] and str(row[0]).startswith("Математика"))
    assert maths[2:6] == [7, 4, 4, 4]
    response = client.get(reverse("reports:fill_rate_export"), query | {"course": course.pk, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.get(reverse("reports:fill_rate_export"), query).status_code == 400


def test_the_whole_school_exports_in_the_background(world, clock, client, django_capture_on_commit_callbacks):
    filled_journal(world, clock)
    client.force_login(world.deputy)
    data = {"start": "2026-11-09", "end": "2026-11-17", "format": "xlsx"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:fill_rate_export_start"), data)
    job = ReportJob.objects.get(kind="fill_rate_xlsx")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert job.filename.endswith(".xlsx")
    bad = client.post(reverse("reports:fill_rate_export_start"), data | {"end": "2026-11-01"})
    assert bad.status_code == 400


# --- Queries -------------------------------------------------------------------------------------------------------


def _bigger_school(w, clock):
    """Three more classes with two courses each, pupils and marks: the counts below must not grow with them."""
    filled_journal(w, clock)
    from schedule.services import classes as cs
    from tests.factories import make_class

    at(clock, TODAY, 9)
    slot = 0
    for letter in ("В", "Г", "Д"):
        school_class = make_class(w.school_class.year, 6, letter, w.other_teacher)
        kids = [UserFactory(school=w.school, username=f"kid{letter}{i}", roles=[Role.PUPIL]) for i in range(4)]
        cs.pupils_enroll(actor=w.admin, school_class=school_class, pupils=kids, since=SEPT)
        for subject in ("Русский язык", "Физика"):
            course = make_course(school_class, w.other_teacher, subject, 2)
            slot += 1
            timetable.timetable_entry_add(actor=None, course=course, weekday=1, number=slot, valid_from=SEPT)
            timetable.lessons_generate(actor=None, year=course.year, start=START, end=TODAY)


@pytest.mark.parametrize("bigger", [False, True])
def test_query_counts_do_not_grow_with_the_school(world, clock, client, django_assert_max_num_queries, bigger):
    """Issue 9 item 8: the school level in ≤ 20 queries, the class and course levels too, whatever the size."""
    if bigger:
        _bigger_school(world, clock)
    else:
        filled_journal(world, clock)
    course = journal_course(world)
    client.force_login(world.deputy)
    query = {"start": "2026-09-01", "end": "2026-12-28"}
    client.get(reverse("reports:control"), query)  # the session's first request warms the caches
    with django_assert_max_num_queries(SCHOOL_QUERIES):
        assert client.get(reverse("reports:control"), query).status_code == 200
    with django_assert_max_num_queries(CLASS_QUERIES):
        assert client.get(reverse("reports:fill_rate_class", args=[world.school_class.pk]), query).status_code == 200
    with django_assert_max_num_queries(COURSE_QUERIES):
        assert client.get(reverse("reports:fill_rate_course", args=[course.pk]), query).status_code == 200


SCHOOL_QUERIES, CLASS_QUERIES, COURSE_QUERIES = 11, 12, 17
