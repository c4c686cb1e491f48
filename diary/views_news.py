"""News and the events calendar (R-I09, R-I10): the staff's pages that keep them, and the family's page that reads
them. Each view fetches through the school's scope (another school's row is 404), asks the permission layer once,
validates with a form and calls one service of diary/news.py."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from ejournal.clock import today
from ejournal.http import next_url
from schedule.forms_timetable import parse_date
from schedule.models import SchoolClass
from schedule.selectors import pupil_class
from schedule.selectors_timetable import monday_of

from . import news as services
from .errors import DiaryError
from .forms_news import EventForm, NewsForm
from .models import Event, News
from .rules_news import is_school_reader_in, led_school_classes, may_change
from .selectors import family_pupils, visible_pupils
from .selectors_news import events_for_class, managed_events, managed_news, news_for_class
from .visits import visit_record

PER_PAGE = 20
FAMILY_NEWS_PER_PAGE = 10
FAMILY_WEEKS = 3  # this week and the next two
WEEK = datetime.timedelta(days=7)


@dataclass
class Scope:
    """What the user keeps: everything of the school (the administration) or their classes' and the school's."""

    reader: bool
    led: list[SchoolClass]

    @property
    def class_ids(self) -> list[int] | None:
        return None if self.reader else [c.pk for c in self.led]


def _scope(request) -> Scope:
    return Scope(
        reader=is_school_reader_in(request.user, request.school.pk),
        led=led_school_classes(request.user, request.school.pk),
    )


def _classes(request, scope: Scope) -> QuerySet[SchoolClass]:
    """The classes the user may post for: any class of an open year (the administration), or their own."""
    classes = SchoolClass.objects.for_school(request.school).filter(year__is_archived=False)
    if not scope.reader:
        classes = classes.filter(pk__in=[c.pk for c in scope.led])
    return classes.select_related("year").order_by("-year__start", "grade", "letter")


def _initial_class(scope: Scope) -> dict:
    return {"school_class": scope.led[0].pk} if scope.led else {}


def _mark_editable(request, items) -> None:
    for item in items:
        item.can_edit = may_change(request.user, item)


# --- News ------------------------------------------------------------------------------------------------------


@require_GET
@school_permission_required("diary.manage_news")
def news_list(request):
    scope = _scope(request)
    page = Paginator(managed_news(school=request.school, class_ids=scope.class_ids), PER_PAGE).get_page(
        request.GET.get("page")
    )
    _mark_editable(request, page.object_list)
    return render(request, "diary/news/list.html", {"page": page, "scope": scope})


def _news_form_page(request, form, *, news: News | None = None, status: int = 200):
    return render(request, "diary/news/form.html", {"form": form, "news": news}, status=status)


@require_http_methods(["GET", "POST"])
@school_permission_required("diary.manage_news")
def news_new(request):
    scope = _scope(request)
    form = NewsForm(
        request.POST if request.method == "POST" else None,
        classes=_classes(request, scope),
        school_wide=scope.reader,
        initial=_initial_class(scope),
    )
    if request.method == "GET":
        return _news_form_page(request, form)
    if form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("diary.post_news", data["school_class"]):
            raise PermissionDenied
        try:
            services.news_post(
                actor=request.user,
                school=request.school,
                school_class=data["school_class"],
                title=data["title"],
                text=data["text"],
            )
        except DiaryError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The news is published."))
            return redirect("diary:news_list")
    return _news_form_page(request, form, status=422)


def _news(request, news_id: int) -> News:
    news = get_object_or_404(
        News.objects.for_school(request.school).select_related("school_class__year", "author"), pk=news_id
    )
    if not request.user.has_perm("diary.change_news", news):
        raise PermissionDenied
    news.school = request.school  # the same school (for_school), already loaded by the middleware
    return news


@require_http_methods(["GET", "POST"])
@school_member_required
def news_edit(request, news_id: int):
    news = _news(request, news_id)
    scope = _scope(request)
    form = NewsForm(
        request.POST if request.method == "POST" else None,
        classes=_classes(request, scope),
        school_wide=scope.reader,
        initial={"school_class": news.school_class_id, "title": news.title, "text": news.text},
    )
    if request.method == "GET":
        return _news_form_page(request, form, news=news)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.news_update(
                actor=request.user, news=news, school_class=data["school_class"], title=data["title"], text=data["text"]
            )
        except DiaryError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The news is saved."))
            return redirect("diary:news_list")
    return _news_form_page(request, form, news=news, status=422)


@require_POST
@school_member_required
def news_delete(request, news_id: int):
    news = _news(request, news_id)
    try:
        services.news_delete(actor=request.user, news=news)
    except DiaryError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The news «%(title)s» is deleted.") % {"title": news.title})
    return redirect(next_url(request, reverse("diary:news_list")))


# --- Events ----------------------------------------------------------------------------------------------------


@dataclass
class Day:
    date: datetime.date
    events: list[Event] = field(default_factory=list)


def _days(events: list[Event], start: datetime.date, count: int) -> list[Day]:
    days = [Day(start + datetime.timedelta(days=i)) for i in range(count)]
    for event in events:
        days[(event.date - start).days].events.append(event)
    return days


def _week_url(monday: datetime.date) -> str:
    return f"{reverse('diary:event_list')}?{urlencode({'week': monday.isoformat()})}"


def _coming_week_gaps(request, scope: Scope, day: datetime.date) -> list[SchoolClass]:
    """R-I10: the user's classes with nothing entered for the coming week yet (the class teacher enters it weekly)."""
    coming = monday_of(day) + WEEK
    classes = [c for c in scope.led if c.year.start <= coming <= c.year.end]
    if not classes:
        return []
    entered = set(
        Event.objects.for_school(request.school)
        .filter(school_class__in=classes, date__gte=coming, date__lt=coming + WEEK)
        .values_list("school_class_id", flat=True)
    )
    return [c for c in classes if c.pk not in entered]


