"""The demo's workload (issue 12 item 6; R-J12, R-J16): estimates on the homework, one day of 5А this week over
the limit, two reports published; nothing twice."""

import datetime

from ejournal.demo_workload import add_workload
from reports.models import PublishedReport
from reports.workload import workload
from schedule.models import Homework, Lesson
from schedule.services.homework import homework_set
from tests.matrix.journal import journal_course

TODAY = datetime.date(2026, 11, 17)


def test_the_demo_estimates_the_homework_and_marks_one_day_of_5a_over_the_limit_R_J12(world):
    course = journal_course(world)
    for day in (16, 17, 18):
        homework_set(actor=world.teacher, lesson=Lesson.objects.get(course=course, date=datetime.date(2026, 11, day)),
                     text="№ 1–3")  # fmt: skip
    estimated, published = add_workload(school=world.school, year=world.school_class.year, today=TODAY)
    assert estimated == 3 and published == 2
    assert not Homework.objects.filter(minutes__isnull=True).exists()
    assert Homework.objects.first().history.first().history_user == world.teacher
    result = workload(school=world.school, year=world.school_class.year, week=TODAY)
    five_a = next(r for r in result.rows if r.school_class == world.school_class)
    assert sum(d.minutes_over for d in five_a.days) == 1
    assert max(d.minutes for d in five_a.days) == 150  # grade 5: 120 + 30
    kinds = set(PublishedReport.objects.filter(school=world.school).values_list("kind", flat=True))
    assert kinds == {"workload", "activity"}
    assert add_workload(school=world.school, year=world.school_class.year, today=TODAY) == (0, 0)
