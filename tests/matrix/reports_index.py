"""Permission-matrix rows of the reports' index: the readers and every teacher (their own classes and courses);
pupils and parents have their own sheet in the diary, not this page."""

from . import Case, only

ROWS: dict[str, list[Case]] = {
    "reports:index": [
        Case("the index", only("admin", "director", "deputy", "class_teacher", "teacher", "foreign_teacher")),
    ],
}
