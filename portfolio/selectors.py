"""Reads of the portfolio pages: a pupil's achievements grouped by academic year, the deputy's report of how full the
classes' portfolios are (one SQL aggregate for every class of the year) and a class's pupils with their entries.
Each is a fixed number of queries, whatever the number of pupils and entries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from accounts.models import School, User
from schedule.models import AcademicYear, Course, Enrollment, GroupMembership, SchoolClass
from schedule.selectors import taught_courses

from .models import Achievement

LEVELS = Achievement.Level


# --- A pupil's portfolio ---------------------------------------------------------------------------------------


@dataclass
class YearGroup:
    key: str  # the year's id, or the «2025/2026» label of a year the school has no row for
    label: str
    items: list[Achievement] = field(default_factory=list)


def _school_year_label(day: datetime.date) -> str:
    """«2025/2026» for a day of a year the school never entered (an achievement from before the journal)."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}/{first + 1}"


def pupil_achievements(*, school: School, pupil: User) -> list[Achievement]:
    """Newest first, with their subjects and authors: one query."""
    return list(
        Achievement.objects.for_school(school)
        .filter(pupil=pupil)
        .select_related("subject", "author")
        .order_by("-date", "-pk")
    )


def by_year(*, school: School, achievements: list[Achievement]) -> list[YearGroup]:
    """The achievements grouped by the school's academic year of their date, newest year first: one query."""
    years = list(AcademicYear.objects.for_school(school).order_by("-start").only("name", "start", "end"))
    groups: dict[str, YearGroup] = {}
    for item in achievements:
        year = next((y for y in years if y.start <= item.date <= y.end), None)
        key, label = (str(year.pk), year.name) if year else (_school_year_label(item.date),) * 2
        groups.setdefault(key, YearGroup(key, label)).items.append(item)
    return list(groups.values())  # the achievements come newest first, so their years do too


# --- The deputy's report -----------------------------------------------------------------------------------------


@dataclass
class ClassLine:
    school_class: SchoolClass
    pupils: int
    with_entries: int
    entries: int
    by_level: list[int]

    @property
    def share(self) -> int | None:
        """Per cent of the class's pupils with at least one entry of the year."""
        return round(100 * self.with_entries / self.pupils) if self.pupils else None

    @property
    def level_cells(self) -> list[tuple[str, int]]:
        return list(zip(LEVELS.labels, self.by_level, strict=True))


def _enrolled(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}since__lte": day}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": day})
    )


def class_summary(
    *, school: School, year: AcademicYear, day: datetime.date, class_ids: list[int] | None = None
) -> list[ClassLine]:
    """Each class of the year (or of `class_ids`): its pupils enrolled on the day, how many have at least one entry
    dated within the year, the year's entries and their number by level. One query."""
    enrolled = _enrolled(day, "enrollments__")
    ach = "enrollments__pupil__achievements"
    entry = enrolled & Q(**{f"{ach}__school": school, f"{ach}__date__gte": year.start, f"{ach}__date__lte": year.end})
    annotations = {
        "n_pupils": Count("enrollments__pupil", filter=enrolled, distinct=True),
        "n_with": Count("enrollments__pupil", filter=entry, distinct=True),
        "n_entries": Count(ach, filter=entry, distinct=True),
        **{
            f"n_{level}": Count(ach, filter=entry & Q(**{f"{ach}__level": level}), distinct=True)
            for level in LEVELS.values
        },
    }
    classes = SchoolClass.objects.for_school(school).filter(year=year)
    if class_ids is not None:
        classes = classes.filter(pk__in=class_ids)
    return [
        ClassLine(
            school_class=c,
            pupils=c.n_pupils,
            with_entries=c.n_with,
            entries=c.n_entries,
            by_level=[getattr(c, f"n_{level}") for level in LEVELS.values],
        )
        for c in classes.annotate(**annotations).order_by("grade", "letter")
    ]


def summary_total(lines: list[ClassLine]) -> ClassLine | None:
    if len(lines) < 2:
        return None
    return ClassLine(
        school_class=None,
        pupils=sum(line.pupils for line in lines),
        with_entries=sum(line.with_entries for line in lines),
        entries=sum(line.entries for line in lines),
        by_level=[sum(values) for values in zip(*(line.by_level for line in lines), strict=True)],
    )


# --- A class's pupils ---------------------------------------------------------------------------------------------


def taught_pupils(user: User, school_class: SchoolClass, day: datetime.date) -> Q | None:
    """A Q over enrollments: the pupils of the class this user teaches on the day (all of them when they teach a
    whole-class course of it); None when they teach the whole class."""
    courses = Course.objects.filter(pk__in=taught_courses(user))
    if courses.filter(school_class=school_class, group__isnull=True).exists():
        return None
    groups = GroupMembership.objects.on(day).filter(group__courses__in=courses).values("pupil_id")
    return Q(pupil_id__in=groups)


def class_pupils_entries(
    *, school: School, school_class: SchoolClass, year: AcademicYear, day: datetime.date, only: Q | None = None
) -> QuerySet[Enrollment]:
    """The class's pupils on the day, each with `year_entries` (dated within the year) and `all_entries`; one
    query."""
    in_school = Q(pupil__achievements__school=school)
    enrollments = Enrollment.objects.for_school(school).on(day).filter(school_class=school_class)
    if only is not None:
        enrollments = enrollments.filter(only)
    return (
        enrollments.select_related("pupil")
        .annotate(
            year_entries=Count(
                "pupil__achievements",
                filter=in_school
                & Q(pupil__achievements__date__gte=year.start, pupil__achievements__date__lte=year.end),
            ),
            all_entries=Count("pupil__achievements", filter=in_school),
        )
        .order_by("pupil__last_name", "pupil__first_name", "pupil__middle_name", "pupil_id")
    )
