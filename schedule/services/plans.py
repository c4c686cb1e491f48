"""Thematic plans (КТП, R-C08): read from the tables teachers already keep, posted as a whole, applied to the
course's lessons as their topics (R-C09), and written back in the same format (export → import changes nothing).

The file's headers are part of the format, not of the interface: they are Russian whatever the page's language.
"""

import datetime
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from django.core import signing
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from audit.log import record
from ejournal.clock import now

from ..imports.columns import norm
from ..imports.reading import DELIMITERS, FileProblem, Table, read_table
from ..models import AcademicYear, Course, Holiday, Lesson, PlanItem, StudyPeriod
from . import ScheduleError

MAX_ITEMS = 1000
MAX_HOURS = 50
TOPIC_LENGTH = PlanItem._meta.get_field("topic").max_length
SECTION_LENGTH = PlanItem._meta.get_field("section").max_length
CONTROL_LENGTH = PlanItem._meta.get_field("control").max_length
HEADER_SEARCH = 15  # rows to look through for the header (a title block can be long)

# The columns our files carry, in order (the sample and the export).
NUMBER, SECTION, TOPIC, HOURS, DATE, CONTROL = "number", "section", "topic", "hours", "date", "control"
CONTENT = "content"  # «Содержание», «Наименование»: the topic when no column says «тема»
HEADERS = {
    NUMBER: "№ урока",
    SECTION: "Раздел",
    TOPIC: "Тема урока",
    HOURS: "Кол-во часов",
    DATE: "Дата (план)",
    CONTROL: "Вид контроля",
}
FILE_COLUMNS = (NUMBER, SECTION, TOPIC, HOURS, DATE, CONTROL)

# A row with only this in it starts a section, whichever column it is in.
_SECTION_WORDS = re.compile(r"^(раздел|глава|модуль|блок|часть|тема\s*\d+\s*[.:)])", re.IGNORECASE)
_TOTAL_WORDS = ("итого", "всего")
_HOURS = re.compile(r"^(\d+)(?:[.,]0+)?\s*(?:ч|час|часа|часов)?\.?$")
_NUMBER = re.compile(r"^\d+(?:\s*[-–,.]\s*\d*)*\.?$")  # «7», «7.», «7-8», «7, 8»
_HOURS_WORDS = ("ч", "кол во", "кол во ч", "количество", "количество ч")
_TOPIC_WORDS = frozenset({"тема", "темы", "тем", "тему", "темой", "теме"})  # not «тематическое» of a title
_DATE_WORDS = ("план", "факт", "по плану", "по факту", "фактически", "корректировка")


# --- The file's columns ------------------------------------------------------------------------------------------


def _key(text) -> str:
    """«№ п/п» → «номер п п», «Кол-во часов» → «кол во часов» (case, ё, punctuation and spacing do not matter)."""
    return norm(str(text or "").replace("№", " номер "))


def column_role(header) -> str | None:
    """What a header means in a plan: «Дата (план)» → date, «Тема урока» → topic, «№ п/п» → number …"""
    n = _key(header)
    if not n:
        return None
    words = n.split()
    if any(w.startswith(("дат", "срок")) for w in words) or n in _DATE_WORDS:
        return DATE
    if any(w.startswith(("контрол", "оценочн")) for w in words):
        return CONTROL
    if any(w.startswith("час") and not w.startswith("част") for w in words) or n in _HOURS_WORDS:
        return HOURS
    if any(w in _TOPIC_WORDS for w in words):
        return TOPIC
    if any(w.startswith(("раздел", "глав", "модул")) for w in words):
        return SECTION
    if words[0] == "номер" or n in ("п п", "n", "no", "nn", "урок", "номер урока"):
        return NUMBER
    if words[0] in ("содержание", "наименование", "название"):
        return CONTENT
    return None


@dataclass(frozen=True)
class Layout:
    columns: dict[str, int]  # role → the column (the first of each role)
    ignored: frozenset[int]  # dates, columns we do not read («Домашнее задание»), a role's second column
    headers: frozenset[str]  # the header's cells as _key() has them: the header repeated on a printed page's top


