"""The feed as iCalendar text (RFC 5545), written by the `icalendar` library.

Times are the school's wall-clock times with their TZID and a VTIMEZONE (Europe/Moscow unless the school says
otherwise), so a phone in another zone still shows the lesson at the school's hour. Each event's UID is its kind and
primary key at CALENDAR_UID_DOMAIN (`lesson-123@ejournal`): a calendar app updates the event it already has when a
lesson moves or is cancelled, instead of adding a second one.
"""

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import User
from ejournal.clock import now
from schedule.models import Lesson

from .selectors import FeedContent, FeedEvent, FeedHomework, FeedLesson

PRODID = "-//ejournal//calendar feed//RU"
DAY = datetime.timedelta(days=1)


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{settings.CALENDAR_UID_DOMAIN}"


def _for(names: list[str], text: str, several: bool) -> str:
    """«Маша: Математика» in a parent's feed of two or more children."""
    return f"{', '.join(names)}: {text}" if several and names else text


def _when(event: icalendar.Event, day: datetime.date, start, end, tz: str) -> None:
    if start is None:
        event.add("dtstart", day)
        event.add("dtend", day + DAY)
        return
    zone = zoneinfo.ZoneInfo(tz)
    event.add("dtstart", datetime.datetime.combine(day, start, tzinfo=zone))
    if end is not None:
        event.add("dtend", datetime.datetime.combine(day, end, tzinfo=zone))


def _lesson(item: FeedLesson, several: bool, stamp: datetime.datetime) -> icalendar.Event:
    lesson, course = item.lesson, item.lesson.course
    title = course.title or course.subject.name
    if item.start is None:
        # No bells for the class: an all-day event that still says which lesson it is.
        title = _("Lesson %(number)s: %(lesson)s") % {"number": lesson.number, "lesson": title}
    if item.teaching:
        summary = f"{title}, {course.audience}"
        if item.teaching == "substitute":
            summary = _("Substitution: %(lesson)s") % {"lesson": summary}
        elif item.teaching == "given_away":
            summary = _("%(lesson)s (taken by %(teacher)s)") % {"lesson": summary, "teacher": item.substitute}
    else:
        summary = _for(item.pupils, title, several)

    lines = [_("Lesson %(number)s") % {"number": lesson.number}]
    if lesson.status == Lesson.Status.CANCELLED:
        lines.append(_("Cancelled: %(reason)s") % {"reason": lesson.cancel_reason} if lesson.cancel_reason else "")
    if item.substitute:
        lines.append(_("Substitute teacher: %(name)s") % {"name": item.substitute})
    elif item.teachers and item.teaching != "own":
        lines.append(_("Teacher: %(name)s") % {"name": ", ".join(item.teachers)})
    if lesson.form != Lesson.Form.IN_CLASS:
        lines.append(str(lesson.get_form_display()).capitalize())
    if lesson.topic:
        lines.append(_("Topic: %(topic)s") % {"topic": lesson.topic})

    event = icalendar.Event()
    event.add("uid", uid("lesson", lesson.pk))
    event.add("dtstamp", stamp)
    _when(event, lesson.date, item.start, item.end, item.tz)
    event.add("summary", summary)
    event.add("description", "\n".join(line for line in lines if line))
    if lesson.room:
        event.add("location", lesson.room)
    if item.cancelled:
        event.add("status", "CANCELLED")
        # The slot is free for the person: calendars do not count it as busy.
        event.add("transp", "TRANSPARENT")
    else:
        event.add("status", "CONFIRMED")
    return event


def _homework(item: FeedHomework, several: bool, stamp: datetime.datetime) -> icalendar.Event:
    homework, course = item.homework, item.homework.lesson.course
    lines = [homework.text]
    if homework.pages:
        lines.append(_("Pages: %(pages)s") % {"pages": homework.pages})
    if homework.exercises:
        lines.append(_("Exercises: %(exercises)s") % {"exercises": homework.exercises})
    event = icalendar.Event()
    event.add("uid", uid("homework", homework.pk))
    event.add("dtstamp", stamp)
    _when(event, item.due, None, None, "")
    subject = course.title or course.subject.name
    event.add("summary", _for(item.pupils, _("Homework: %(subject)s") % {"subject": subject}, several))
    event.add("description", "\n".join(line for line in lines if line))
    event.add("transp", "TRANSPARENT")
    return event


def _event(item: FeedEvent, several: bool, stamp: datetime.datetime) -> icalendar.Event:
    source = item.event
    if item.pupils:
        summary = _for(item.pupils, source.title, several)
    elif source.school_class_id is not None:
        summary = f"{source.school_class}: {source.title}"  # a teacher's class
    else:
        summary = source.title
    event = icalendar.Event()
    event.add("uid", uid("event", source.pk))
    event.add("dtstamp", stamp)
    _when(event, source.date, source.start, source.end, item.tz)
    event.add("summary", summary)
    if source.description:
        event.add("description", source.description)
    if source.place:
        event.add("location", source.place)
    return event


def render(*, content: FeedContent, owner: User, tz: str) -> bytes:
    stamp = now().astimezone(datetime.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("School timetable: %(name)s") % {"name": owner.get_short_name()})
    calendar.add("x-wr-timezone", tz)
    # A hint to the apps that honour it (Apple's, Outlook); Google polls on its own schedule.
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    several = content.several_pupils
    seen: set[str] = set()
    for component in (
        *(_lesson(item, several, stamp) for item in content.lessons),
        *(_homework(item, several, stamp) for item in content.homework),
        *(_event(item, several, stamp) for item in content.events),
    ):
        if component["uid"] not in seen:  # a UID is one event of the calendar
            seen.add(str(component["uid"]))
            calendar.add_component(component)
    calendar.add_missing_timezones(first_date=content.start - DAY, last_date=content.end + DAY)
    return calendar.to_ical()
