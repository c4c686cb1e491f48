"""The demo school's internal mail (issue 11, R-I08): the class teacher of 5А and the «guardian» mother talk about an
excursion (the class teacher's last answer is still unread, so the counter in her menu shows it), the deputy writes
to all parents of 5А about the parents' meeting (one thread per family), and two teachers arrange a substitution.

Made through messaging/services.py, so every rule holds (who may write to whom); the times are then set to the days
before `today`, as if written then. Nothing is added when the school already has messages or lacks the stable
people.
"""

import datetime
import zoneinfo

from accounts.models import School, User
from messaging import services
from messaging.models import Message, Receipt, Thread
from messaging.selectors import Audience, Kind
from schedule.models import AcademicYear, SchoolClass

# Data, not UI: what the demo's people write.
EXCURSION = (
    "Экскурсия в краеведческий музей",
    [
        (
            "class_teacher",
            "Здравствуйте! В пятницу 5А идёт на экскурсию в краеведческий музей. Сбор у школы в 9:00, вернёмся к "
            "13:00. Пожалуйста, подпишите согласие на выезд и передайте его с ребёнком до четверга.",
        ),
        ("guardian", "Добрый день! Согласие подписали, передадим завтра. Нужно ли брать с собой обед?"),
        (
            "class_teacher",
            "Обед не нужен, в музее будет чаепитие. Возьмите, пожалуйста, воду и сменную обувь.",
        ),
    ],
)
MEETING = (
    "Родительское собрание по итогам четверти",
    "Уважаемые родители! Приглашаем вас на родительское собрание 5А в четверг в 18:00, кабинет 12. Обсудим итоги "
    "четверти, питание и подготовку к каникулам. Если не сможете прийти, напишите классному руководителю.",
)
SUBSTITUTION = (
    "Замена в пятницу",
    [
        (
            "teacher",
            "Коллега, в пятницу у меня курсы повышения квалификации. Сможете провести третий урок в 5А? Тема и "
            "задания в журнале.",
        ),
        ("class_teacher", "Да, проведу. Оставьте, пожалуйста, карточки для самостоятельной работы в учительской."),
    ],
)


def _at(day: datetime.date, hour: int, minute: int, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)


def _conversation(*, school: School, people: dict[str, User], subject: str, lines, times) -> Thread:
    """A thread of the first line's author with the second's, its answers in turn, written at `times`."""
    (first_login, first_text), *answers = lines
    recipient = next(people[login] for login, _text in answers if login != first_login)
    thread = services.message_send(
        actor=people[first_login], school=school, recipient=recipient, subject=subject, text=first_text
    )
    for login, text in answers:
        services.reply(actor=people[login], thread=thread, text=text)
    _backdate(thread, times)
    return thread


def _backdate(thread: Thread, times: list[datetime.datetime]) -> None:
    """Each message at its time; what was read, read half an hour later (before the next message)."""
    messages = list(Message.objects.filter(thread=thread).order_by("created_at", "pk"))
    for message, when in zip(messages, times, strict=True):
        Message.objects.filter(pk=message.pk).update(created_at=when)
        Receipt.objects.filter(message=message, read_at__isnull=False).update(
            read_at=when + datetime.timedelta(minutes=30)
        )
    Thread.objects.filter(pk=thread.pk).update(created_at=times[0], last_message_at=times[-1])


def add_messages(*, school: School, year: AcademicYear, today: datetime.date) -> int:
    """Returns how many threads were added."""
    if Thread.objects.filter(school=school).exists() or year.is_archived:
        return 0
    logins = ("class_teacher", "guardian", "deputy", "teacher")
    people = {u.username: u for u in User.objects.filter(username__in=logins, memberships__school=school).distinct()}
    five_a = SchoolClass.objects.for_school(school).filter(year=year, grade=5, letter="А").first()
    if len(people) < len(logins) or five_a is None:
        return 0
    tz = zoneinfo.ZoneInfo(school.timezone)
    day = datetime.timedelta(days=1)
    count = 0

    subject, lines = SUBSTITUTION
    _conversation(
        school=school,
        people=people,
        subject=subject,
        lines=lines,
        times=[_at(today - 4 * day, 15, 20, tz), _at(today - 4 * day, 16, 5, tz)],
    )
    count += 1

    subject, text = MEETING
    threads = services.group_send(
        actor=people["deputy"], school=school, audience=Audience(Kind.GUARDIANS, five_a), subject=subject, text=text
    )
    for thread in threads:
        _backdate(thread, [_at(today - 3 * day, 10, 0, tz)])
    count += len(threads)

    # Last: the class teacher's answer stays unread for the «guardian» login (the counter in the menu).
    subject, lines = EXCURSION
    _conversation(
        school=school,
        people=people,
        subject=subject,
        lines=lines,
        times=[_at(today - 2 * day, 14, 10, tz), _at(today - 2 * day, 19, 45, tz), _at(today - day, 8, 15, tz)],
    )
    return count + 1