def _layout(cells) -> Layout:
    """How a header row lays the plan out. A merged header's empty neighbour of a date column is a date column too
    («Дата» over «план | факт»)."""
    columns: dict[str, int] = {}
    ignored: set[int] = set()
    previous = None
    for i, cell in enumerate(cells):
        role = column_role(cell)
        if role is None and previous == DATE and not _key(cell):
            role = DATE
        if role == DATE or (role is None and _key(cell)) or (role is not None and role in columns):
            ignored.add(i)
        elif role is not None:
            columns[role] = i
        previous = role
    if CONTENT in columns:
        if TOPIC in columns:
            ignored.add(columns[CONTENT])
        else:
            columns[TOPIC] = columns[CONTENT]
        del columns[CONTENT]
    return Layout(columns, frozenset(ignored), frozenset(k for c in cells if (k := _key(c))))


def _header_score(cells) -> int:
    """How many kinds of plan columns a row names; 0 unless one of them is the topic."""
    roles = {column_role(c) for c in cells} - {None}
    return len(roles) if roles & {TOPIC, CONTENT} else 0


def _find_header(rows: list[tuple[int, list]]) -> int | None:
    """The index of the header row among the first rows: the one naming a topic column and the most others."""
    head = rows[:HEADER_SEARCH]
    scores = [_header_score(cells) for _n, cells in head]
    if not scores or max(scores) == 0:
        return None
    return scores.index(max(scores))


# --- Reading ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    """A topic of the plan as read (or as kept in the preview): what plan_replace writes."""

    topic: str
    hours: int = 1
    section: str = ""
    control: str = ""


@dataclass(frozen=True)
class PlanProblem:
    row: int | None  # the row number as the spreadsheet shows it; None: the file as a whole
    message: str


@dataclass
class PlanPreview:
    items: list[PlanLine] = field(default_factory=list)
    errors: list[PlanProblem] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # each item's row in the file
    source: str = ""

    @property
    def total_hours(self) -> int:
        return sum(i.hours for i in self.items)

    @property
    def sections(self) -> int:
        return len({i.section for i in self.items if i.section})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def _hours(value) -> int | None:
    """A whole number of hours from 1 to 50, or None if the cell says something else. Empty: 1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        n = int(value) if float(value).is_integer() else None
    else:
        m = _HOURS.match(_text(value).casefold())
        n = int(m.group(1)) if m else None
    return n if n is not None and 1 <= n <= MAX_HOURS else None


def _rows_of(table: Table) -> list[tuple[int, list]]:
    """All the rows read_table kept, its header row included: which row is the plan's header is ours to find."""
    return [(table.header_row, list(table.headers)), *table.rows]


def _csv_rows(content: bytes, delimiter: str) -> tuple[list[tuple[int, list]], str]:
    import csv
    import io

    from ..imports.reading import DELIMITER_NAMES, _decode

    text, encoding = _decode(content)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return [], ""
    return (
        [(i, r) for i, r in enumerate(rows, start=1) if any(c.strip() for c in r)],
        f"CSV, {encoding}, {DELIMITER_NAMES[delimiter]}",
    )


def _locate(content: bytes) -> tuple[list[tuple[int, list]], int | None, str]:
    """The file's rows, the index of the plan's header among them, and how the file was read."""
    table = read_table(content)
    rows = _rows_of(table)
    at = _find_header(rows)
    if at is None and table.source.startswith("CSV"):
        # read_table chose the separator by the people's headers it knows; here a plan's header decides.
        for delimiter in DELIMITERS:
            other, source = _csv_rows(content, delimiter)
            found = _find_header(other)
            if found is not None:
                return other, found, source
    return rows, at, table.source


def plan_read(content: bytes) -> PlanPreview:
    """A plan table → its topics and every problem of every row at once (nothing is written)."""
    preview = PlanPreview()
    try:
        rows, at, preview.source = _locate(content)
    except FileProblem as e:
        preview.errors.append(PlanProblem(None, e.message))
        return preview
    if at is None:
        preview.errors.append(
            PlanProblem(
                None,
                _("No column of lesson topics was found. Name it «%(topic)s» (see the sample file).")
                % {"topic": HEADERS[TOPIC]},
            )
        )
        return preview
    layout = _layout(rows[at][1])
    section = ""
    for number, cells in rows[at + 1 :]:
        kind, line, problems = _read_row(cells, layout, section)
        preview.errors += [PlanProblem(number, p) for p in problems]
        if kind == "section":
            section = line.section
        elif kind == "item":
            section = line.section
            preview.items.append(line)
            preview.rows.append(number)
    if not preview.items and not preview.errors:
        preview.errors.append(PlanProblem(None, _("The file has no topics under its header.")))
    if len(preview.items) > MAX_ITEMS:
        preview.errors.append(
            PlanProblem(None, _("A plan has at most %(n)s topics; the file has more.") % {"n": MAX_ITEMS})
        )
    return preview


