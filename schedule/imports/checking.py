"""A file checked against the school: every row's problems by row and column, and what applying it would write.

`check()` reads nothing but the file and a fixed number of queries (the school's people, classes, enrollments and
links of the people found), whatever the number of rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import STAFF_ROLES, GuardianLink, ImportJob, Membership, Role, School, User
from accounts.services import ConsentData, NewPerson
from ejournal.clock import today

from ..models import AcademicYear, Enrollment, SchoolClass
from ..selectors import current_year
from . import values
from .columns import REQUIRED, canonical, classify, parent_key
from .reading import FileProblem, Table, read_table
from .values import BadValue


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it; 0 is the file as a whole
    column: str  # the header as the file has it (or as ours would be when the file lacks the column)
    message: str


@dataclass(eq=False)
class Person:
    """Someone the file names: a person already in the school (`user` set) or one to create."""

    last_name: str
    first_name: str
    middle_name: str
    birth_date: datetime.date | None = None
    email: str = ""
    phone: str = ""
    roles: tuple[str, ...] = ()
    consent: ConsentData | None = None
    user: User | None = None  # set for a person already in the school, and once applying has created them
    row: int = 0  # the first row that names them

    def __post_init__(self):
        self.is_new = self.user is None  # stays true after applying: the report counts whom it created

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def new_person(self) -> NewPerson:
        return NewPerson(
            last_name=self.last_name,
            first_name=self.first_name,
            middle_name=self.middle_name,
            birth_date=self.birth_date,
            email=self.email,
            phone=self.phone,
            roles=self.roles,
            consent=self.consent,
        )


@dataclass
class RowReport:
    number: int
    person: str = ""
    birth: str = ""
    place: str = ""  # the class or the roles, as typed
    parents: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what applying does with the row
    changes: bool = False  # applying writes something for this row

    @property
    def status(self) -> str:
        return "error" if self.errors else ("new" if self.changes else "same")


@dataclass
class Report:
    kind: str
    source: str = ""
    problems: list[Problem] = field(default_factory=list)  # the file as a whole
    rows: list[RowReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # headers that mean nothing to us
    year: AcademicYear | None = None
    since: datetime.date | None = None
    people: list[Person] = field(default_factory=list)
    enrollments: list[tuple[Person, SchoolClass]] = field(default_factory=list)
    links: list[tuple[Person, Person, str]] = field(default_factory=list)
    grants: list[tuple[Person, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return self.problems + [p for r in self.rows for p in r.errors]

    @property
    def changes(self) -> bool:
        return bool(self.enrollments or self.links or self.grants or any(p.is_new for p in self.people))

    def counts(self) -> dict[str, int]:
        new = defaultdict(int)
        for p in self.people:
            if p.is_new:
                new[_kind_of(p)] += 1
        return {
            "rows": len(self.rows),
            "errors": len(self.errors),
            "error_rows": sum(1 for r in self.rows if r.errors),
            "same_rows": sum(1 for r in self.rows if r.status == "same"),
            "new_pupils": new[Role.PUPIL],
            "new_guardians": new[Role.GUARDIAN],
            "new_staff": new["staff"],
            "enrollments": len(self.enrollments),
            "links": len(self.links),
            "roles": len(self.grants),
        }


def _kind_of(person: Person) -> str:
    if Role.PUPIL in person.roles:
        return Role.PUPIL
    if Role.GUARDIAN in person.roles:
        return Role.GUARDIAN
    return "staff"


# --- One row ---------------------------------------------------------------------------------------------


class RowView:
    """The cells of one row by key, with the problems found in them."""

    def __init__(self, number: int, cells: list, columns: dict[str, int], headers: list[str], report: RowReport):
        self.number, self.cells, self.columns, self.headers, self.report = number, cells, columns, headers, report

    def has(self, key: str) -> bool:
        return key in self.columns

    def raw(self, key: str):
        i = self.columns.get(key)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def filled(self, key: str) -> bool:
        return values.text(self.raw(key)) != ""

    def column(self, key: str) -> str:
        i = self.columns.get(key)
        return self.headers[i] if i is not None else canonical(key)

    def error(self, key: str, message: str) -> None:
        self.report.errors.append(Problem(self.number, self.column(key), message))

    def warn(self, key: str, message: str) -> None:
        self.report.warnings.append(Problem(self.number, self.column(key), message))

    def parse(self, key: str, parser, **kwargs):
        try:
            return parser(self.raw(key), **kwargs)
        except BadValue as e:
            self.error(key, e.message)
            return None


def _required(v: RowView, key: str, message: str | None = None) -> None:
    v.error(key, message or _("Empty: this column is required."))


@dataclass
class Fields:
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    birth_date: datetime.date | None = None
    email: str = ""
    phone: str = ""
    consent_document: str = ""
    consent_date: datetime.date | None = None
    names_ok: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def key(self) -> str:
        return values.name_key(self.last_name, self.first_name, self.middle_name)


def _names(v: RowView, p: str, f: Fields) -> None:
    if v.has(p + "full_name") and not (v.has(p + "last_name") or v.has(p + "first_name")):
        try:
            parts = values.split_full_name(v.raw(p + "full_name"))
            f.last_name, f.first_name, f.middle_name = (values.name(x) for x in parts)
        except BadValue as e:
            v.error(p + "full_name", e.message)
            return
        f.names_ok = bool(f.last_name and f.first_name)
        return
    f.last_name = v.parse(p + "last_name", values.name) or ""
    f.first_name = v.parse(p + "first_name", values.name) or ""
    f.middle_name = v.parse(p + "middle_name", values.name) or ""
    f.names_ok = bool(f.last_name and f.first_name)


def _missing_names(v: RowView, p: str, f: Fields, message: str | None = None) -> None:
    if f.last_name and f.first_name:
        return
    if v.has(p + "full_name") and not (v.has(p + "last_name") or v.has(p + "first_name")):
        if not v.filled(p + "full_name"):
            _required(v, p + "full_name", message)
        return
    for key, value in ((p + "last_name", f.last_name), (p + "first_name", f.first_name)):
        if not value and not v.filled(key):  # a filled cell that is no name has its own error already
            _required(v, key, message)


def _fields(v: RowView, p: str, *, day: datetime.date, birth: bool) -> Fields:
    f = Fields()
    _names(v, p, f)
    if birth:
        f.birth_date = v.parse(p + "birth_date", values.date, today=day)
        if f.birth_date and f.birth_date > day:
            v.error(p + "birth_date", _("The date of birth cannot be in the future."))
            f.birth_date = None
    f.email = v.parse(p + "email", values.email) or ""
    f.phone = v.parse(p + "phone", values.phone) or ""
    f.consent_document = v.parse(p + "consent_document", values.consent_document) or ""
    f.consent_date = v.parse(p + "consent_date", values.date, today=day)
    if f.consent_date and f.consent_date > day:
        v.error(p + "consent_date", _("The consent cannot be signed in the future."))
        f.consent_date = None
    return f


@dataclass(frozen=True)
class Missing:
    """A consent's part that is missing: an error for a person to create, nothing (or a warning) for one already
    in the school, whose consent is on record."""

    key: str
    message: str
    warn_if_known: bool = False


def _consent(
    v: RowView, p: str, f: Fields, signed_by: str, *, ask_signer: bool = False
) -> tuple[ConsentData | None, list[Missing]]:
    """R-B09: nobody's data without a consent; the row is refused when it is missing.

    Staff and parents sign their own consents (`signed_by` is their name); a pupil's names its signer
    (`ask_signer`)."""
    if not f.consent_document:
        if v.filled(p + "consent_document"):
            message = _("The consent is not given: without it the person's data cannot be entered.")
            return None, [Missing(p + "consent_document", message, warn_if_known=True)]
        message = _("No consent to personal-data processing: without it the person's data cannot be entered.")
        return None, [Missing(p + "consent_document", message)]
    missing = []
    if f.consent_date is None and not v.filled(p + "consent_date"):
        missing.append(Missing(p + "consent_date", _("Give the date the consent was signed.")))
    if not signed_by and ask_signer:
        missing.append(Missing(p + "consent_signed_by", _("Say who signed the consent (for a minor, a parent).")))
    if missing or f.consent_date is None or not signed_by:
        return None, missing
    return ConsentData(signed_by=signed_by, signed_on=f.consent_date, document=f.consent_document), []


def _report_missing(v: RowView, missing: list[Missing], *, known: bool) -> None:
    for m in missing:
        if not known:
            v.error(m.key, m.message)
        elif m.warn_if_known:
            v.warn(m.key, _("%(message)s The school has a consent on record; withdraw it on the person's page if it "
                            "was withdrawn.") % {"message": m.message})  # fmt: skip


# --- The people already in the school ----------------------------------------------------------------------


@dataclass
class Known:
    user: User
    roles: set[str]

    @property
    def birth_date(self):
        return self.user.birth_date


class SchoolPeople:
    """Everyone with a role in the school, by name, in one query."""

    def __init__(self, school: School):
        self.by_name: dict[str, list[Known]] = defaultdict(list)
        self.by_id: dict[int, Known] = {}
        rows = Membership.objects.for_school(school).values_list(
            "user_id",
            "role",
            "user__username",
            "user__last_name",
            "user__first_name",
            "user__middle_name",
            "user__birth_date",
            "user__email",
            "user__phone",
        )
        for uid, role, username, last, first, middle, birth, email, phone in rows:
            known = self.by_id.get(uid)
            if known is None:
                user = User(
                    pk=uid,
                    username=username,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    birth_date=birth,
                    email=email,
                    phone=phone,
                )
                known = self.by_id[uid] = Known(user, set())
                self.by_name[values.name_key(last, first, middle)].append(known)
            known.roles.add(role)

    def find(self, f: Fields, roles) -> tuple[Known | None, list[Known]]:
        """The person with these names and date of birth holding one of the roles; else the namesakes.

        A date of birth missing on one side does not tell two people apart, if there is only one such person."""
        namesakes = [k for k in self.by_name.get(f.key, ()) if k.roles & set(roles)]
        exact = [k for k in namesakes if k.birth_date == f.birth_date]
        if exact:
            return exact[0], []
        undated = [k for k in namesakes if k.birth_date is None or f.birth_date is None]
        if len(undated) == 1:
            return undated[0], []
        return None, namesakes


# --- The file ----------------------------------------------------------------------------------------------


def map_columns(table: Table, kind: str, report: Report) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        key = classify(header, kind)
        if key is None:
            if header.strip():
                report.ignored.append(header)
            continue
        if key in columns:
            report.problems.append(
                Problem(
                    table.header_row,
                    header,
                    _("Two columns mean the same: «%(a)s» and «%(b)s». Leave one.")
                    % {"a": table.headers[columns[key]], "b": header},
                )
            )
            continue
        columns[key] = i
    missing = []
    has_names = ("last_name" in columns and "first_name" in columns) or "full_name" in columns
    if not has_names:
        missing += [canonical(k) for k in ("last_name", "first_name") if k not in columns]
    missing += [canonical(k) for k in REQUIRED[kind] if k not in columns]
    if missing:
        report.problems.append(
            Problem(
                table.header_row,
                "",
                _(
                    "The file lacks required columns: %(columns)s. "
                    "Check the header row (row %(row)s) against the template."
                )
                % {"columns": ", ".join(f"«{m}»" for m in missing), "row": table.header_row},
            )
        )
    return columns


def check(*, school: School, kind: str, content: bytes) -> Report:
    report = Report(kind=kind)
    try:
        table = read_table(content)
    except FileProblem as e:
        report.problems.append(Problem(0, "", e.message))
        return report
    report.source = table.source
    columns = map_columns(table, kind, report)
    if report.problems:
        return report
    day = today(school.timezone)
    if kind == ImportJob.Kind.STAFF:
        _check_staff(school, table, columns, report, day)
    else:
        _check_pupils(school, table, columns, report, day)
    return report


def _check_staff(school: School, table: Table, columns: dict[str, int], report: Report, day: datetime.date) -> None:
    people = SchoolPeople(school)
    seen: dict[tuple, int] = {}
    by_user: dict[int, Person] = {}
    for number, cells in table.rows:
        row = RowReport(number)
        report.rows.append(row)
        v = RowView(number, cells, columns, table.headers, row)
        f = _fields(v, "", day=day, birth=True)
        roles = v.parse("roles", values.roles) or ()
        _missing_names(v, "", f)
        if not roles and not v.filled("roles"):
            _required(v, "roles")
        consent, missing = _consent(v, "", f, f.full_name[:300])
        row.person, row.birth = f.full_name, _d(f.birth_date)
        row.place = ", ".join(values.ROLE_WORDS[r] for r in roles)
        if not f.names_ok:
            _report_missing(v, missing, known=False)
            continue
        known, namesakes = people.find(f, STAFF_ROLES)
        first = seen.setdefault((f.key, f.birth_date), number)
        if known is not None and known.user.pk in by_user:
            first = by_user[known.user.pk].row
        if first != number:
            v.error(_name_column(v, ""), _("The same person is already in row %(row)s.") % {"row": first})
            continue
        _report_missing(v, missing, known=known is not None)
        if known is None:
            _namesakes_warning(v, namesakes)
            report.people.append(_new(f, roles, consent, number))
            row.notes.append(_("New staff member."))
            row.changes = True
            continue
        person = by_user[known.user.pk] = _existing(known, number)
        report.people.append(person)
        row.notes.append(_("Already in the school."))
        added = [r for r in roles if r not in known.roles]
        for role in added:
            report.grants.append((person, role))
        if added:
            row.notes.append(_("Roles to add: %(roles)s.") % {"roles": ", ".join(values.ROLE_WORDS[r] for r in added)})
            row.changes = True


def _name_column(v: RowView, p: str) -> str:
    return p + ("last_name" if v.has(p + "last_name") or not v.has(p + "full_name") else "full_name")


def _new(f: Fields, roles: tuple[str, ...], consent: ConsentData | None, number: int) -> Person:
    return Person(
        f.last_name, f.first_name, f.middle_name, f.birth_date, f.email, f.phone, roles, consent, row=number
    )  # fmt: skip


def _existing(known: Known, number: int) -> Person:
    u = known.user
    return Person(
        u.last_name, u.first_name, u.middle_name, u.birth_date, u.email, u.phone, tuple(known.roles), user=u, row=number
    )  # fmt: skip


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _namesakes_warning(v: RowView, namesakes: list[Known]) -> None:
    if namesakes:
        dates = ", ".join(_d(k.birth_date) or "—" for k in namesakes)
        v.warn(
            "birth_date",
            _("Someone with the same name but another date of birth (%(dates)s) is already in the school: "
              "a new person will be added. Check the date if it is the same person.") % {"dates": dates},
        )  # fmt: skip


@dataclass
class ParentSeen:
    group: int
    fields: Fields
    relation: str
    consent: ConsentData | None
    missing: list[Missing]


@dataclass
class PupilSeen:
    row: RowReport
    view: RowView
    fields: Fields
    consent: ConsentData | None
    missing: list[Missing]
    school_class: SchoolClass | None
    parents: list[ParentSeen]
    known: Known | None = None


def _check_pupils(school: School, table: Table, columns: dict[str, int], report: Report, day: datetime.date) -> None:
    year = current_year(school=school, day=day)
    report.year = year
    if year is None:
        report.problems.append(
            Problem(0, "", _("The school has no open academic year: create the year and its classes first."))
        )
        return
    since = max(day, year.start)
    if since > year.end:
        report.problems.append(
            Problem(0, "", _("The academic year %(year)s is over: open the next year first.") % {"year": year})
        )
        return
    report.since = since
    classes = {
        (c.grade, c.letter.upper().translate(values.LOOKALIKES)): c
        for c in SchoolClass.objects.for_school(school).filter(year=year).select_related("year", "school")
    }
    groups = sorted({int(k[1 : k.index(".")]) for k in columns if k.startswith("p") and "." in k})
    people = SchoolPeople(school)

    # First pass: every cell of every row, and the pupils matched with the school's.
    seen_rows = [_read_pupil_row(number, cells, columns, table.headers, report, classes, groups, day, year)
                 for number, cells in table.rows]  # fmt: skip
    seen: dict[tuple, int] = {}
    matched: dict[int, int] = {}
    for s in seen_rows:
        f, v = s.fields, s.view
        if not f.names_ok:
            _report_missing(v, s.missing, known=False)
            continue
        known, namesakes = people.find(f, {Role.PUPIL})
        first = seen.setdefault((f.key, f.birth_date), s.row.number)
        if known is not None:
            first = matched.setdefault(known.user.pk, s.row.number)
        if first != s.row.number:
            v.error(_name_column(v, ""), _("The same pupil is already in row %(row)s.") % {"row": first})
            f.names_ok = False
            continue
        s.known = known
        _report_missing(v, s.missing, known=known is not None)
        if known is None:
            _namesakes_warning(v, namesakes)
            if f.birth_date is None and not v.filled("birth_date"):
                _required(v, "birth_date", _("Empty: a new pupil needs the date of birth."))
            if s.school_class is None and not v.filled("school_class"):
                _required(v, "school_class", _("Empty: a new pupil needs a class."))
            if f.birth_date:
                age = (day - f.birth_date).days // 365
                if not 5 <= age <= 19:
                    message = ngettext(
                        "Check the date of birth: the pupil would be %(age)s year old.",
                        "Check the date of birth: the pupil would be %(age)s years old.",
                        age,
                    )
                    v.warn("birth_date", message % {"age": age})

    enrolled: dict[int, tuple[int, str]] = {}
    linked: set[tuple[int, int]] = set()
    if matched:
        for pupil_id, class_id, grade, letter in (
            Enrollment.objects.for_school(school)
            .filter(pupil_id__in=matched, school_class__year=year)
            .filter(Q(until__isnull=True) | Q(until__gte=since))
            .values_list("pupil_id", "school_class_id", "school_class__grade", "school_class__letter")
        ):
            enrolled[pupil_id] = (class_id, f"{grade}{letter}")
        linked = set(
            GuardianLink.objects.for_school(school).filter(pupil_id__in=matched).values_list("guardian_id", "pupil_id")
        )

    # Second pass: pupils, parents and their links; one person per parent however many children they have.
    parents = ParentIndex(people, linked)
    for s in seen_rows:
        if s.fields.names_ok:
            pupil = _place_pupil(s, report, enrolled)
            placed: dict[str, int] = {}
            for parent in s.parents:
                _place_parent(s, parent, pupil, parents, report, placed)


def _read_pupil_row(number, cells, columns, headers, report, classes, groups, day, year) -> PupilSeen:
    row = RowReport(number)
    report.rows.append(row)
    v = RowView(number, cells, columns, headers, row)
    f = _fields(v, "", day=day, birth=True)
    _missing_names(v, "", f)
    cls = v.parse("school_class", values.school_class)
    school_class = None
    if cls is not None:
        school_class = classes.get(cls)
        if school_class is None:
            v.error(
                "school_class",
                _("There is no class %(name)s in the year %(year)s.") % {"name": f"{cls[0]}{cls[1]}", "year": year},
            )
    row.person, row.birth, row.place = f.full_name, _d(f.birth_date), values.text(v.raw("school_class"))
    parents = []
    for n in groups:
        p = parent_key(n, "")
        if not any(v.filled(k) for k in columns if k.startswith(p)):
            continue
        pf = _fields(v, p, day=day, birth=False)
        _missing_names(v, p, pf, _("Empty: the parent's other columns are filled, this one is required."))
        consent, missing = _consent(v, p, pf, pf.full_name[:300])
        parents.append(ParentSeen(n, pf, values.relation(v.raw(p + "relation")), consent, missing))
        row.parents.append(pf.full_name)
    signed_by = values.text(v.raw("consent_signed_by"))
    if not signed_by and parents and parents[0].fields.names_ok:
        signed_by = parents[0].fields.full_name  # a minor's consent is signed by a parent
    if len(signed_by) > 300:
        v.error("consent_signed_by", _("Too long: at most %(n)s characters.") % {"n": 300})
    consent, missing = _consent(v, "", f, signed_by, ask_signer=True)
    return PupilSeen(row, v, f, consent, missing, school_class, parents)


def _place_pupil(s: PupilSeen, report: Report, enrolled: dict[int, tuple[int, str]]) -> Person:
    f, row, v, known = s.fields, s.row, s.view, s.known
    if known is None:
        pupil = _new(f, (Role.PUPIL,), s.consent, row.number)
        report.people.append(pupil)
        row.notes.append(_("New pupil."))
        row.changes = True
        if s.school_class is not None:
            report.enrollments.append((pupil, s.school_class))
            row.notes.append(_("Will be enrolled in %(cls)s.") % {"cls": s.school_class})
        return pupil
    pupil = _existing(known, row.number)
    report.people.append(pupil)
    current = enrolled.get(known.user.pk)
    if current is None and s.school_class is not None:
        report.enrollments.append((pupil, s.school_class))
        row.notes.append(_("Already in the school; will be enrolled in %(cls)s.") % {"cls": s.school_class})
        row.changes = True
    elif current is None:
        row.notes.append(_("Already in the school, not in a class."))
    elif s.school_class is not None and current[0] != s.school_class.pk:
        v.error(
            "school_class",
            _("%(name)s is already in class %(cls)s: move the pupil on the class page.")
            % {"name": f.full_name, "cls": current[1]},
        )
    else:
        row.notes.append(_("Already in the school, in class %(cls)s.") % {"cls": current[1]})
    return pupil


class ParentIndex:
    """Parents found so far: those of the school by user, those new in this file by name and phone or email."""

    def __init__(self, people: SchoolPeople, linked: set[tuple[int, int]]):
        self.people, self.linked = people, linked
        self.by_user: dict[int, Person] = {}
        self.by_contact: dict[tuple[str, str], Person] = {}
        self.uncontactable: dict[str, int] = {}

    def find(self, f: Fields, pupil: Person) -> Person | None:
        """Already in the school: the same full name, and the same child or the same phone or email. Named in an
        earlier row: the same full name and the same phone or email."""
        phone, mail = values.phone_key(f.phone), f.email.casefold()
        candidates = self.people.by_name.get(f.key, ())
        found = None
        if not pupil.is_new:
            found = next((k for k in candidates if (k.user.pk, pupil.user.pk) in self.linked), None)
        if found is None:
            found = next(
                (k for k in candidates
                 if (phone and values.phone_key(k.user.phone) == phone) or (mail and k.user.email.casefold() == mail)),
                None,
            )  # fmt: skip
        if found is not None:
            if found.user.pk not in self.by_user:
                self.by_user[found.user.pk] = _existing(found, 0)
            return self.by_user[found.user.pk]
        return next((self.by_contact[c] for c in _contacts(f) if c in self.by_contact), None)

    def add(self, person: Person, f: Fields) -> int | None:
        """Remember a new parent; the row of an earlier namesake without contacts, if any."""
        contacts = _contacts(f)
        for contact in contacts:
            self.by_contact[contact] = person
        if contacts:
            return None
        earlier = self.uncontactable.setdefault(f.key, person.row)
        return earlier if earlier != person.row else None


def _place_parent(
    s: PupilSeen, seen: ParentSeen, pupil: Person, parents: ParentIndex, report: Report, placed: dict[str, int]
) -> None:
    """One parent group of a row: found or new, then linked to the pupil. `placed`: this row's parents so far, by
    name (one person cannot be both parents of a child)."""
    pf, row, v, n = seen.fields, s.row, s.view, seen.group
    if not pf.names_ok:
        _report_missing(v, seen.missing, known=False)
        return
    p = parent_key(n, "")
    if pf.key in placed:
        message = _("Parent %(n)s is the same person as parent %(m)s.") % {"n": n, "m": placed[pf.key]}
        v.error(_name_column(v, p), message)
        return
    placed[pf.key] = n
    guardian = parents.find(pf, pupil)
    _report_missing(v, seen.missing, known=guardian is not None and not guardian.is_new)
    if guardian is None:
        if seen.consent is None:
            return
        guardian = _new(pf, (Role.GUARDIAN,), seen.consent, row.number)
        report.people.append(guardian)
        earlier = parents.add(guardian, pf)
        if earlier:
            v.warn(
                _name_column(v, p),
                _("A parent with the same name is in row %(row)s; without a phone or email they are taken as two "
                  "different people.") % {"row": earlier},
            )  # fmt: skip
        row.notes.append(_("Parent %(n)s: new.") % {"n": n})
        row.changes = True
    elif guardian.is_new:
        row.notes.append(_("Parent %(n)s: the same person as in row %(row)s.") % {"n": n, "row": guardian.row})
    else:
        row.notes.append(_("Parent %(n)s: already in the school.") % {"n": n})
    if not guardian.is_new and Role.GUARDIAN not in guardian.roles:
        guardian.roles = (*guardian.roles, Role.GUARDIAN)
        report.grants.append((guardian, Role.GUARDIAN))
        row.changes = True
    if guardian.is_new or pupil.is_new or (guardian.user.pk, pupil.user.pk) not in parents.linked:
        report.links.append((guardian, pupil, seen.relation))
        if not (guardian.is_new or pupil.is_new):
            row.notes.append(_("Parent %(n)s will be linked to the pupil.") % {"n": n})
        row.changes = True


def _contacts(f: Fields) -> list[tuple[str, str]]:
    result = []
    if values.phone_key(f.phone):
        result.append((f.key, "tel:" + values.phone_key(f.phone)))
    if f.email:
        result.append((f.key, "mail:" + f.email.casefold()))
    return result
