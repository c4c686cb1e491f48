"""The risk list (issue 9, item 7) against the hand-built 5А of test_class_reports (R-E02 forecast, R-E06 too few
marks, attendance R-H01, a falling weighted average), evaluated on Saturday 28.11.2026: 20 of the 2nd quarter's 50
days are gone, so maths (5 marks a period) expects 5·20//50 = 2 marks by now and Russian (3) 3·20//50 = 1.

Data: Андреев maths 5, 5, Russian 5 (9.11), absent (Н) from Russian on 16.11 — 1 of its 2 lessons, 50 %;
Борисова maths 4, 4, Russian 4, ill (Б) on maths 12.11 — 1 of 10 lessons, 10 %; Волков maths 4 (10.11), 5 (11.11),
2 (18.11), 2 (19.11) — 4,50 up to 14.11, 3,25 now —, Russian 4; Григорьева maths 2, 2, no Russian mark."""

import datetime

import pytest
from django.urls import reverse

from gradebook.marks import mark_set, work_add
from reports import risk as rk
from schedule.models import Lesson, SchoolClass
from schedule.services import timetable
from tests.factories import make_course
from tests.matrix.journal import FIRST, LAST

from .test_class_reports import A, C, D, Klass, d

pytestmark = pytest.mark.django_db

SATURDAY = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


def build(world, clock) -> Klass:
    k = Klass(world)
    for key, first, second in (("a", "5", "5"), ("b", "4", "4"), ("c", "4", "5"), ("d", "2", "2")):
        k.mark(k.maths, d(10), key, first)
        k.mark(k.maths, d(11), key, second)
    k.mark(k.russian, d(9), "a", "5")
    k.mark(k.russian, d(16), "b", "4")
    k.mark(k.russian, d(16), "c", "4")
    k.absent(k.russian, d(16), "a", "absent")
    k.absent(k.maths, d(12), "b", "ill")
    clock.move_to(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC))
    k.mark(k.maths, d(18), "c", "2")
    k.mark(k.maths, d(19), "c", "2")
    clock.move_to(SATURDAY)
    return k


def flat(groups) -> list[tuple[str, str, list[str]]]:
    return [(p.name, s.subject, [r.kind for r in s.reasons]) for g in groups for p in g.pupils for s in p.subjects]


def texts(groups) -> list[str]:
    return [r.text for g in groups for p in g.pupils for s in p.subjects for r in s.reasons]


def test_risk_criteria_by_hand_two_weeks(world, clock):
    """Forecast «2» (R-E02), too few marks (R-E06), missed share above 30 %, a fall of 0,5 or more in 2 weeks."""
    build(world, clock)
    groups = rk.risk_list(classes=[world.school_class], day=d(28), params=rk.Params(weeks=2))
    assert flat(groups) == [
        (A, "Русский язык", ["missed"]),
        (C, "Математика", ["falling"]),
        (D, "Математика", ["forecast"]),
        (D, "Русский язык", ["few_marks"]),
    ]
    assert texts(groups) == [
        "пропущено 1 из 2 уроков (50 %)",
        "средневзвешенный балл снизился с 4,50 до 3,25 за 2 нед.",
        "прогноз «2» (средневзвешенный балл 2,00)",
        "отметок: 0, к этой дате ожидается 1 (за период нужно 3)",
    ]


def test_risk_parameters_change_the_list(world, clock):
    """Default 3 weeks reach back before the quarter began (7.11): no fall is measured. A threshold of 5 % lists
    Борисова's 1 of 10 maths lessons; a step of 1,5 leaves Волков's fall of 1,25 out."""
    build(world, clock)
    groups = rk.risk_list(classes=[world.school_class], day=d(28))
    assert "falling" not in {kind for _n, _s, kinds in flat(groups) for kind in kinds}
    groups = rk.risk_list(
        classes=[world.school_class], day=d(28), params=rk.Params(threshold=5, step=rk.Decimal("1.5"), weeks=2)
    )
    assert ("Борисова Вера Олеговна", "Математика", ["missed"]) in flat(groups)
    assert "пропущено 1 из 10 уроков (10 %)" in texts(groups)
    assert not any("falling" in kinds for _n, _s, kinds in flat(groups))


