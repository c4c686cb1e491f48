"""Reads of the news feed and the events calendar that pages share (the families' news page, the diary week, the
staff lists). Each is one query, whatever the number of rows: authors and classes come joined."""

import datetime

from django.db.models import F, Q, QuerySet

from accounts.models import School
from schedule.models import SchoolClass

from .models import Event, News

# All-day events first in a day, then by their start.
EVENT_ORDER = ("date", F("start").asc(nulls_first=True), "pk")


def _where(school_class: SchoolClass | None, class_ids=None) -> Q:
    """The school's rows, and the class's (or those of the classes given)."""
    where = Q(school_class__isnull=True)
    if school_class is not None:
        where |= Q(school_class=school_class)
    if class_ids:
        where |= Q(school_class_id__in=class_ids)
    return where


def news_for_class(*, school: School, school_class: SchoolClass | None) -> QuerySet[News]:
    """The class's news and the school's, newest first (R-I09). Without a class: the school's only."""
    return (
        News.objects.for_school(school)
        .filter(_where(school_class))
        .select_related("author", "school_class")
        .order_by("-published_at", "-pk")
    )


def events_for_class(
    *, school: School, school_class: SchoolClass | None, start: datetime.date, end: datetime.date
) -> QuerySet[Event]:
    """The class's events and the school's from `start` to `end` inclusive, by date and time (R-I10). Without a
    class: the school's only."""
    return (
        Event.objects.for_school(school)
        .filter(_where(school_class), date__gte=start, date__lte=end)
        .select_related("author", "school_class")
        .order_by(*EVENT_ORDER)
    )


def managed_news(*, school: School, class_ids: list[int] | None) -> QuerySet[News]:
    """The staff list: `class_ids` None means every row of the school (the administration); otherwise the school's
    rows and those classes'."""
    news = News.objects.for_school(school).select_related("author", "school_class")
    if class_ids is not None:
        news = news.filter(_where(None, class_ids))
    return news.order_by("-published_at", "-pk")


def managed_events(
    *, school: School, class_ids: list[int] | None, start: datetime.date, end: datetime.date
) -> QuerySet[Event]:
    events = Event.objects.for_school(school).filter(date__gte=start, date__lte=end)
    if class_ids is not None:
        events = events.filter(_where(None, class_ids))
    return events.select_related("author", "school_class").order_by(*EVENT_ORDER)
