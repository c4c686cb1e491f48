"""The demo school: built through the same services as real data, deterministic, and grown by every issue.

Stable logins, one per role: admin, director, deputy, teacher, class_teacher, pupil, guardian (pupil's parent), and
parents of three children and of one (guardian3, guardian1).
"""

import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import translation

from accounts import services as accounts_services
from accounts.models import GuardianLink, Role, School, User
from accounts.services import ConsentData, NewPerson
from gradebook import services as gradebook_services
from schedule.models import AcademicYear, SchoolClass
from schedule.services import classes as class_services
from schedule.services import years as year_services

from . import (
    demo_api,
    demo_appeals,
    demo_calendars,
    demo_exams,
    demo_journal,
    demo_late_changes,
    demo_messages,
    demo_news,
    demo_period_marks,
    demo_portfolio,
    demo_remarks,
    demo_sms,
    demo_submissions,
    demo_timetable,
    demo_visits,
    demo_weekly,
    demo_workload,
)

DEMO_SCHOOL_NAME = "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»"
DEMO_SCHOOL_SHORT = "МБОУ СОШ № 1"
DEMO_LOGINS = (
    "admin",
    "director",
    "deputy",
    "teacher",
    "class_teacher",
    "pupil",
    "guardian",
    "guardian3",
    "guardian1",
)
# The mothers of the first families (family number → login): two children, three, one.
STABLE_MOTHERS = {0: "guardian", 1: "guardian3", 2: "guardian1"}
LETTERS = ("А", "Б")

# The subjects of a Russian school's curriculum (ФГОС), with short names as in a journal's header. Data, not UI.
SUBJECTS = [
    ("Русский язык", "Рус. яз."), ("Литературное чтение", "Лит. чт."), ("Литература", "Лит."),
    ("Иностранный язык (английский)", "Англ. яз."), ("Математика", "Матем."), ("Алгебра", "Алг."),
    ("Геометрия", "Геом."), ("Вероятность и статистика", "Вер. и стат."), ("Информатика", "Информ."),
    ("Окружающий мир", "Окр. мир"), ("История", "Ист."), ("Обществознание", "Общ."), ("География", "Геогр."),
    ("Биология", "Биол."), ("Физика", "Физ."), ("Химия", "Хим."), ("Музыка", "Муз."),
    ("Изобразительное искусство", "ИЗО"), ("Труд (технология)", "Труд"), ("Физическая культура", "Физк."),
    ("Основы безопасности и защиты Родины", "ОБЗР"), ("Основы религиозных культур и светской этики", "ОРКСЭ"),
    ("Разговоры о важном", "РоВ"),
]  # fmt: skip
NO_ATTESTATION = {"Основы религиозных культур и светской этики", "Разговоры о важном"}
# Bells of a two-shift school: 45-minute lessons, 10- and 20-minute breaks.
FIRST_SHIFT = [("08:00", "08:45"), ("08:55", "09:40"), ("10:00", "10:45"), ("11:05", "11:50"), ("12:00", "12:45"),
               ("12:55", "13:40"), ("13:50", "14:35")]  # fmt: skip
SECOND_SHIFT = [("13:50", "14:35"), ("14:45", "15:30"), ("15:40", "16:25"), ("16:35", "17:20"), ("17:30", "18:15")]
# Lesson 0, «Разговоры о важном» on Mondays: a 30-minute class hour before each shift's first lesson.
TALKS_BELL = {"1 смена": ("07:20", "07:50"), "2 смена": ("13:10", "13:40")}

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
# Father's name → the stem of the patronymic (Юрий → Юрьевич/Юрьевна, Павел → Павлович).
PATRONYMIC_STEMS = {
    "Александр": "Александров",
    "Сергей": "Сергеев",
    "Андрей": "Андреев",
    "Алексей": "Алексеев",
    "Дмитрий": "Дмитриев",
    "Владимир": "Владимиров",
    "Игорь": "Игорев",
    "Павел": "Павлов",
    "Олег": "Олегов",
    "Юрий": "Юрьев",
}
FATHER_NAMES = list(PATRONYMIC_STEMS)