def _read_row(cells: list, layout: Layout, section: str) -> tuple[str, PlanLine | None, list[str]]:
    """("item" | "section" | "skip", the line, problems)."""
    columns = layout.columns

    def cell(role: str):
        i = columns.get(role)
        return cells[i] if i is not None and i < len(cells) else None

    number, topic, control = _text(cell(NUMBER)), _text(cell(TOPIC)), _text(cell(CONTROL))
    own_section, raw_hours = _text(cell(SECTION)), cell(HOURS)
    hours_text = _text(raw_hours)
    # Cells under no header: where a section's name lands when its row is merged across the table.
    taken = set(columns.values()) | layout.ignored
    loose = [t for i, c in enumerate(cells) if i not in taken and (t := _text(c))]
    texts = [t for t in (number, own_section, topic, control, *loose) if t]
    if not texts and not hours_text:
        return "skip", None, []  # blank under the columns we read (a date alone, a header's second row)
    if not texts:
        return "skip", None, [_("The topic is empty.")]
    if _key(texts[0]).startswith(_TOTAL_WORDS):
        return "skip", None, []
    if all(_key(t) in layout.headers for t in texts):
        return "skip", None, []  # the header again, at the top of a printed page
    if not _NUMBER.match(number) and not control:
        lone = [t for t in (number, own_section, topic, *loose) if t]
        if len(lone) == 1 and (
            lone[0] != topic or _SECTION_WORDS.match(topic) or (NUMBER in columns and not hours_text)
        ):
            return "section", PlanLine(topic="", section=lone[0][:SECTION_LENGTH]), _section_problems(lone[0])
    if not topic:
        if not hours_text and not control and not own_section and not loose:
            return "skip", None, []  # a numbered row of an empty template
        return "skip", None, [_("The topic is empty.")]
    section = own_section or section
    problems = []
    hours = _hours(raw_hours)
    if hours is None:
        problems.append(
            _("The number of hours «%(value)s» is not a whole number from 1 to %(max)s.")
            % {"value": hours_text, "max": MAX_HOURS}
        )
    if len(topic) > TOPIC_LENGTH:
        problems.append(_("The topic is longer than %(n)s characters.") % {"n": TOPIC_LENGTH})
    problems += _section_problems(section)
    if len(control) > CONTROL_LENGTH:
        problems.append(_("The kind of control is longer than %(n)s characters.") % {"n": CONTROL_LENGTH})
    line = PlanLine(topic=topic, hours=hours or 1, section=section[:SECTION_LENGTH], control=control)
    return ("skip" if problems else "item"), line, problems


def _section_problems(text: str) -> list[str]:
    if len(text) > SECTION_LENGTH:
        return [_("The section's name is longer than %(n)s characters.") % {"n": SECTION_LENGTH}]
    return []


# --- The preview's items, carried through the confirm form ----------------------------------------------------

_SALT = "schedule.plan"
PREVIEW_MAX_AGE = 24 * 3600


def plan_sign(*, course: Course, items: Sequence[PlanLine]) -> str:
    """The previewed items as a signed string: the confirm form posts back exactly what the teacher saw."""
    return signing.dumps([asdict(i) for i in items], salt=f"{_SALT}.{course.pk}", compress=True)


def plan_unsign(*, course: Course, token: str) -> list[PlanLine]:
    try:
        data = signing.loads(token or "", salt=f"{_SALT}.{course.pk}", max_age=PREVIEW_MAX_AGE)
        return [PlanLine(**d) for d in data]
    except (signing.BadSignature, TypeError, ValueError):
        raise ScheduleError(_("The preview is out of date or damaged. Upload the file again.")) from None


# --- Writing ---------------------------------------------------------------------------------------------------


def _check_open(course: Course) -> None:
    if course.year.is_archived:
        raise ScheduleError(_("The year %(year)s is closed: its plans no longer change.") % {"year": course.year})


