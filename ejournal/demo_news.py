"""The demo school's news and events calendar (issue 7, R-I09, R-I10): school news by the director and the admin,
and in every class one or two news items and two or three events of the coming week by its class teacher, as
seed 004 §4.1 п.18 asks («Еженедельно вносится информация о предстоящей неделе»).

Made through diary/news.py, so every rule holds (who posts where, dates within the year). Deterministic for the same
school and day; nothing is added when the school already has news, or when its year is closed.
"""

import datetime

from django.db import transaction

from accounts.models import Role, School, User
from diary import news as news_services
from diary.models import News
from schedule.models import AcademicYear, SchoolClass

# School news: (the author's stable login, title, text). Data, not UI.
SCHOOL_NEWS = [
    (
        "director",
        "Родительское собрание школы",
        "Уважаемые родители! Общешкольное родительское собрание пройдёт в актовом зале. На повестке: итоги "
        "четверти, питание, безопасность детей на каникулах. Просим прийти всех, кто может.",
    ),
    (
        "admin",
        "Электронный дневник на телефоне",
        "Дневник удобно открывать с телефона: отметки, домашние задания, расписание и новости класса всегда под "
        "рукой. Если вы забыли пароль, обратитесь к классному руководителю.",
    ),
    (
        "director",
        "Школьный этап всероссийской олимпиады школьников",
        "Приглашаем обучающихся 4–11 классов принять участие в олимпиадах по предметам. Записаться можно у "
        "учителей-предметников до конца недели.",
    ),
]
# School events of the coming week: (weekday 0 = Monday, start, end, title, place).
SCHOOL_EVENTS = [
    (0, "08:00", "08:20", "Торжественная линейка, поднятие флага", "Школьный двор"),
    (3, "15:00", "17:00", "День открытых дверей", "Актовый зал"),
]
# Class news: (title, text); the first goes to every class, the second to every other one.
CLASS_NEWS = [
    (
        "План на неделю",
        "Ребята и родители! На следующей неделе у нас классный час и экскурсия — подробности в календаре. "
        "Не забудьте подписать согласие на выезд.",
    ),
    (
        "Дежурство по классу",
        "Составлен график дежурства на месяц. Дежурные приходят на 15 минут раньше, поливают цветы и готовят "
        "доску к уроку.",
    ),
]
# Class events of the coming week: (weekday, start, end, title, place, description); two or three per class.
CLASS_EVENTS = [
    (1, "14:00", "14:45", "Классный час «Разговор о дружбе»", "Кабинет класса", ""),
    (2, "", "", "Экскурсия в краеведческий музей", "Краеведческий музей", "Сбор у школы в 9:00, с собой перекус."),
    (4, "16:00", "17:00", "Родительское собрание класса", "Кабинет класса", "Итоги четверти, подготовка к празднику."),
    (5, "11:00", "13:00", "Субботник на пришкольной территории", "Школьный двор", "Перчатки выдадут."),
]


def _time(value: str) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def _staff(school: School, login: str, role: str) -> User | None:
    people = User.objects.filter(memberships__school=school, memberships__role=role).order_by("pk")
    return people.filter(username=login).first() or people.first()


@transaction.atomic
def add_news_and_events(*, school: School, year: AcademicYear, today: datetime.date) -> list[News]:
    """Returns the news made (events are made alongside)."""
    if year.is_archived or News.objects.for_school(school).exists():
        return []
    coming = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)

    def in_year(day: datetime.date) -> bool:
        return year.start <= day <= year.end

    made: list[News] = []
    authors = {"director": _staff(school, "director", Role.DIRECTOR), "admin": _staff(school, "admin", Role.ADMIN)}
    for login, title, text in SCHOOL_NEWS:
        if authors[login] is not None:
            made.append(
                news_services.news_post(actor=authors[login], school=school, school_class=None, title=title, text=text)
            )
    if authors["director"] is not None:
        for weekday, start, end, title, place in SCHOOL_EVENTS:
            day = coming + datetime.timedelta(days=weekday)
            if in_year(day):
                news_services.event_add(
                    actor=authors["director"],
                    school=school,
                    school_class=None,
                    date=day,
                    start=_time(start),
                    end=_time(end),
                    title=title,
                    place=place,
                )

    classes = (
        SchoolClass.objects.for_school(school)
        .filter(year=year, class_teacher__isnull=False)
        .select_related("year", "class_teacher")
        .order_by("grade", "letter")
    )
    for i, school_class in enumerate(classes):
        leader = school_class.class_teacher
        for title, text in CLASS_NEWS[: 1 + i % 2]:
            made.append(
                news_services.news_post(actor=leader, school=school, school_class=school_class, title=title, text=text)
            )
        # Two or three of the class's events: a different choice in neighbouring classes.
        picks = [CLASS_EVENTS[(i + k) % len(CLASS_EVENTS)] for k in range(2 + i % 2)]
        for weekday, start, end, title, place, description in sorted(picks):
            day = coming + datetime.timedelta(days=weekday)
            if in_year(day):
                news_services.event_add(
                    actor=leader,
                    school=school,
                    school_class=school_class,
                    date=day,
                    start=_time(start),
                    end=_time(end),
                    title=title,
                    place=place,
                    description=description,
                )
    return made
