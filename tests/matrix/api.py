"""Permission-matrix rows of the diary API (issue 12 item 5). The endpoints answer as the diary's pages do (R-A06,
R-A07, R-A03: tests/matrix/diary.py), asked here with the site's session, which the API accepts; a visitor gets 401
(an API does not redirect to a login page). Keys are held by pupils and parents only; a key is revoked by its owner
only (another's answers 404). The documentation and the schema are public."""

from api import services
from tests.matrix import MEMBERS, REDIRECT, STAFF_READERS, Case, only

from .diary import _other_groups_file, _own_file, filled_week

OWN = only(*STAFF_READERS, "class_teacher", "pupil", "guardian", anonymous=401) | {"foreign_teacher": 404}
OTHER_FAMILY = only(*STAFF_READERS, anonymous=401) | {"pupil": 404, "guardian": 404, "foreign_teacher": 404}
FOREIGN = only(default=404, anonymous=401) | {"foreign_teacher": 200}
EVERYONE = {r: 200 for r in MEMBERS} | {"anonymous": 200}


def _own(w):
    filled_week(w)
    return {"pupil_id": w.pupil.pk}


def _pupil_rows(period: bool = False, dates: tuple[str, ...] = ()) -> list[Case]:
    rows = [
        Case("own pupil", OWN, kwargs=_own),
        Case("another family's pupil", OTHER_FAMILY, kwargs=lambda w: {"pupil_id": w.other_pupil.pk}),
        Case("a pupil of another school", FOREIGN, kwargs=lambda w: {"pupil_id": w.foreign_pupil.pk}),
    ]
    if period:
        rows.append(Case("the year", OWN, kwargs=_own, data=lambda w: {"period": "year"}))
        bad = only(*STAFF_READERS, "class_teacher", "pupil", "guardian", ok=400, anonymous=401)
        rows.append(
            Case("a period that is none", bad | {"foreign_teacher": 404}, kwargs=_own, data=lambda w: {"period": "x"})
        )
    for name in dates:
        # The pupil is looked for first: who may not read the diary learns nothing of the parameter.
        bad = only(*STAFF_READERS, "class_teacher", "pupil", "guardian", ok=400, anonymous=401)
        bad |= {"foreign_teacher": 404}
        rows.append(Case(f"{name} that is no date", bad, kwargs=_own, data=lambda w, n=name: {n: "2026-02-30"}))
    return rows


def _foreign_file(w):
    """The pupil of another school asked for with this school's file: their school has no such file."""
    return {"pupil_id": w.foreign_pupil.pk, "file_id": filled_week(w).file.pk}


def _pupils_token(w):
    if not hasattr(w, "_api_token"):
        w._api_token = services.token_create(actor=w.pupil, school=w.school, name="Телефон").token
    return {"token_id": w._api_token.pk}


def _foreign_token(w):
    if not hasattr(w, "_api_foreign_token"):
        w._api_foreign_token = services.token_create(actor=w.foreign_pupil, school=w.other_school, name="Телефон").token
    return {"token_id": w._api_foreign_token.pk}


ROWS: dict[str, list[Case]] = {
    "api:docs": [Case("the documentation", EVERYONE)],
    "api:schema": [Case("the OpenAPI schema", EVERYONE)],
    "api:token_create": [
        Case(
            "make a key",
            only("pupil", "guardian", ok=REDIRECT),
            method="post",
            data=lambda w: {"name": "Приложение на телефоне"},
        )
    ],
    "api:token_revoke": [
        Case("the pupil's key", only("pupil", ok=REDIRECT, default=404), kwargs=_pupils_token, method="post"),
        Case("a key of another school", only(default=404), kwargs=_foreign_token, method="post"),
    ],
    "api:pupils": [Case("the family's pupils", only(*MEMBERS, anonymous=401))],
    "api:week": _pupil_rows(dates=("date",)),
    "api:marks": _pupil_rows(period=True),
    "api:homework": _pupil_rows(dates=("from", "to")),
    "api:attendance": _pupil_rows(period=True),
    "api:period_marks": _pupil_rows(),
    "api:file": [
        Case("a file of the pupil's lesson", OWN, kwargs=_own_file),
        Case(
            "the file under another family's pupil",
            OTHER_FAMILY | {r: 404 for r in STAFF_READERS},
            kwargs=lambda w: {"pupil_id": w.other_pupil.pk, "file_id": filled_week(w).file.pk},
        ),
        Case(
            "a file of the other subgroup's lesson",
            only(default=404, anonymous=401) | {"teacher": 403},
            kwargs=_other_groups_file,
        ),
        Case("a file of another school", FOREIGN | {"foreign_teacher": 404}, kwargs=_foreign_file),
    ],
}
