"""Permission-matrix rows of the portal's status page (issue 10 item 6: the bench's `baseline`)."""

from . import MEMBERS, Case, only

ROWS: dict[str, list[Case]] = {
    "status": [Case("portal status", only(*MEMBERS, anonymous=200))],
}
