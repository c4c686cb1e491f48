"""The demo school: built through the same services as real data, deterministic, and grown by every issue.

Stable logins, one per role: admin, director, deputy, teacher, class_teacher, pupil, guardian (pupil's parent).
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role, School, User
from accounts.services import PersonData
from schedule import services as schedule_services
from schedule.models import AcademicYear, SchoolClass

DEMO_SCHOOL_NAME = "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»"
DEMO_SCHOOL_SHORT = "МБОУ СОШ № 1"
DEMO_LOGINS = ("admin", "director", "deputy", "teacher", "class_teacher", "pupil", "guardian")
LETTERS = ("А", "Б")

MALE_SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
]
MALE_NAMES = [
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Артём",
    "Илья",
    "Кирилл",
    "Михаил",
    "Никита",
    "Матвей",
    "Роман",
    "Егор",
    "Арсений",
    "Иван",
    "Денис",
    "Евгений",
    "Даниил",
    "Тимофей",
]
FEMALE_NAMES = [
    "Анастасия",
    "Мария",
    "Дарья",
    "Анна",
    "Елизавета",
    "Полина",
    "Виктория",
    "Екатерина",
    "Софья",
    "Александра",
    "Ксения",
    "Алиса",
    "Варвара",
    "Вероника",
    "Арина",
    "Милана",
    "Ульяна",
    "Алёна",
    "Ольга",
    "Татьяна",
]
FATHER_NAMES = ["Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Владимир", "Игорь", "Павел", "Олег", "Юрий"]


def _female(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    return surname


def _patronymic(father: str, female: bool) -> str:
    stem = father[:-1] + "е" if father.endswith("й") else father
    if father.endswith("й"):
        return stem + ("вна" if female else "вич")
    return stem + ("овна" if female else "ович")


@dataclass
class DemoResult:
    school: School
    year: AcademicYear
    pupils: int
    guardians: int
    teachers: int
    classes: int


class Names:
    """Deterministic Russian names: a school of the same size always gets the same people."""

    def __init__(self, seed: int = 2026):
        self.rnd = random.Random(seed)  # noqa: S311 - demo data, not secrets

    def person(self, female: bool, surname: str | None = None) -> tuple[str, str, str]:
        surname = surname or self.rnd.choice(MALE_SURNAMES)
        first = self.rnd.choice(FEMALE_NAMES if female else MALE_NAMES)
        middle = _patronymic(self.rnd.choice(FATHER_NAMES), female)
        return (_female(surname) if female else surname), first, middle


def year_bounds(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The academic year that contains `today` (1 September to 31 August)."""
    first = today.year if today.month >= 9 else today.year - 1
    return f"{first}/{first + 1}", datetime.date(first, 9, 1), datetime.date(first + 1, 8, 31)


