"""The demo school's teaching load and timetable: a curriculum per grade (ФГОС, five-day week), teachers by subject,
and a timetable placed greedily without clashes, then entered through the same services as an admin would."""

import contextlib
import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from accounts.models import User
from schedule.models import Bell, Course, SchoolClass, StudyGroup, Subject
from schedule.services import ScheduleError, timetable
from schedule.services import lessons as lesson_services

ENGLISH = "Иностранный язык (английский)"
TALKS = "Разговоры о важном"

# Hours a week per grade (a five-day week's curriculum). Data, not UI.
PRIMARY = [("Русский язык", 5), ("Литературное чтение", 4), ("Математика", 4), ("Окружающий мир", 2), ("Музыка", 1),
           ("Изобразительное искусство", 1), ("Труд (технология)", 1), ("Физическая культура", 2)]  # fmt: skip
CURRICULUM: dict[int, list[tuple[str, int]]] = {
    1: PRIMARY,
    2: PRIMARY + [(ENGLISH, 2)],
    3: PRIMARY + [(ENGLISH, 2)],
    4: [(s, 3 if s == "Литературное чтение" else h) for s, h in PRIMARY]
    + [(ENGLISH, 2), ("Основы религиозных культур и светской этики", 1)],
    5: [("Русский язык", 5), ("Литература", 3), (ENGLISH, 3), ("Математика", 5), ("История", 2), ("География", 1),
        ("Биология", 1), ("Музыка", 1), ("Изобразительное искусство", 1), ("Труд (технология)", 2),
        ("Физическая культура", 2)],
    6: [("Русский язык", 6), ("Литература", 3), (ENGLISH, 3), ("Математика", 5), ("История", 2),
        ("Обществознание", 1), ("География", 1), ("Биология", 1), ("Музыка", 1), ("Изобразительное искусство", 1),
        ("Труд (технология)", 2), ("Физическая культура", 2)],
    7: [("Русский язык", 4), ("Литература", 2), (ENGLISH, 3), ("Алгебра", 3), ("Геометрия", 2),
        ("Вероятность и статистика", 1), ("Информатика", 1), ("История", 2), ("Обществознание", 1), ("География", 2),
        ("Биология", 1), ("Физика", 2), ("Музыка", 1), ("Изобразительное искусство", 1), ("Труд (технология)", 2),
        ("Физическая культура", 2)],
    8: [("Русский язык", 3), ("Литература", 2), (ENGLISH, 3), ("Алгебра", 3), ("Геометрия", 2),
        ("Вероятность и статистика", 1), ("Информатика", 1), ("История", 2), ("Обществознание", 1), ("География", 2),
        ("Биология", 2), ("Физика", 2), ("Химия", 2), ("Музыка", 1), ("Труд (технология)", 1),
        ("Физическая культура", 2), ("Основы безопасности и защиты Родины", 1)],
    9: [("Русский язык", 3), ("Литература", 3), (ENGLISH, 3), ("Алгебра", 3), ("Геометрия", 2),
        ("Вероятность и статистика", 1), ("Информатика", 1), ("История", 2), ("Обществознание", 1), ("География", 2),
        ("Биология", 2), ("Физика", 3), ("Химия", 2), ("Труд (технология)", 1), ("Физическая культура", 2),
        ("Основы безопасности и защиты Родины", 1)],
    10: [("Русский язык", 2), ("Литература", 3), (ENGLISH, 3), ("Алгебра", 3), ("Геометрия", 2),
         ("Вероятность и статистика", 1), ("Информатика", 1), ("История", 2), ("Обществознание", 2),
         ("География", 1), ("Биология", 1), ("Физика", 2), ("Химия", 1), ("Физическая культура", 2),
         ("Основы безопасности и защиты Родины", 1)],
}  # fmt: skip
CURRICULUM[11] = CURRICULUM[10]
# Grades 1-4: the class teacher teaches these; specialists teach the rest.
PRIMARY_TEACHER = {"Русский язык", "Литературное чтение", "Математика", "Окружающий мир", "Изобразительное искусство",
                   "Труд (технология)", "Основы религиозных культур и светской этики"}  # fmt: skip
# Subject teachers teach a family of subjects, as in a Russian school (a maths teacher: algebra and geometry too).
FAMILIES = [
    ("maths", {"Математика", "Алгебра", "Геометрия", "Вероятность и статистика"}),
    ("russian", {"Русский язык", "Литература"}),
    ("english", {ENGLISH}),
    ("history", {"История", "Обществознание"}),
    ("science", {"Биология", "География"}),
    ("physics", {"Физика", "Информатика"}),
    ("chemistry", {"Химия"}),
    ("arts", {"Музыка", "Изобразительное искусство"}),
    ("crafts", {"Труд (технология)"}),
    ("sport", {"Физическая культура", "Основы безопасности и защиты Родины"}),
]
FAMILY_OF = {subject: name for name, subjects in FAMILIES for subject in subjects}
HOURS_PER_TEACHER = 22
DAYS = (1, 2, 3, 4, 5)