def _check_items(items: Sequence[PlanLine]) -> None:
    if not items:
        raise ScheduleError(_("The plan has no topics."))
    if len(items) > MAX_ITEMS:
        raise ScheduleError(_("A plan has at most %(n)s topics; the file has more.") % {"n": MAX_ITEMS})
    for n, item in enumerate(items, start=1):
        if not item.topic.strip() or len(item.topic) > TOPIC_LENGTH:
            raise ScheduleError(_("Topic %(n)s is empty or too long.") % {"n": n})
        if not isinstance(item.hours, int) or not 1 <= item.hours <= MAX_HOURS:
            raise ScheduleError(_("Topic %(n)s: the hours must be a whole number from 1 to 50.") % {"n": n})
        if len(item.section) > SECTION_LENGTH or len(item.control) > CONTROL_LENGTH:
            raise ScheduleError(_("Topic %(n)s: the section or the control is too long.") % {"n": n})


def _lock(course: Course) -> Course:
    """The course re-read under a row lock: a plan's replacement and its application take turns."""
    return Course.objects.select_for_update(of=("self",)).select_related("year", "school").get(pk=course.pk)


@transaction.atomic
def plan_replace(*, actor: User | None, course: Course, items: Sequence[PlanLine]) -> list[PlanItem]:
    """The course's plan becomes these items, all of them or (on any error) none. Lessons keep their topics until
    the plan is applied again; their links to the old items are dropped with history."""
    course = _lock(course)
    _check_open(course)
    items = [
        PlanLine(
            topic=" ".join(i.topic.split()),
            hours=i.hours,
            section=" ".join(i.section.split()),
            control=" ".join(i.control.split()),
        )
        for i in items
    ]
    _check_items(items)
    linked = list(Lesson.objects.filter(plan_item__course=course))
    for lesson in linked:
        lesson.plan_item = None
    if linked:
        bulk_update_with_history(linked, Lesson, ["plan_item"], batch_size=500, default_user=_user(actor))
    _deleted, per_model = PlanItem.objects.filter(course=course).delete()
    previous = per_model.get(PlanItem._meta.label, 0)
    created = PlanItem.objects.bulk_create(
        [
            PlanItem(
                school_id=course.school_id,
                course=course,
                position=n,
                section=i.section,
                topic=i.topic,
                hours=i.hours,
                control=i.control,
            )
            for n, i in enumerate(items, start=1)
        ]
    )
    course.plan_updated_at = now()
    course.save(update_fields=["plan_updated_at"])
    record(
        actor=actor,
        school=course.school,
        action=PLAN_POSTED,
        obj=course,
        data={"items": len(created), "hours": sum(i.hours for i in items), "previous_items": previous},
    )
    return created


PLAN_POSTED = "schedule.plan.replaced"


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


KEPT, FILLED, PAST = "kept", "filled", "past"


def assignment(items: Sequence[PlanItem], lessons: Sequence[Lesson]):
    """For each lesson in order: (lesson, (topic, topic_from_plan, plan_item) it should have, how). Each item takes
    `hours` lessons; a topic typed by hand stays and its lesson still takes its place in the sequence."""
    slots = [item for item in items for _h in range(item.hours)]
    for index, lesson in enumerate(lessons):
        slot = slots[index] if index < len(slots) else None
        if lesson.topic and not lesson.topic_from_plan:
            yield lesson, (lesson.topic, False, slot), KEPT
        elif slot is not None:
            yield lesson, (slot.topic, True, slot), FILLED
        else:
            yield lesson, ("", False, None), PAST


def _items_without_lessons(items: Sequence[PlanItem], lessons: int) -> int:
    start, result = 0, 0
    for item in items:
        result += start >= lessons
        start += item.hours
    return result


@dataclass
class Applied:
    filled: int  # lessons whose topic now comes from the plan
    changed: int  # of all lessons, how many were written (a topic or its link changed)
    kept: int  # lessons with a topic typed by hand, left as they were
    cleared: int  # lessons past the plan's end that lost a topic the plan had given them
    without_topic: int  # lessons past the plan's end, without a topic now
    items_without_lessons: int  # plan items none of whose hours got a lesson


