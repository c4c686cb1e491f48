"""Class and school news and the events calendar (R-I09, R-I10): every write goes through these functions.

The class teacher keeps their class's feed and, each week, the coming week's events (seed 004 §4.1 п.18); the
administration posts the school's. Who may write is asked of diary/rules_news.py, the same functions the pages ask.
"""

import datetime

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import School, User
from audit.log import record
from ejournal.clock import now
from schedule.models import AcademicYear, SchoolClass

from .errors import DiaryError
from .models import Event, News
from .rules_news import may_change, may_post

__all__ = [
    "DiaryError",
    "event_add",
    "event_delete",
    "event_update",
    "news_delete",
    "news_post",
    "news_update",
]

TITLE_MAX = News._meta.get_field("title").max_length
TEXT_MAX = News._meta.get_field("text").max_length
PLACE_MAX = Event._meta.get_field("place").max_length
DESCRIPTION_MAX = Event._meta.get_field("description").max_length


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _check_where(actor: User, school_id: int, school_class: SchoolClass | None) -> None:
    if school_class is not None:
        if school_class.school_id != school_id:
            raise DiaryError(_("This class is not of your school."))
        if school_class.year.is_archived:
            raise DiaryError(
                _("The year %(year)s is closed: its classes' news and events no longer change.")
                % {"year": school_class.year}
            )
    if not may_post(actor, school_id, school_class):
        if school_class is None:
            raise DiaryError(_("Only the school's administration posts school-wide news and events."))
        raise DiaryError(
            _("Only the class teacher of %(name)s and the school's administration post its news and events.")
            % {"name": school_class}
        )


def _check_change(actor: User, item: News | Event) -> None:
    if item.school_class_id is not None and item.school_class.year.is_archived:
        raise DiaryError(
            _("The year %(year)s is closed: its classes' news and events no longer change.")
            % {"year": item.school_class.year}
        )
    if not may_change(actor, item):
        raise DiaryError(_("Only the author and the school's administration change this."))


def _text(value: str | None, *, required: str | None, limit: int, too_long: str) -> str:
    """Stripped; `required` is the message for an empty value, None where it may be empty."""
    value = (value or "").strip()
    if required is not None and not value:
        raise DiaryError(required)
    if len(value) > limit:
        raise DiaryError(too_long % {"limit": limit})
    return value


def _news_fields(title: str, text: str) -> tuple[str, str]:
    return (
        _text(
            title,
            required=_("Give the news a title."),
            limit=TITLE_MAX,
            too_long=_("The title is longer than %(limit)s characters."),
        ),
        _text(
            text,
            required=_("Write the news text."),
            limit=TEXT_MAX,
            too_long=_("The text is longer than %(limit)s characters."),
        ),
    )


@transaction.atomic
def news_post(*, actor: User, school: School, school_class: SchoolClass | None, title: str, text: str) -> News:
    """A piece of news of the class (its class teacher, R-I09) or, without a class, of the school."""
    _check_where(actor, school.pk, school_class)
    title, text = _news_fields(title, text)
    news = News.objects.create(
        school=school, school_class=school_class, title=title, text=text, author=actor, published_at=now()
    )
    record(actor=actor, school=school, action="diary.news.posted", obj=news, data={"class": str(school_class or "")})
    return news


@transaction.atomic
def news_update(*, actor: User, news: News, school_class: SchoolClass | None, title: str, text: str) -> News:
    """Corrects a piece of news; it keeps its author and publication time."""
    _check_change(actor, news)
    if school_class != news.school_class:
        _check_where(actor, news.school_id, school_class)
    news.title, news.text = _news_fields(title, text)
    news.school_class = school_class
    news.save(update_fields=["title", "text", "school_class", "updated_at"])
    record(actor=actor, school=news.school, action="diary.news.changed", obj=news)
    return news


@transaction.atomic
def news_delete(*, actor: User, news: News) -> None:
    _check_change(actor, news)
    record(actor=actor, school=news.school, action="diary.news.deleted", obj=news, data={"title": news.title})
    news.delete()


def _check_date(school_id: int, school_class: SchoolClass | None, day: datetime.date) -> None:
    if day is None:
        raise DiaryError(_("Give the event's date."))
    if school_class is not None:
        year = school_class.year
        if not year.start <= day <= year.end:
            raise DiaryError(
                _("The date must be within the academic year %(year)s: from %(start)s to %(end)s.")
                % {"year": year, "start": _d(year.start), "end": _d(year.end)}
            )
        return
    open_years = AcademicYear.objects.filter(school_id=school_id, is_archived=False)
    if not open_years.filter(start__lte=day, end__gte=day).exists():
        raise DiaryError(_("The date %(date)s is outside the school's open academic years.") % {"date": _d(day)})


def _event_fields(
    title: str, start: datetime.time | None, end: datetime.time | None, place: str, description: str
) -> tuple[str, str, str]:
    if end is not None and start is None:
        raise DiaryError(_("Give the start time too, or leave out the end time."))
    if start is not None and end is not None and end <= start:
        raise DiaryError(_("The event must end after it starts."))
    return (
        _text(
            title,
            required=_("Give the event a title."),
            limit=TITLE_MAX,
            too_long=_("The title is longer than %(limit)s characters."),
        ),
        _text(place, required=None, limit=PLACE_MAX, too_long=_("The place is longer than %(limit)s characters.")),
        _text(
            description,
            required=None,
            limit=DESCRIPTION_MAX,
            too_long=_("The description is longer than %(limit)s characters."),
        ),
    )


@transaction.atomic
def event_add(
    *,
    actor: User,
    school: School,
    school_class: SchoolClass | None,
    date: datetime.date,
    title: str,
    start: datetime.time | None = None,
    end: datetime.time | None = None,
    place: str = "",
    description: str = "",
) -> Event:
    """An entry of the calendar: the class's (its class teacher enters the coming week's each week, R-I10) or, without
    a class, the school's."""
    _check_where(actor, school.pk, school_class)
    _check_date(school.pk, school_class, date)
    title, place, description = _event_fields(title, start, end, place, description)
    event = Event.objects.create(
        school=school,
        school_class=school_class,
        date=date,
        start=start,
        end=end,
        title=title,
        place=place,
        description=description,
        author=actor,
    )
    record(actor=actor, school=school, action="diary.event.added", obj=event, data={"date": date.isoformat()})
    return event


@transaction.atomic
def event_update(
    *,
    actor: User,
    event: Event,
    school_class: SchoolClass | None,
    date: datetime.date,
    title: str,
    start: datetime.time | None = None,
    end: datetime.time | None = None,
    place: str = "",
    description: str = "",
) -> Event:
    _check_change(actor, event)
    if school_class != event.school_class:
        _check_where(actor, event.school_id, school_class)
    _check_date(event.school_id, school_class, date)
    title, place, description = _event_fields(title, start, end, place, description)
    event.school_class, event.date, event.start, event.end = school_class, date, start, end
    event.title, event.place, event.description = title, place, description
    event.save(update_fields=["school_class", "date", "start", "end", "title", "place", "description", "updated_at"])
    record(actor=actor, school=event.school, action="diary.event.changed", obj=event, data={"date": date.isoformat()})
    return event


@transaction.atomic
def event_delete(*, actor: User, event: Event) -> None:
    _check_change(actor, event)
    record(
        actor=actor,
        school=event.school,
        action="diary.event.deleted",
        obj=event,
        data={"date": event.date.isoformat(), "title": event.title},
    )
    event.delete()
