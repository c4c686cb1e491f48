"""The set-up checklist (DESIGN §6.1) with the seeds' deadlines (R-B16).

It reads accounts, schedule and gradebook, so it lives at the top, in ejournal.

Deadlines count from the school's registration in the portal for its first year and are 1 September in later years
(seed 004 §1.1 items 10-18, §2.1): administrators 5 days; classes, groups and the pupils' distribution 10 days;
the school's parameters, the timetable and the thematic plans 15 days; staff, periods, bells, subjects, pupils and
parents 20 days; the teaching load is approved with them (R-B05).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import CredentialIssue, GuardianLink, Membership, PersonalDataConsent, Role, School
from gradebook.models import WorkType
from schedule.models import (
    AcademicYear,
    BellSchedule,
    Course,
    Enrollment,
    Holiday,
    Lesson,
    SchoolClass,
    StudyPeriod,
    Subject,
    TimetableEntry,
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    value: str
    url_name: str
    due: datetime.date | None = None
    overdue: bool = False
    url_arg: int | None = None


DEADLINE_DAYS = {
    "admins": 5, "classes": 10, "class_teachers": 10, "enrolled": 10, "rules": 15, "staff": 20, "periods": 20,
    "holidays": 20, "bells": 20, "subjects": 20, "work_types": 20, "pupils": 20, "guardians": 20, "links": 20,
    "courses": 20, "timetable": 15, "lessons": 15, "plans": 15,
}  # fmt: skip


def _due(key: str, school: School, year: AcademicYear | None) -> datetime.date | None:
    days = DEADLINE_DAYS.get(key)
    if days is None:
        return None
    registered = school.created_at.date()
    if year is not None and year.start > registered + datetime.timedelta(days=days):
        return year.start  # a later year: everything by its first day (1 September)
    return registered + datetime.timedelta(days=days)


def setup_checklist(*, school: School, year: AcademicYear | None, day: datetime.date) -> list[Step]:
    people = Membership.objects.for_school(school).aggregate(
        admins=Count("user", filter=Q(role=Role.ADMIN), distinct=True),
        staff=Count("user", filter=Q(role__in=[Role.TEACHER, Role.DEPUTY, Role.DIRECTOR]), distinct=True),
        pupils=Count("user", filter=Q(role=Role.PUPIL), distinct=True),
        guardians=Count("user", filter=Q(role=Role.GUARDIAN), distinct=True),
        everyone=Count("user", distinct=True),
    )
    has_timetable = Exists(TimetableEntry.objects.filter(course__school_class=OuterRef("pk")))
    classes = SchoolClass.objects.filter(year=year).aggregate(
        total=Count("id"),
        with_teacher=Count("id", filter=Q(class_teacher__isnull=False)),
        with_timetable=Count("id", filter=has_timetable),
    )
    in_year = Q(year=year)
    periods = StudyPeriod.objects.filter(in_year).count() if year else 0
    holidays = Holiday.objects.filter(in_year).count() if year else 0
    enrolled = (
        Enrollment.objects.for_school(school).on(max(day, year.start)).filter(school_class__year=year).count()
        if year
        else 0
    )
    members = Membership.objects.for_school(school).values("user_id")
    with_consent = (
        PersonalDataConsent.objects.for_school(school)
        .filter(withdrawn_on__isnull=True, person_id__in=members)
        .values("person_id")
        .distinct()
        .count()
    )
    issued = CredentialIssue.objects.for_school(school).values("person_id").distinct().count()
    linked = GuardianLink.objects.for_school(school).values("pupil").distinct().count()
    bells = BellSchedule.objects.for_school(school).annotate(n=Count("bells")).filter(n__gt=0).count()
    subjects = Subject.objects.for_school(school).count()
    work_types = WorkType.objects.for_school(school).count()
    courses = Course.objects.filter(year=year).aggregate(
        total=Count("id"),
        with_plan=Count("id", filter=Q(plan_updated_at__isnull=False)),
        with_lessons=Count("id", filter=Exists(Lesson.objects.filter(course=OuterRef("pk")))),
    )
    with_timetable = classes["with_timetable"]
    lessons = courses["with_lessons"] > 0

    def step(key, label, done, value, url_name, url_arg=None) -> Step:
        due = _due(key, school, year)
        return Step(key, label, done, str(value), url_name, due, bool(due and not done and day > due), url_arg)

    year_page = ("schedule:year_detail", year.pk) if year else ("schedule:year_list", None)

    p = people
    return [
        step("year", _("Academic year"), year is not None, year or "", "schedule:year_list"),
        step("periods", _("Study periods (quarters or halves)"), periods > 0, periods, *year_page),
        step("holidays", _("Holidays"), holidays > 0, holidays, *year_page),
        step("bells", _("Bell schedules"), bells > 0, bells, "schedule:bell_list"),
        step("subjects", _("Subjects"), subjects > 0, subjects, "schedule:subject_list"),
        step("work_types", _("Work types and their weights"), work_types > 0, work_types, "gradebook:worktype_list"),
        step("rules", _("The school's time rules"), True, _("seeds' defaults or the school's own"), "accounts:rules"),
        step("admins", _("School administrators"), p["admins"] > 0, p["admins"], "schedule:people_list"),
        step("staff", _("Teachers and administration"), p["staff"] > 0, p["staff"], "schedule:people_list"),
        step("classes", _("Classes of the year"), classes["total"] > 0, classes["total"], "schedule:class_list"),
        step(
            "class_teachers",
            _("Class teachers assigned"),
            classes["total"] > 0 and classes["with_teacher"] == classes["total"],
            f"{classes['with_teacher']} / {classes['total']}",
            "schedule:class_list",
        ),
        step("pupils", _("Pupils"), p["pupils"] > 0, p["pupils"], "schedule:import_upload"),
        step(
            "enrolled",
            _("Pupils enrolled in classes"),
            p["pupils"] > 0 and enrolled >= p["pupils"],
            f"{enrolled} / {p['pupils']}",
            "schedule:class_list",
        ),
        step("guardians", _("Parents"), p["guardians"] > 0, p["guardians"], "schedule:import_upload"),
        step(
            "links",
            _("Pupils linked to parents"),
            p["pupils"] > 0 and linked >= p["pupils"],
            f"{linked} / {p['pupils']}",
            "schedule:people_list",
        ),
        step(
            "consents",
            _("Consents to personal-data processing"),
            p["everyone"] > 0 and with_consent >= p["everyone"],
            f"{with_consent} / {p['everyone']}",
            "schedule:people_list",
        ),
        step("courses", _("Teaching load"), courses["total"] > 0, courses["total"], "schedule:course_list"),
        step(
            "timetable",
            _("Timetable of every class"),
            classes["total"] > 0 and with_timetable >= classes["total"],
            f"{with_timetable} / {classes['total']}",
            "schedule:timetable_index",
        ),
        step(
            "lessons",
            _("Lessons generated from the timetable"),
            lessons,
            _("yes") if lessons else _("no"),
            "schedule:lessons_generate",
        ),
        step(
            "plans",
            _("Thematic plans of the courses"),
            courses["total"] > 0 and courses["with_plan"] >= courses["total"],
            f"{courses['with_plan']} / {courses['total']}",
            "schedule:plan_list",
        ),
        step(
            "credentials",
            _("Logins and temporary passwords handed out"),
            p["everyone"] > 0 and issued >= p["everyone"] - p["admins"],
            f"{issued} / {p['everyone']}",
            "schedule:credentials_staff",
        ),
    ]
