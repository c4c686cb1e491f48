"""Permission-matrix rows of the mark-change report (issue 10 item 1; seed 000 §12): the admin, the director and the
deputy read it and start its exports (a background job: the answer is a redirect to the job's page); teachers,
class teachers, pupils and parents get 403, whatever the filter, and another school's teacher too (the page is the
school's whole log, not an object of this school)."""

from . import REDIRECT, STAFF_READERS, Case, only

RANGE = {"start": "2026-09-01", "end": "2026-11-17"}

ROWS: dict[str, list[Case]] = {
    "audit:changes": [
        Case("the school's changes", only(*STAFF_READERS), data=lambda w: RANGE),
        Case("one pupil's changes", only(*STAFF_READERS), data=lambda w: RANGE | {"pupil": w.pupil.pk}),
        Case("another school's pupil", only(*STAFF_READERS), data=lambda w: RANGE | {"pupil": w.foreign_pupil.pk}),
    ],
    "audit:changes_export": [
        Case("as XLSX", only(*STAFF_READERS, ok=REDIRECT), method="post", data=lambda w: {"format": "xlsx"}),
    ],
}