def _female(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    return surname


def _patronymic(father: str, female: bool) -> str:
    return PATRONYMIC_STEMS[father] + ("на" if female else "ич")


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


def refresh_statistics() -> None:
    """ANALYZE after the bulk phases on PostgreSQL. The seeder writes tens of thousands of rows in one transaction
    (in the tests, inside the test's own transaction), which autovacuum cannot see: the planner would go on trusting
    statistics taken while the tables were empty (reltuples 0) and choose nested loops over whole tables, turning a
    70 ms report query into minutes. ANALYZE in the same transaction counts the transaction's own new rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def year_bounds(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The academic year that contains `today` (1 September to 31 August)."""
    first = today.year if today.month >= 9 else today.year - 1
    return f"{first}/{first + 1}", datetime.date(first, 9, 1), datetime.date(first + 1, 8, 31)


@transaction.atomic
def build_demo_school(
    *,
    pupils: int,
    password: str,
    today: datetime.date,
    letters: tuple[str, ...] = LETTERS,
    journals: bool = True,
) -> DemoResult:
    """The demo school; `letters` are the parallel classes of grades 1–9 (grades 10–11 have two). `journals`: fill
    the lessons before today with topics, homework, marks and attendance (the bench fills its own)."""
    names = Names()
    school = accounts_services.school_create(actor=None, name=DEMO_SCHOOL_NAME, short_name=DEMO_SCHOOL_SHORT)

    name, start, end = year_bounds(today)
    signed_on = start - datetime.timedelta(days=7)
    consent_no = iter(range(1, 1_000_000))

    def person(
        login: str, last: str, first: str, middle: str, roles: tuple[str, ...], signed_by: str = ""
    ) -> NewPerson:
        """Everyone in the demo has a signed consent (R-B09), like in a real school."""
        consent = ConsentData(
            signed_by=signed_by or f"{last} {first} {middle}",
            signed_on=signed_on,
            document=f"Согласие на обработку ПД № {next(consent_no)}",
        )
        email = f"{login}@school1.example" if roles[0] != Role.PUPIL else ""
        return NewPerson(last, first, middle, email=email, roles=roles, consent=consent, username=login)

    def create(people: list[NewPerson]) -> list[User]:
        users = accounts_services.people_create(actor=None, school=school, people=people)
        accounts_services.passwords_set(actor=None, school=school, users=users, password=password, temporary=False)
        return users

    stable = [("admin", (Role.ADMIN,), True), ("director", (Role.DIRECTOR,), False),
              ("deputy", (Role.DEPUTY, Role.TEACHER), True), ("teacher", (Role.TEACHER,), True),
              ("class_teacher", (Role.TEACHER,), True)]  # fmt: skip
    stable_people = [person(login, *names.person(female), roles=roles) for login, roles, female in stable]
    admin_user, _director, deputy, teacher, class_teacher = create(stable_people)

    year = year_services.academic_year_create(actor=None, school=school, name=name, start=start, end=end)
    # The year's structure as an admin sets it up: quarters (halves for 10-11) and holidays, two bell schedules,
    # subjects, the usual work types.
    year_services.year_fill_usual(actor=None, year=year)
    shifts = []
    for shift_name, times in (("1 смена", FIRST_SHIFT), ("2 смена", SECOND_SHIFT)):
        schedule = year_services.bell_schedule_create(actor=None, school=school, name=shift_name)
        bells = [
            year_services.BellTimes(n, datetime.time.fromisoformat(a), datetime.time.fromisoformat(b))
            for n, (a, b) in enumerate([TALKS_BELL[shift_name], *times])
        ]
        year_services.bells_set(actor=None, schedule=schedule, bells=bells)
        shifts.append(schedule)
    subjects = {
        subject_name: year_services.subject_create(
            actor=None,
            school=school,
            name=subject_name,
            short_name=short,
            no_attestation=subject_name in NO_ATTESTATION,
        )
        for subject_name, short in SUBJECTS
    }
    with translation.override("ru"):
        gradebook_services.work_types_add_usual(actor=None, school=school)

    # Classes 1А..11Б; pupils spread evenly; 5А belongs to the stable class teacher and holds the stable pupil.
    grades = [(g, letter) for g in range(1, 12) for letter in (letters if g <= 9 else LETTERS)]
    # Class teachers of the other classes, and subject teachers.
    other_teachers_needed = len(grades) - 1 + demo_timetable.specialists_needed([g for g, _ in grades])
    staff_people = []
    for i in range(other_teachers_needed):
        last, first, middle = names.person(female=i % 4 != 0)
        staff_people.append(person(f"t{i + 1:03d}", last, first, middle, roles=(Role.TEACHER,)))
    staff = create(staff_people)
    leaders = iter(staff)
    classes: list[SchoolClass] = []
    for grade, letter in grades:
        leader = class_teacher if (grade, letter) == (5, "А") else next(leaders)
        # Grades 2-4 study in the second shift, the others in the first.
        bells = shifts[1] if 2 <= grade <= 4 else shifts[0]
        classes.append(
            class_services.school_class_create(
                actor=None, year=year, grade=grade, letter=letter, class_teacher=leader, bell_schedule=bells
            )
        )

    # Families first, so that children carry their family's surname and their father's name: every 11th family
    # has two children, every 29th three; a third of the families have no father in the journal. The first
    # families are the stable ones: «guardian» is the mother of «pupil» (5А) and of her younger brother,
    # «guardian3» a mother of three, «guardian1» a mother of one (the diary's child switcher, issue 7).
    pupil_people: list[NewPerson] = []
    guardian_people: list[NewPerson] = []
    plan: list[tuple[int, int, str]] = []  # (guardian index, pupil index, relation)
    family = 0
    while len(pupil_people) < max(pupils, 1):
        surname = names.rnd.choice(MALE_SURNAMES)
        father_name = names.rnd.choice(FATHER_NAMES)
        children = 3 if family % 29 == 1 else 2 if family % 11 == 0 else 1
        kids = []
        mother = names.person(female=True, surname=surname)
        for child in range(min(children, max(pupils, 1) - len(pupil_people))):
            female = family == 0 and child == 0 or (len(pupil_people) % 2 == 0 and family != 0)
            first = names.rnd.choice(FEMALE_NAMES if female else MALE_NAMES)
            login = "pupil" if not pupil_people else f"u{len(pupil_people):05d}"
            last = _female(surname) if female else surname
            pupil_people.append(
                person(login, last, first, _patronymic(father_name, female), (Role.PUPIL,), signed_by=" ".join(mother))
            )
            kids.append(len(pupil_people) - 1)
        login = STABLE_MOTHERS.get(family) or f"g{len(guardian_people) + 1:05d}"
        guardian_people.append(person(login, *mother, roles=(Role.GUARDIAN,)))
        plan += [(len(guardian_people) - 1, kid, GuardianLink.Relation.MOTHER) for kid in kids]
        if family % 3 != 2:
            middle = _patronymic(names.rnd.choice(FATHER_NAMES), female=False)
            login = f"g{len(guardian_people) + 1:05d}"
            guardian_people.append(person(login, surname, father_name, middle, roles=(Role.GUARDIAN,)))
            plan += [(len(guardian_people) - 1, kid, GuardianLink.Relation.FATHER) for kid in kids]
        family += 1

    all_pupils = create(pupil_people)
    guardians = create(guardian_people)
    accounts_services.guardian_links_bulk_create(
        actor=None, school=school, links=[(guardians[g], all_pupils[p], rel) for g, p, rel in plan]
    )

    # Classes: «pupil» in 5А, the others spread evenly over the 22 classes.
    by_class: dict[int, list[User]] = {c.pk: [] for c in classes}
    five_a = next(c for c in classes if (c.grade, c.letter) == (5, "А"))
    by_class[five_a.pk].append(all_pupils[0])
    for i, p in enumerate(all_pupils[1:]):
        by_class[classes[i % len(classes)].pk].append(p)
    for school_class in classes:
        if by_class[school_class.pk]:
            class_services.pupils_enroll(
                actor=None, school_class=school_class, pupils=by_class[school_class.pk], since=start
            )
    # Foreign-language subgroups (R-B06) in grades 2-11, split by the list's halves, as class teachers do.
    english = subjects["Иностранный язык (английский)"]
    groups: dict[int, list] = {}
    for school_class in classes:
        members = sorted(by_class[school_class.pk], key=lambda u: (u.last_name, u.first_name))
        if school_class.grade < 2 or len(members) < 2:
            continue
        half = (len(members) + 1) // 2
        for number, part in ((1, members[:half]), (2, members[half:])):
            group = class_services.group_create(
                actor=None, year=year, name=f"{school_class} английский {number}", school_class=school_class,
                subject=english,
            )  # fmt: skip
            class_services.group_members_set(actor=None, group=group, pupils=part, since=start)
            groups.setdefault(school_class.pk, []).append(group)

    # The teaching load and the timetable (issue 4): class teachers from grade 5 teach subjects too; the stable
    # teacher teaches maths (5А's included), the stable class teacher Russian, the deputy a little history.
    leaders_of_secondary = [c.class_teacher for c in classes if c.grade >= 5 and c.class_teacher != class_teacher]
    specialists = staff[len(grades) - 1 :]
    demo_timetable.build_timetable(
        year=year,
        classes=classes,
        subject_teachers=leaders_of_secondary + specialists,
        subjects=subjects,
        groups=groups,
        fixed={"maths": teacher, "russian": class_teacher, "history": deputy},
        caps={deputy.pk: 6, teacher.pk: 20},
    )
    demo_timetable.lessons_and_changes(year=year, admin=admin_user, teacher=teacher, school_class=five_a, today=today)
    refresh_statistics()
    demo_news.add_news_and_events(school=school, year=year, today=today)
    if journals:
        demo_journal.fill_journals(year=year, today=today)
        refresh_statistics()
        demo_period_marks.fill_period_marks(year=year, today=today)
        demo_remarks.add_remarks(school=school, today=today)
        demo_late_changes.add_late_changes(school=school, today=today)
        demo_appeals.add_appeals(school=school)
        demo_weekly.add_opted_out_families(school=school, year=year, today=today)
        demo_visits.add_diary_visits(school=school, year=year, today=today)
        demo_submissions.add_materials_and_tasks(school=school, year=year, today=today)
        demo_messages.add_messages(school=school, year=year, today=today)
        demo_portfolio.add_portfolios_and_documents(school=school, year=year, today=today)
        demo_sms.add_sms(school=school)
        demo_api.add_api_token(school=school)
        demo_api.add_homework_file(school=school, today=today)
        demo_workload.add_workload(school=school, year=year, today=today)
        demo_exams.add_exam_results(school=school, year=year, today=today)
        demo_calendars.add_calendar_feeds(school=school)

    return DemoResult(
        school=school,
        year=year,
        pupils=len(all_pupils),
        guardians=len(guardians),
        teachers=len(staff) + 4,
        classes=len(classes),
    )