def test_risk_nobody_at_the_start_of_the_period(world, clock):
    """On the period's 9th day (17.11) maths expects 5·9//50 = 0 marks: nobody is listed for too few marks."""
    k = Klass(world)
    k.mark(k.maths, d(10), "d", "5")
    groups = rk.risk_list(classes=[world.school_class], day=d(17))
    assert flat(groups) == []


def add_other_class(world):
    """5Б: `other_pupil` with maths 2, 2 (a forecast «2»)."""
    course = make_course(world.other_class, world.other_teacher, "Математика", 5)
    year = world.other_class.year
    for weekday in range(1, 6):
        timetable.timetable_entry_add(actor=None, course=course, weekday=weekday, number=4, valid_from=year.start)
    timetable.lessons_generate(actor=None, year=year, start=FIRST, end=LAST)
    from gradebook.models import WorkType
    from tests.matrix.journal import ANSWER

    answer = WorkType.objects.get(school=world.school, name=ANSWER)
    for day in (d(10), d(11)):
        work = work_add(actor=world.other_teacher, lesson=Lesson.objects.get(course=course, date=day), work_type=answer)
        mark_set(actor=world.other_teacher, work=work, pupil_id=world.other_pupil.pk, value="2")


def test_whole_school_risk_in_fixed_queries(world, clock, django_assert_max_num_queries):
    """The whole school as one list by class, in seven queries for one class and for two."""
    build(world, clock)
    with django_assert_max_num_queries(7):
        rk.risk_list(classes=[world.school_class], day=d(28))
    clock.move_to(datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC))
    add_other_class(world)
    clock.move_to(SATURDAY)
    classes = list(SchoolClass.objects.filter(school=world.school).select_related("year"))
    with django_assert_max_num_queries(7):
        groups = rk.risk_list(classes=classes, day=d(28), params=rk.Params(weeks=2))
    by_class = {str(g.school_class): [p.name for p in g.pupils] for g in groups}
    assert by_class["5А"] == [A, C, D]
    assert len(by_class["5Б"]) == 1


def test_risk_page_links_to_the_summary_sheet(client, world, clock):
    """The class teacher's page: their own class, each pupil linked to their summary sheet; the deputy's export of
    the whole school starts a background report."""
    build(world, clock)
    client.force_login(world.class_teacher)
    page = client.get(reverse("reports:risk"), {"weeks": "2"}).content.decode()
    assert "Группа риска 5А на 28.11.2026" in page
    assert reverse("reports:pupil_sheet", args=[world.pupil.pk]) in page
    assert "пропущено 1 из 2 уроков (50 %)" in page
    client.force_login(world.deputy)
    page = client.get(reverse("reports:risk"), {"weeks": "2"}).content.decode()
    assert "Группа риска школы на 28.11.2026" in page
    # The whole school: a line per class (3 pupils at risk in 5А: a forecast «2», too few marks, missed, falling
    # one each), its list a click away.
    assert f"?class={world.school_class.pk}&amp;threshold=30&amp;step=0.5&amp;weeks=2" in page
    assert '<td class="num">3</td><td class="num">1</td><td class="num">1</td><td class="num">1</td>' in page
    response = client.post(reverse("reports:risk_export"), {"format": "xlsx"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]


def test_risk_export_builder_builds_the_school_file(world, clock):
    """The background builder: the whole school's list as XLSX, for a reader only."""
    import io

    from openpyxl import load_workbook

    from reports.jobs import JobRefused
    from reports.models import ReportJob

    build(world, clock)
    job = ReportJob.objects.create(
        school=world.school,
        kind="class_risk_school",
        params={"format": "xlsx", "weeks": 2},
        title="Группа риска",
        requested_by=world.deputy,
        created_at=SATURDAY,
    )
    built = rk.build_school_risk(job, lambda done, total: None)
    rows = [list(r) for r in load_workbook(io.BytesIO(built.content)).worksheets[0].iter_rows(values_only=True)]
    assert ["5А", D, "Математика", "прогноз «2» (средневзвешенный балл 2,00)"] in rows
    job.requested_by = world.class_teacher
    with pytest.raises(JobRefused):
        rk.build_school_risk(job, lambda done, total: None)