def _teacher_hours(grades: list[int]) -> dict[str, int]:
    """Hours a week each family of subjects needs (English twice: two subgroups)."""
    need: dict[str, int] = defaultdict(int)
    for grade in grades:
        for subject, hours in CURRICULUM[grade]:
            if grade <= 4 and subject in PRIMARY_TEACHER:
                continue
            need[FAMILY_OF[subject]] += hours * (2 if subject == ENGLISH else 1)
    return need


def specialists_needed(grades: list[int]) -> int:
    """Subject teachers the demo needs besides the class teachers (who teach too, from grade 5)."""
    need = _teacher_hours(grades)
    secondary_leaders = sum(1 for g in grades if g >= 5)
    return max(0, sum(math.ceil(h / HOURS_PER_TEACHER) + 1 for h in need.values()) - secondary_leaders)


@dataclass
class Placed:
    courses: list[Course]
    day: int
    number: int
    rooms: list[str]


@dataclass
class Planner:
    bells: dict[int | None, dict[int, tuple[datetime.time, datetime.time]]]
    busy: dict[int, list[tuple[int, datetime.time, datetime.time]]] = field(default_factory=lambda: defaultdict(list))

    def times(self, school_class: SchoolClass, number: int):
        return self.bells.get(school_class.bell_schedule_id, {}).get(number)

    def free(self, teacher_ids: list[int], school_class: SchoolClass, day: int, number: int) -> bool:
        t = self.times(school_class, number)
        if t is None:
            return False
        return not any(d == day and s < t[1] and t[0] < e for tid in teacher_ids for d, s, e in self.busy[tid])

    def take(self, teacher_ids: list[int], school_class: SchoolClass, day: int, number: int) -> None:
        start, end = self.times(school_class, number)
        for tid in teacher_ids:
            self.busy[tid].append((day, start, end))


def build_timetable(
    *,
    year,
    classes: list[SchoolClass],
    subject_teachers: list[User],
    subjects: dict[str, Subject],
    groups: dict[int, list[StudyGroup]],
    fixed: dict[str, User],
    caps: dict[int, int],
) -> int:
    """Courses for every class, a clash-free timetable from the year's first day, one change of it after the autumn
    holidays, the year's lessons, and a few cancellations and substitutions around today. Returns the entries."""
    families: dict[str, list[User]] = {name: [fixed[name]] if name in fixed else [] for name, _ in FAMILIES}
    need = _teacher_hours([c.grade for c in classes])
    pool = iter(t for t in subject_teachers if t not in fixed.values())
    for name, _subjects in FAMILIES:
        for _ in range(math.ceil(need.get(name, 0) / HOURS_PER_TEACHER) + 1):
            teacher = next(pool, None)
            if teacher is not None:
                families[name].append(teacher)
    load: dict[int, int] = defaultdict(int)
    rooms = {t.pk: f"{201 + i}" for i, t in enumerate([*fixed.values(), *subject_teachers])}
    for i, t in enumerate(families["sport"]):
        rooms[t.pk] = f"Спортзал {i + 1}"

    bells: dict[int | None, dict[int, tuple[datetime.time, datetime.time]]] = defaultdict(dict)
    for bell in Bell.objects.filter(school_id=year.school_id):
        bells[bell.schedule_id][bell.number] = (bell.start, bell.end)
    planner = Planner(bells=bells)

    def pick(family: str, exclude: set[int] = frozenset()) -> User:
        teachers = [
            t for t in families[family] if t.pk not in exclude and load[t.pk] < caps.get(t.pk, HOURS_PER_TEACHER + 4)
        ] or families[family]
        teacher = min(teachers, key=lambda t: load[t.pk])
        return teacher

    entries = 0
    for number, school_class in enumerate(classes):
        home_room = f"{101 + number}"
        chosen: dict[str, User] = {}
        units: list[tuple[list[Course], list[int], list[str], str]] = []
        for subject_name, hours in CURRICULUM[school_class.grade]:
            subject = subjects[subject_name]
            if subject_name == ENGLISH and groups.get(school_class.pk):
                first = pick("english")
                second = pick("english", exclude={first.pk})
                pair = []
                for group, teacher in zip(groups[school_class.pk], (first, second), strict=False):
                    load[teacher.pk] += hours
                    pair.append(
                        timetable.course_create(
                            actor=None,
                            year=year,
                            subject=subject,
                            teachers=[teacher],
                            hours_per_week=hours,
                            school_class=school_class,
                            group=group,
                        )  # fmt: skip
                    )
                teachers = [first.pk, second.pk]
                units += [(pair, teachers, [rooms[first.pk], rooms[second.pk]], subject_name)] * hours
                continue
            if school_class.grade <= 4 and subject_name in PRIMARY_TEACHER:
                teacher, room = school_class.class_teacher, home_room
            else:
                family = FAMILY_OF[subject_name]
                teacher = chosen.get(family) or pick(family)
                chosen[family] = teacher
                room = rooms[teacher.pk]
            load[teacher.pk] += hours
            # The first grade learns without marks (безотметочное обучение): its courses have no attestation.
            course = timetable.course_create(
                actor=None, year=year, subject=subject, teachers=[teacher], hours_per_week=hours,
                school_class=school_class, attested=None if school_class.grade >= 2 else False,
            )  # fmt: skip
            units += [([course], [teacher.pk], [room], subject_name)] * hours
        # «Разговоры о важном»: Monday before the first lesson, by the class teacher (extracurricular, seed 002 §1.3).
        talks = timetable.course_create(
            actor=None, year=year, subject=subjects[TALKS], teachers=[school_class.class_teacher], hours_per_week=1,
            school_class=school_class, kind=Course.Kind.EXTRACURRICULAR,
        )  # fmt: skip
        timetable.timetable_entry_add(
            actor=None, course=talks, weekday=1, number=0, room=home_room, valid_from=year.start
        )
        entries += 1
        entries += _place(planner, year, school_class, units)
    return entries


