"""Lists of staff and of pupils with their parents, in exactly the import's format (schedule.imports), as XLSX and
as CSV that Excel opens (UTF-8 with a BOM, «;»): an export imported again finds everyone already there.

Every download of such a list is a download of personal data and is written to the audit log.
"""

import csv
import datetime
import io
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, GuardianLink, ImportJob, Membership, PersonalDataConsent, Role, School, User
from audit.log import record
from ejournal.spreadsheets import csv_text, xlsx_append, xlsx_text

from .imports.columns import MAX_PARENTS, PARENT_COLUMNS, TEMPLATE_PARENTS, headers
from .imports.values import RELATION_WORDS, ROLE_WORDS
from .models import Enrollment, SchoolClass
from .selectors import current_year

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
STAFF_ORDER = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)
RELATION_ORDER = {GuardianLink.Relation.MOTHER: 0, GuardianLink.Relation.FATHER: 1, GuardianLink.Relation.OTHER: 2}
PERSON = ("last_name", "first_name", "middle_name", "birth_date", "email", "phone")


def _consents(school: School, ids) -> dict[int, PersonalDataConsent]:
    """Each person's latest consent in force."""
    result = {}
    rows = (
        PersonalDataConsent.objects.for_school(school)
        .filter(person_id__in=ids, withdrawn_on__isnull=True)
        .order_by("signed_on", "pk")
        .only("person_id", "document", "signed_on", "signed_by")
    )
    for consent in rows:
        result[consent.person_id] = consent
    return result


def _consent_cells(consent: PersonalDataConsent | None, *, signed_by: bool) -> list:
    if consent is None:
        return ["", None, ""] if signed_by else ["", None]
    cells = [consent.document, consent.signed_on]
    return [*cells, consent.signed_by] if signed_by else cells


def staff_table(*, school: School) -> tuple[list[str], list[list]]:
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in (
        Membership.objects.for_school(school).filter(role__in=STAFF_ROLES).values_list("user_id", "role")
    ):
        roles[user_id].add(role)
    people = User.objects.filter(pk__in=list(roles)).only(*PERSON).order_by(*PERSON[:3], "pk")
    consents = _consents(school, list(roles))
    rows = []
    for u in people:
        words = ", ".join(ROLE_WORDS[r] for r in STAFF_ORDER if r in roles[u.pk])
        rows.append(
            [u.last_name, u.first_name, u.middle_name, u.birth_date, words, u.email, u.phone]
            + _consent_cells(consents.get(u.pk), signed_by=False)
        )
    return headers(ImportJob.Kind.STAFF), rows


def pupil_table(
    *, school: School, day: datetime.date, school_class: SchoolClass | None = None
) -> tuple[list[str], list[list]]:
    """Pupils enrolled on the day (from the year's first day, before it starts) in a class or in the whole school
    (with the pupils in no class at the end), and their parents, mothers first."""
    year = school_class.year if school_class is not None else current_year(school=school, day=day)
    pupils: list[tuple[User, str]] = []
    if year is not None:
        on = max(day, year.start)
        enrollments = (
            Enrollment.objects.for_school(school)
            .on(on)
            .filter(school_class__year=year)
            .select_related("pupil", "school_class")
            .order_by("school_class__grade", "school_class__letter", *(f"pupil__{f}" for f in PERSON[:3]), "pk")
        )
        if school_class is not None:
            enrollments = enrollments.filter(school_class=school_class)
        pupils = [(e.pupil, str(e.school_class)) for e in enrollments]
    if school_class is None:
        placed = [u.pk for u, _c in pupils]
        others = (
            User.objects.filter(pk__in=Membership.objects.for_school(school).filter(role=Role.PUPIL).values("user_id"))
            .exclude(pk__in=placed)
            .only(*PERSON)
            .order_by(*PERSON[:3], "pk")
        )
        pupils += [(u, "") for u in others]
    ids = [u.pk for u, _c in pupils]
    parents: dict[int, list[GuardianLink]] = defaultdict(list)
    links = (
        GuardianLink.objects.for_school(school)
        .filter(pupil_id__in=ids)
        .select_related("guardian")
        .only("pupil_id", "relation", *(f"guardian__{f}" for f in PERSON))
        .order_by("pk")
    )
    for link in links:
        parents[link.pupil_id].append(link)
    for group in parents.values():
        group.sort(key=lambda link: RELATION_ORDER.get(link.relation, 9))
    consents = _consents(school, ids + [link.guardian_id for group in parents.values() for link in group])
    width = min(MAX_PARENTS, max([TEMPLATE_PARENTS, *(len(g) for g in parents.values())]))
    rows = []
    for u, class_name in pupils:
        row = [u.last_name, u.first_name, u.middle_name, u.birth_date, class_name, u.email, u.phone]
        row += _consent_cells(consents.get(u.pk), signed_by=True)
        for link in parents[u.pk][:width]:
            g = link.guardian
            row += [g.last_name, g.first_name, g.middle_name, RELATION_WORDS.get(link.relation, ""), g.email, g.phone]
            row += _consent_cells(consents.get(g.pk), signed_by=False)
        row += [""] * (len(PARENT_COLUMNS) * (width - len(parents[u.pk][:width])))
        rows.append(row)
    return headers(ImportJob.Kind.PUPILS, parents=width), rows