@transaction.atomic
def plan_apply(*, actor: User | None, course: Course) -> Applied:
    """The plan's topics go to the course's lessons in order, each item to `hours` lessons (R-C08, R-C09).

    A lesson whose topic was typed by hand keeps it and still takes its place in the sequence, so the plan stays in
    step with the lessons. Lessons past the plan's end lose the topics the plan gave them earlier. Every change keeps
    its history with its author (DESIGN §4)."""
    course = _lock(course)
    _check_open(course)
    items = list(PlanItem.objects.filter(course=course).order_by("position"))
    if not items:
        raise ScheduleError(_("The course has no thematic plan yet: upload it first."))
    lessons = list(
        Lesson.objects.filter(course=course)
        .in_journal()
        .select_for_update(of=("self",))
        .order_by("date", "number", "pk")
    )
    filled = kept = cleared = without_topic = 0
    changed: list[Lesson] = []
    for lesson, (topic, from_plan, item), how in assignment(items, lessons):
        if how == KEPT:
            kept += 1
        elif how == FILLED:
            filled += 1
        else:
            cleared += bool(lesson.topic)
            without_topic += 1
        if (lesson.topic, lesson.topic_from_plan, lesson.plan_item_id) != (topic, from_plan, item and item.pk):
            lesson.topic, lesson.topic_from_plan, lesson.plan_item = topic, from_plan, item
            changed.append(lesson)
    if changed:
        bulk_update_with_history(
            changed, Lesson, ["topic", "topic_from_plan", "plan_item"], batch_size=500, default_user=_user(actor)
        )
    result = Applied(
        filled=filled,
        changed=len(changed),
        kept=kept,
        cleared=cleared,
        without_topic=without_topic,
        items_without_lessons=_items_without_lessons(items, len(lessons)),
    )
    record(actor=actor, school=course.school, action="schedule.plan.applied", obj=course, data=asdict(result))
    return result


def applied_message(result: Applied) -> str:
    """What applying did, in a sentence for the page's message."""
    parts = [
        ngettext(
            "%(n)s lesson has its topic from the plan", "%(n)s lessons have their topics from the plan", result.filled
        )
        % {"n": result.filled}
    ]
    if result.kept:
        parts.append(
            ngettext("%(n)s topic typed by hand is kept", "%(n)s topics typed by hand are kept", result.kept)
            % {"n": result.kept}
        )
    if result.cleared:
        parts.append(
            ngettext(
                "%(n)s topic past the plan's end is cleared",
                "%(n)s topics past the plan's end are cleared",
                result.cleared,
            )
            % {"n": result.cleared}
        )
    if result.without_topic:
        parts.append(
            ngettext(
                "%(n)s lesson is left without a topic: the plan is shorter",
                "%(n)s lessons are left without a topic: the plan is shorter",
                result.without_topic,
            )
            % {"n": result.without_topic}
        )
    if result.items_without_lessons:
        parts.append(
            ngettext(
                "%(n)s plan item has no lesson: the plan is longer",
                "%(n)s plan items have no lesson: the plan is longer",
                result.items_without_lessons,
            )
            % {"n": result.items_without_lessons}
        )
    return "; ".join(parts) + "."


# --- Reads: the plans of a year and one course's plan against its lessons ---------------------------------------

POSTING_DAYS = 7  # R-C08: a plan is posted at least a week before each reporting period


def _grade(course: Course) -> int | None:
    if course.school_class_id:
        return course.school_class.grade
    return None  # a group across classes follows every period


def _periods_for(periods: Sequence[StudyPeriod], grade: int | None) -> list[StudyPeriod]:
    return [p for p in periods if grade is None or p.grade_from <= grade <= p.grade_to]


def _study_weeks(periods: Sequence[StudyPeriod], holidays: Sequence[Holiday]) -> float:
    """Weeks of study in the periods, the holidays left out (approximate: a week is seven calendar days)."""
    days: set[datetime.date] = set()
    for p in periods:
        days.update(p.start + datetime.timedelta(days=k) for k in range((p.end - p.start).days + 1))
    for h in holidays:
        days.difference_update(h.start + datetime.timedelta(days=k) for k in range((h.end - h.start).days + 1))
    return len(days) / 7


@dataclass
class Posting:
    """R-C08 for the current period, or the next one between periods."""

    period: StudyPeriod
    deadline: datetime.date
    state: str  # ON_TIME, LATE (posted after the deadline), DUE (not yet, the deadline ahead), MISSING

    ON_TIME, LATE, DUE, MISSING = "on_time", "late", "due", "missing"