@require_GET
@school_permission_required("diary.manage_news")
def event_list(request):
    scope = _scope(request)
    day = today(request.school.timezone)
    monday = monday_of(parse_date(request.GET.get("week")) or day)
    events = list(
        managed_events(
            school=request.school, class_ids=scope.class_ids, start=monday, end=monday + datetime.timedelta(days=6)
        )
    )
    _mark_editable(request, events)
    gaps = _coming_week_gaps(request, scope, day)
    return render(
        request,
        "diary/news/events.html",
        {
            "scope": scope,
            "day": day,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "days": _days(events, monday, 7),
            "previous_url": _week_url(monday - WEEK),
            "next_url": _week_url(monday + WEEK),
            "this_week_url": reverse("diary:event_list"),
            "is_this_week": monday == monday_of(day),
            "gaps": gaps,
            "gap_names": ", ".join(str(c) for c in gaps),
            "coming_week_url": _week_url(monday_of(day) + WEEK),
        },
    )


def _event_form_page(request, form, *, event: Event | None = None, status: int = 200):
    back = _week_url(monday_of(event.date)) if event is not None else reverse("diary:event_list")
    return render(request, "diary/news/event_form.html", {"form": form, "event": event, "back": back}, status=status)


def _event_data(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("school_class", "date", "start", "end", "title", "place", "description")}


@require_http_methods(["GET", "POST"])
@school_permission_required("diary.manage_news")
def event_new(request):
    scope = _scope(request)
    initial = {**_initial_class(scope), "date": parse_date(request.GET.get("date")) or today(request.school.timezone)}
    form = EventForm(
        request.POST if request.method == "POST" else None,
        classes=_classes(request, scope),
        school_wide=scope.reader,
        initial=initial,
    )
    if request.method == "GET":
        return _event_form_page(request, form)
    if form.is_valid():
        data = _event_data(form)
        if not request.user.has_perm("diary.post_news", data["school_class"]):
            raise PermissionDenied
        try:
            event = services.event_add(actor=request.user, school=request.school, **data)
        except DiaryError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The event is added to the calendar."))
            return redirect(_week_url(monday_of(event.date)))
    return _event_form_page(request, form, status=422)


def _event(request, event_id: int) -> Event:
    event = get_object_or_404(
        Event.objects.for_school(request.school).select_related("school_class__year", "author"), pk=event_id
    )
    if not request.user.has_perm("diary.change_event", event):
        raise PermissionDenied
    event.school = request.school
    return event


@require_http_methods(["GET", "POST"])
@school_member_required
def event_edit(request, event_id: int):
    event = _event(request, event_id)
    scope = _scope(request)
    initial = {
        "school_class": event.school_class_id,
        **{k: getattr(event, k) for k in ("date", "start", "end", "title", "place", "description")},
    }
    form = EventForm(
        request.POST if request.method == "POST" else None,
        classes=_classes(request, scope),
        school_wide=scope.reader,
        initial=initial,
    )
    if request.method == "GET":
        return _event_form_page(request, form, event=event)
    if form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **_event_data(form))
        except DiaryError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(_week_url(monday_of(event.date)))
    return _event_form_page(request, form, event=event, status=422)


@require_POST
@school_member_required
def event_delete(request, event_id: int):
    event = _event(request, event_id)
    week = _week_url(monday_of(event.date))
    try:
        services.event_delete(actor=request.user, event=event)
    except DiaryError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The event «%(title)s» is deleted.") % {"title": event.title})
    return redirect(next_url(request, week))


# --- The family's page -------------------------------------------------------------------------------------------


@dataclass
class Week:
    monday: datetime.date
    days: list[Day]

    @property
    def busy_days(self) -> list[Day]:
        return [d for d in self.days if d.events]


@require_GET
@school_member_required
def family_news(request, pupil_id: int):
    """The pupil's class's and the school's events of this week and the next two, and their latest news (R-I09,
    R-I10). Read-only for everyone (R-A06, R-A07)."""
    pupil = get_object_or_404(visible_pupils(user=request.user, school=request.school), pk=pupil_id)
    if not request.user.has_perm("diary.view_diary", pupil):
        raise PermissionDenied
    visit_record(request, pupil)
    day = today(request.school.timezone)
    school_class = pupil_class(school=request.school, pupil=pupil, day=day)
    monday = monday_of(day)
    span = FAMILY_WEEKS * 7
    events = list(
        events_for_class(
            school=request.school,
            school_class=school_class,
            start=monday,
            end=monday + datetime.timedelta(days=span - 1),
        )
    )
    days = _days(events, monday, span)
    weeks = [Week(monday + i * WEEK, days[i * 7 : (i + 1) * 7]) for i in range(FAMILY_WEEKS)]
    page = Paginator(news_for_class(school=request.school, school_class=school_class), FAMILY_NEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "diary/news/family.html",
        {
            "pupil": pupil,
            "school_class": school_class,
            "day": day,
            "weeks": weeks,
            "page": page,
            "family": family_pupils(user=request.user, school=request.school),
        },
    )
