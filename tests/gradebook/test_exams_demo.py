"""The demo's state exam results and family-education pupil (issue 12 item 6): made through the services, once."""

import datetime

from accounts.models import Role
from ejournal.demo_exams import add_exam_results
from gradebook.models import ExamResult, PeriodMark
from schedule.models import Enrollment
from schedule.services import classes as class_services
from schedule.services import years as year_services
from tests.factories import UserFactory, make_class, make_course


def test_the_demo_adds_exam_results_one_late_and_a_family_pupil_R_E12_R_E11(world):
    day = datetime.date(2026, 11, 17)
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    nine, seven = make_class(year, 9, "А"), make_class(year, 7, "А")
    pupils = [UserFactory(school=world.school, roles=[Role.PUPIL]) for _n in range(3)]
    class_services.pupils_enroll(actor=None, school_class=nine, pupils=pupils[:2], since=year.start)
    class_services.pupils_enroll(actor=None, school_class=seven, pupils=pupils[2:], since=year.start)
    make_course(nine, world.teacher, "Математика", 5)
    make_course(nine, world.teacher, "Русский язык", 4)
    make_course(seven, world.teacher, "Математика", 5)

    results, marks = add_exam_results(school=world.school, year=year, today=day)
    assert results == 4
    assert ExamResult.objects.filter(late=True).count() == 1
    assert set(ExamResult.objects.values_list("mark", flat=True)) <= {2, 3, 4, 5}
    assert Enrollment.objects.get(pupil=pupils[2]).form == Enrollment.Form.FAMILY
    assert marks == 1  # maths, the first quarter (over by 17.11)
    assert PeriodMark.objects.get(pupil=pupils[2]).protocol == "ПА-1"
    assert add_exam_results(school=world.school, year=year, today=day) == (0, 0)
