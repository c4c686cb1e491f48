"""Import of staff, pupils and parents from the files schools really have (R-B08, R-B09).

- `reading`: bytes → rows (CSV in UTF-8/UTF-16/Windows-1251 with «;», «,» or tabs; XLSX), with `FileProblem`.
- `columns`: the files' headers (the template) and their tolerant matching.
- `values`: one cell → a name, a date, a class, roles, a relation, contacts, a consent.
- `checking`: `check()` → a `Report`: every row's problems by row and column, and what applying would write.
- `applying`: `import_upload()` keeps a file with its check; `import_apply()` writes it all or nothing.
"""

from .applying import import_apply, import_upload
from .checking import Problem, Report, RowReport, check
from .columns import headers
from .reading import MAX_BYTES, FileProblem, read_table

__all__ = [
    "MAX_BYTES",
    "FileProblem",
    "Problem",
    "Report",
    "RowReport",
    "check",
    "headers",
    "import_apply",
    "import_upload",
    "read_table",
]