def _place(planner: Planner, year, school_class: SchoolClass, units) -> int:
    """Greedy: each lesson on the lightest day without that subject yet, at the earliest free number."""
    slots = sorted(n for n in planner.bells.get(school_class.bell_schedule_id, {}) if n >= 1)  # 0 is the talks'.
    per_day: dict[int, list[str]] = {d: [] for d in DAYS}
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    counts: dict[str, int] = defaultdict(int)
    for unit in units:
        counts[unit[3]] += 1
    order = sorted(units, key=lambda u: (-counts[u[3]], u[3]))
    for courses, teacher_ids, rooms, subject_name in order:
        best = None
        for day in DAYS:
            for number in slots:
                if (day, number) in taken or not planner.free(teacher_ids, school_class, day, number):
                    continue
                score = (per_day[day].count(subject_name), len(per_day[day]), number)
                if best is None or score < best[0]:
                    best = (score, day, number)
                break  # the earliest free number of the day is the day's candidate
        if best is None:
            continue  # no place left this week: the load shows the missing hour, as a real timetable would
        _, day, number = best
        taken.add((day, number))
        per_day[day].append(subject_name)
        planner.take(teacher_ids, school_class, day, number)
        placed.append(Placed(courses=courses, day=day, number=number, rooms=rooms))
    for p in placed:
        for course, room in zip(p.courses, p.rooms, strict=False):
            timetable.timetable_entry_add(
                actor=None, course=course, weekday=p.day, number=p.number, room=room, valid_from=year.start
            )
    return sum(len(p.courses) for p in placed)


def lessons_and_changes(*, year, admin: User, teacher: User, school_class: SchoolClass, today: datetime.date) -> None:
    """A change of the timetable from the second quarter, the year's lessons, and what a real school's journal holds
    by today: a cancelled lesson, a substitution of the demo teacher and one by the demo teacher."""
    from schedule.models import StudyPeriod, TimetableEntry

    second = StudyPeriod.objects.filter(year=year, kind=StudyPeriod.Kind.QUARTER, number=2).first()
    art = (
        TimetableEntry.objects.filter(course__school_class=school_class, course__subject__name__startswith="Изобраз")
        .select_related("course")
        .first()
    )
    if second is not None and art is not None:
        # The art room opened after the autumn holidays: the weeks before keep the old room (R-C03).
        timetable.timetable_entry_change(actor=admin, entry=art, from_date=second.start, room="Кабинет ИЗО")
    timetable.lessons_generate(actor=admin, year=year, start=year.start, end=year.end)
    from schedule.models import Lesson

    day = today
    mine = list(
        Lesson.objects.filter(course__course_teachers__teacher=teacher, date__gte=day)
        .select_related("course__school_class")
        .order_by("date", "number")[:3]
    )
    if not mine:
        return
    day = mine[0].date
    todays = [lesson for lesson in mine if lesson.date == day]
    colleague_lesson = (
        Lesson.objects.filter(date=day, course__kind=Course.Kind.LESSON)
        .exclude(course__course_teachers__teacher=teacher)
        .exclude(number__in=[lesson.number for lesson in todays] + [0])
        .order_by("number", "pk")
        .first()
    )
    if colleague_lesson is not None:
        # A clash with the demo teacher's own lessons in the other shift just leaves the day without it.
        with contextlib.suppress(ScheduleError):
            lesson_services.substitution_set(
                actor=admin, lesson=colleague_lesson, substitute=teacher, reason="Болезнь учителя"
            )
    if len(todays) > 1:
        substitute = (
            User.objects.filter(course_links__course__year=year, course_links__course__subject__name="Математика")
            .exclude(pk=teacher.pk)
            .first()
        )
        if substitute is not None:
            with contextlib.suppress(ScheduleError):
                lesson_services.substitution_set(
                    actor=admin, lesson=todays[-1], substitute=substitute, reason="Курсы повышения квалификации"
                )
    later = Lesson.objects.filter(course__year=year, date__gt=day, number__gt=0).order_by("date", "number").first()
    if later is not None:
        lesson_services.lesson_cancel(actor=admin, lesson=later, reason="Актированный день (мороз)")