@transaction.atomic
def build_demo_school(*, pupils: int, password: str, today: datetime.date) -> DemoResult:
    names = Names()
    school = accounts_services.school_create(actor=None, name=DEMO_SCHOOL_NAME, short_name=DEMO_SCHOOL_SHORT)

    def named(login: str, roles: list[str], female: bool) -> User:
        last, first, middle = names.person(female)
        return accounts_services.user_create(
            actor=None,
            school=school,
            person=PersonData(login, last, first, middle, email=f"{login}@school1.example"),
            roles=roles,
            password=password,
            temporary=False,
        )

    named("admin", [Role.ADMIN], female=True)
    named("director", [Role.DIRECTOR], female=False)
    named("deputy", [Role.DEPUTY, Role.TEACHER], female=True)
    teacher = named("teacher", [Role.TEACHER], female=True)
    class_teacher = named("class_teacher", [Role.TEACHER], female=True)
    del teacher  # a plain subject teacher: leads no class

    name, start, end = year_bounds(today)
    year = schedule_services.academic_year_create(actor=None, school=school, name=name, start=start, end=end)

    # Classes 1А..11Б; pupils spread evenly; 5А belongs to the stable class teacher and holds the stable pupil.
    grades = [(g, letter) for g in range(1, 12) for letter in LETTERS]
    other_teachers_needed = len(grades) - 1 + 17  # class teachers of the other classes, and subject teachers
    staff_people = []
    for i in range(other_teachers_needed):
        last, first, middle = names.person(female=i % 4 != 0)
        staff_people.append(PersonData(f"t{i + 1:03d}", last, first, middle))
    staff = accounts_services.users_bulk_create(
        actor=None, school=school, people=staff_people, role=Role.TEACHER, password=password, temporary=False
    )
    leaders = iter(staff)
    classes: list[SchoolClass] = []
    for grade, letter in grades:
        leader = class_teacher if (grade, letter) == (5, "А") else next(leaders)
        classes.append(
            schedule_services.school_class_create(
                actor=None, year=year, grade=grade, letter=letter, class_teacher=leader
            )
        )

    # Pupils: the stable «pupil» first, in 5А.
    pupil_people = []
    for i in range(max(pupils, 1) - 1):
        last, first, middle = names.person(female=i % 2 == 0)
        pupil_people.append(PersonData(f"u{i + 1:05d}", last, first, middle))
    stable_pupil = named("pupil", [Role.PUPIL], female=True)
    others = accounts_services.users_bulk_create(
        actor=None, school=school, people=pupil_people, role=Role.PUPIL, password=password, temporary=False
    )
    all_pupils = [stable_pupil, *others]
    by_class: dict[int, list[User]] = {c.pk: [] for c in classes}
    five_a = next(c for c in classes if (c.grade, c.letter) == (5, "А"))
    by_class[five_a.pk].append(stable_pupil)
    for i, p in enumerate(others):
        by_class[classes[i % len(classes)].pk].append(p)
    for school_class in classes:
        if by_class[school_class.pk]:
            schedule_services.pupils_enroll(
                actor=None, school_class=school_class, pupils=by_class[school_class.pk], since=start
            )

    # Families: a mother for every pupil, a father for most; every 12th pupil is a younger sibling of the one
    # before (the same parents). The stable «guardian» is the mother of «pupil» and of her brother.
    guardian_people = []
    plan: list[tuple[int, int, str]] = []  # (guardian index, pupil index, relation)
    family_of: list[tuple[int, int | None]] = []
    for idx, p in enumerate(all_pupils):
        if idx % 12 == 1 and idx > 0:
            family_of.append(family_of[idx - 1])
            continue
        surname = p.last_name.removesuffix("а") if p.last_name.endswith(("ова", "ева", "ёва", "ина")) else p.last_name
        last, first, middle = names.person(female=True, surname=surname)
        login = "guardian" if idx == 0 else f"g{len(guardian_people) + 1:05d}"
        guardian_people.append(PersonData(login, last, first, middle, email=f"{login}@family.example"))
        mother = len(guardian_people) - 1
        father = None
        if idx % 3 != 2:
            last, first, middle = names.person(female=False, surname=surname)
            guardian_people.append(PersonData(f"g{len(guardian_people) + 1:05d}", last, first, middle))
            father = len(guardian_people) - 1
        family_of.append((mother, father))
    for idx, (mother, father) in enumerate(family_of):
        plan.append((mother, idx, GuardianLink.Relation.MOTHER))
        if father is not None:
            plan.append((father, idx, GuardianLink.Relation.FATHER))
    guardians = accounts_services.users_bulk_create(
        actor=None, school=school, people=guardian_people, role=Role.GUARDIAN, password=password, temporary=False
    )
    accounts_services.guardian_links_bulk_create(
        actor=None, school=school, links=[(guardians[g], all_pupils[p], rel) for g, p, rel in plan]
    )
    return DemoResult(
        school=school,
        year=year,
        pupils=len(all_pupils),
        guardians=len(guardians),
        teachers=len(staff) + 4,
        classes=len(classes),
    )