def posting(
    *, periods: Sequence[StudyPeriod], first_posted: datetime.date | None, day: datetime.date
) -> Posting | None:
    ahead = [p for p in periods if p.end >= day]
    if not ahead:
        return None
    period = min(ahead, key=lambda p: p.start)
    deadline = period.start - datetime.timedelta(days=POSTING_DAYS)
    if first_posted is not None:
        state = Posting.ON_TIME if first_posted <= deadline else Posting.LATE
    else:
        state = Posting.DUE if day <= deadline else Posting.MISSING
    return Posting(period, deadline, state)


def first_postings(*, school, course_ids: Sequence[int], tz: str) -> dict[int, datetime.date]:
    """When each course's plan was first posted (its first replacement in the audit log), as the school's date."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Min

    from audit.models import AuditEntry  # the audit log is a foundation every app may read and write (DESIGN §3)

    zone = zoneinfo.ZoneInfo(tz)
    rows = (
        AuditEntry.objects.filter(
            school=school,
            action=PLAN_POSTED,
            object_type=ContentType.objects.get_for_model(Course),
            object_id__in=[str(pk) for pk in course_ids],
        )
        .values("object_id")
        .annotate(first=Min("created_at"))
        .values_list("object_id", "first")
    )
    return {int(pk): first.astimezone(zone).date() for pk, first in rows}


@dataclass
class PlanRow:
    course: Course
    items: int
    hours: int
    expected_hours: int | None  # hours a week × weeks of the year's periods, approximately
    lessons: int
    with_topic: int
    posted: datetime.datetime | None
    posting: Posting | None


def plan_overview(*, school, year: AcademicYear, courses: Sequence[Course], day: datetime.date) -> list[PlanRow]:
    """The plans of these courses of the year, in a fixed number of queries (courses come with their class)."""
    ids = [c.pk for c in courses]
    plan = {
        row["course_id"]: row
        for row in PlanItem.objects.filter(course_id__in=ids)
        .values("course_id")
        .annotate(n=Count("id"), h=Sum("hours"))
        .order_by()
    }
    lessons = {
        row["course_id"]: row
        for row in Lesson.objects.filter(course_id__in=ids)
        .in_journal()
        .values("course_id")
        .annotate(n=Count("id"), topics=Count("id", filter=~Q(topic="")))
        .order_by()
    }
    periods = list(StudyPeriod.objects.filter(year=year))
    holidays = list(Holiday.objects.filter(year=year))
    first = first_postings(school=school, course_ids=ids, tz=school.timezone) if ids else {}
    zone = zoneinfo.ZoneInfo(school.timezone)
    weeks: dict[int | None, float] = {}
    result = []
    for course in courses:
        grade = _grade(course)
        mine = _periods_for(periods, grade)
        if grade not in weeks:
            weeks[grade] = _study_weeks(mine, holidays)
        posted = course.plan_updated_at
        first_posted = first.get(course.pk)
        if posted is not None:
            local = posted.astimezone(zone).date()
            first_posted = min(first_posted, local) if first_posted else local
        p, n = plan.get(course.pk, {}), lessons.get(course.pk, {})
        result.append(
            PlanRow(
                course=course,
                items=p.get("n", 0),
                hours=p.get("h") or 0,
                expected_hours=round(float(course.hours_per_week) * weeks[grade]) if mine else None,
                lessons=n.get("n", 0),
                with_topic=n.get("topics", 0),
                posted=posted,
                posting=posting(periods=mine, first_posted=first_posted, day=day),
            )
        )
    return result


@dataclass
class PlanLesson:
    lesson: Lesson
    given: bool  # its day has come (or it is marked held)
    by_hand: bool  # its topic was typed by hand, not taken from the plan


@dataclass
class PlanEntry:
    item: PlanItem
    lessons: list[PlanLesson] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return any(pl.given for pl in self.lessons)


@dataclass
class Coverage:
    """R-J07: the course's lessons and topics against its plan."""

    items: int
    plan_hours: int
    lessons: int  # in the journal (not cancelled)
    given: int  # up to today
    given_with_topic: int
    covered_items: int  # items at least one of whose lessons has been given
    expected_items: int  # items the plan should have reached by now (by the lessons given)
    past_plan: int  # lessons after the plan's last hour
    pending: int  # lessons applying the plan would change now


