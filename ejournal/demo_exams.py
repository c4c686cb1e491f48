"""State exam results and family education in the demo school (issue 12 item 6; R-E11, R-E12): ОГЭ in Russian and
mathematics for the grade 9 classes, ЕГЭ in Russian (a test score) and basic mathematics (a mark) for grade 11, with
a realistic spread, one of them entered late; and one pupil of 7th grade in family education, attested by the
commission for the periods already over. Through the same services as real data; nothing is added twice.

The results are dated a few days back from the demo's day (the demo is seeded in any month, and a result is entered
only once it has arrived)."""

import datetime
import random

from accounts.models import School, User
from gradebook import exams as exam_services
from gradebook.family_education import attestation_courses, family_attestation_set
from gradebook.models import ExamResult, PeriodMark
from gradebook.services import GradebookError
from schedule.models import AcademicYear, Enrollment, SchoolClass, StudyPeriod, Subject
from schedule.services import classes as class_services

# ОГЭ: primary score → mark by FIPI's usual scales (Russian out of 37, mathematics out of 31).
OGE_SCALES = {
    "Русский язык": (37, ((15, 3), (23, 4), (31, 5))),
    "Математика": (31, ((8, 3), (15, 4), (22, 5))),
}
BASE_MATHS_SCALE = (21, ((7, 3), (12, 4), (17, 5)))


def _mark(score: int, steps) -> int:
    mark = 2
    for threshold, value in steps:
        if score >= threshold:
            mark = value
    return mark


def add_exam_results(*, school: School, year: AcademicYear, today: datetime.date) -> tuple[int, int]:
    """ОГЭ and ЕГЭ results of the graduating classes and a family-education pupil; returns (results, marks)."""
    if ExamResult.objects.filter(school=school).exists():
        return 0, 0
    deputy = User.objects.filter(username="deputy").first()
    if deputy is None:
        return 0, 0
    rnd = random.Random(2027)  # noqa: S311 - demo data, not security
    subjects = {s.name: s for s in Subject.objects.filter(school=school, name__in=["Русский язык", "Математика"])}
    received = today - datetime.timedelta(days=1)
    exam_day = max(received - datetime.timedelta(days=12), year.start)
    results = 0
    late_done = False
    for school_class in SchoolClass.objects.filter(school=school, year=year, grade__in=(9, 11)).order_by("grade"):
        pupils = [
            e.pupil
            for e in Enrollment.objects.on(today)
            .filter(school_class=school_class)
            .select_related("pupil")
            .order_by("pupil__last_name", "pupil_id")
        ]
        for n, pupil in enumerate(pupils):
            for name, subject in subjects.items():
                # One result arrived earlier and was entered late (R-E12): the deputy's list counts it.
                arrived = received
                if not late_done:
                    arrived, late_done = today - datetime.timedelta(days=4), True
                day = exam_day if name == "Русский язык" else exam_day + datetime.timedelta(days=3)
                day = min(day, arrived)
                common = {
                    "actor": deputy,
                    "school_class": school_class,
                    "pupil": pupil,
                    "subject": subject,
                    "exam_date": day,
                    "received_on": arrived,
                }
                if school_class.grade == 9:
                    top, steps = OGE_SCALES[name]
                    score = min(top, max(4, round(rnd.gauss(top * 0.62, top * 0.18))))
                    kwargs = {"kind": "oge", "primary_score": score, "mark": _mark(score, steps)}
                elif name == "Русский язык":
                    test = min(100, max(24, round(rnd.gauss(71, 12))))
                    kwargs = {"kind": "ege", "primary_score": round(test * 0.58), "test_score": test}
                else:
                    top, steps = BASE_MATHS_SCALE
                    score = min(top, max(5, round(rnd.gauss(15, 3))))
                    kwargs = {"kind": "ege_base", "primary_score": score, "mark": _mark(score, steps)}
                try:
                    exam_services.exam_result_set(**common, **kwargs)
                except GradebookError:
                    continue
                results += 1
            if n > 40:
                break
    return results, add_family_pupil(school=school, year=year, today=today, deputy=deputy)


def add_family_pupil(*, school: School, year: AcademicYear, today: datetime.date, deputy: User) -> int:
    """The last pupil of the first 7th class learns in family education; the commission's marks of the periods over."""
    school_class = SchoolClass.objects.filter(school=school, year=year, grade=7).order_by("letter").first()
    if school_class is None:
        return 0
    enrollment = (
        Enrollment.objects.on(today)
        .filter(school_class=school_class)
        .select_related("pupil")
        .order_by("-pupil__last_name", "-pupil_id")
        .first()
    )
    if enrollment is None:
        return 0
    pupil = enrollment.pupil
    class_services.enrollment_form_set(
        actor=None, pupil=pupil, school_class=school_class, form=Enrollment.Form.FAMILY, day=today
    )
    periods = [
        p
        for p in StudyPeriod.objects.filter(school=school, year=year).order_by("start")
        if p.grade_from <= 7 <= p.grade_to and p.end < today
    ]
    rnd = random.Random(7)  # noqa: S311 - demo data, not security
    made = 0
    for number, period in enumerate(periods, start=1):
        protocol_day = min(period.end + datetime.timedelta(days=5), today)
        for course in attestation_courses(school_class):
            if PeriodMark.objects.filter(course=course, period=period, pupil=pupil, protocol__gt="").exists():
                continue
            try:
                family_attestation_set(
                    actor=deputy,
                    pupil=pupil,
                    course=course,
                    period=period,
                    value=rnd.choice("4455"),
                    protocol=f"ПА-{number}",
                    protocol_date=protocol_day,
                )
            except GradebookError:
                continue
            made += 1
    return made