# --- Files -------------------------------------------------------------------------------------------------


def _hints(kind: str) -> list[tuple[str, str]]:
    """What the template's second sheet says about each column."""
    person = [
        ("Фамилия, Имя, Отчество", _("As in the documents; ё and double surnames with a hyphen are kept.")),
        ("Дата рождения", _("DD.MM.YYYY (a date cell of Excel will do).")),
        ("Email, Телефон", _("Optional.")),
        (
            "Согласие",
            _(
                "The consent to personal-data processing: the number or description of the signed paper. "
                "Without it the person is not entered."
            ),
        ),
        ("Дата согласия", _("The date the consent was signed.")),
    ]
    if kind == ImportJob.Kind.STAFF:
        return [
            *person,
            ("Роли", _("учитель, администратор, заместитель директора, директор; several separated by commas.")),
        ]
    return [
        *person,
        ("Класс", _("A class of the current year: 5А, 5 А or 5-а.")),
        ("Кем подписано согласие", _("For a minor, usually a parent; empty means parent 1.")),
        (
            "Родитель 1, Родитель 2",
            _("Up to two parents or legal representatives; a group is either empty or has the names and the consent."),
        ),
        ("Кем приходится", _("мать, отец, опекун, законный представитель…")),
        ("", _("A file imported again changes nothing: people already in the school are recognised.")),
    ]


def as_xlsx(columns: list[str], rows: list[list], *, title: str, kind: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    xlsx_append(sheet, columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
            xlsx_text(cell)  # a name is never a formula
    for c, header in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(12, min(40, len(header) + 2))
    sheet.freeze_panes = "A2"
    if kind is not None:
        notes = book.create_sheet(_("How to fill in")[:31])
        notes.append([_("Column"), _("What to write")])
        for cell in notes[1]:
            cell.font = Font(bold=True)
        for row in _hints(kind):
            xlsx_append(notes, [str(x) for x in row])
        notes.column_dimensions["A"].width = 30
        notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int | float):
        return str(value)
    # Excel runs a text that starts like a formula (a phone «+7 912…» too); the import drops the apostrophe again.
    return csv_text(str(value))


def as_csv(columns: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def as_file(fmt: str, columns: list[str], rows: list[list], *, title: str, kind: str | None = None) -> bytes:
    return as_xlsx(columns, rows, title=title, kind=kind) if fmt == XLSX else as_csv(columns, rows)


@transaction.atomic
def export_downloaded(
    *, actor: User, school: School, what: str, fmt: str, rows: int, school_class: SchoolClass | None = None
) -> None:
    """A list of people left the system: who took it, which list, how many people (never the people themselves)."""
    record(
        actor=actor,
        school=school,
        action="accounts.export.downloaded",
        obj=school_class,
        data={"what": what, "format": fmt, "rows": rows, "class": str(school_class) if school_class else ""},
    )