def plan_detail(*, course: Course, day: datetime.date) -> tuple[list[PlanEntry], Coverage]:
    """One course's plan with the lessons each item fell on, and the coverage (R-J07): two queries."""
    items = list(PlanItem.objects.filter(course=course).order_by("position"))
    lessons = list(
        Lesson.objects.filter(course=course)
        .in_journal()
        .order_by("date", "number", "pk")
        .only("id", "date", "number", "status", "topic", "topic_from_plan", "plan_item_id", "course_id")
    )
    entries = {item.pk: PlanEntry(item) for item in items}
    given = 0
    given_with_topic = 0
    for lesson in lessons:
        is_given = lesson.date <= day or lesson.status == Lesson.Status.HELD
        given += is_given
        given_with_topic += is_given and bool(lesson.topic)
        entry = entries.get(lesson.plan_item_id)
        if entry is not None:
            entry.lessons.append(PlanLesson(lesson, is_given, bool(lesson.topic) and not lesson.topic_from_plan))
    pending = 0
    for lesson, target, _how in assignment(items, lessons) if items else ():
        pending += (lesson.topic, lesson.topic_from_plan, lesson.plan_item_id) != (
            target[0],
            target[1],
            target[2] and target[2].pk,
        )
    plan_hours = sum(i.hours for i in items)
    expected, start = 0, 0
    for item in items:
        expected += start < given
        start += item.hours
    coverage = Coverage(
        items=len(items),
        plan_hours=plan_hours,
        lessons=len(lessons),
        given=given,
        given_with_topic=given_with_topic,
        covered_items=sum(1 for e in entries.values() if e.covered),
        expected_items=expected,
        past_plan=max(0, len(lessons) - plan_hours) if items else 0,
        pending=pending,
    )
    return list(entries.values()), coverage


# --- Files: the sample to fill in and the export ----------------------------------------------------------------


def plan_rows(*, items: Iterable[PlanItem], dates: dict[int, list[datetime.date]] | None = None) -> list[list]:
    """The plan as rows in FILE_COLUMNS order; `dates`: the dates of each item's lessons (the import ignores them)."""
    dates = dates or {}
    return [
        [
            item.position,
            item.section,
            item.topic,
            item.hours,
            ", ".join(d.strftime("%d.%m.%Y") for d in dates.get(item.pk, [])),
            item.control,
        ]
        for item in items
    ]


SAMPLE_ROWS = [
    [1, "Натуральные числа", "Ряд натуральных чисел", 1, "", ""],
    [2, "Натуральные числа", "Десятичная запись натуральных чисел", 2, "", ""],
    [3, "Натуральные числа", "Сравнение натуральных чисел", 1, "", "Самостоятельная работа"],
    [4, "Действия с натуральными числами", "Сложение и вычитание натуральных чисел", 2, "", ""],
    [5, "Действия с натуральными числами", "Контрольная работа № 1", 1, "", "Контрольная работа"],
]


def plan_xlsx(*, title: str, rows: list[list], sample: bool = False) -> bytes:
    """A workbook in the format plan_read reads: a title, the header, one row per topic (the section in its column;
    rows with only a section's name are read too)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "КТП"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([HEADERS[c] for c in FILE_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a topic is never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (9, 30, 60, 10, 16, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    if sample:
        example = book.create_sheet("Пример")
        example.append([HEADERS[c] for c in FILE_COLUMNS])
        for cell in example[1]:
            cell.font = Font(bold=True)
        for values in SAMPLE_ROWS:
            example.append(values)
        for letter, width in zip("ABCDEF", (9, 30, 60, 10, 16, 24), strict=True):
            example.column_dimensions[letter].width = width
        notes = book.create_sheet("Как заполнять")
        for line in SAMPLE_NOTES:
            notes.append([line])
        notes.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The sample's notes are part of the file, like its headers: Russian.
SAMPLE_NOTES = [
    "Заполните первый лист: одна строка — одна тема урока (пример — на листе «Пример»).",
    "«Тема урока» — обязательно. «Кол-во часов» — целое число от 1 до 50; пусто — 1 час.",
    "Раздел можно писать в столбце «Раздел» или отдельной строкой с одним названием раздела над его темами.",
    "Даты не нужны: темы ложатся на уроки курса по порядку, по расписанию.",
    "Столбцы можно переставлять; строки с заголовком над таблицей и «Итого» пропускаются.",
    "Подойдёт и своя таблица КТП в Excel (.xlsx) или CSV с такими столбцами.",
]
