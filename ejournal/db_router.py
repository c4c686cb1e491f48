"""Reports read from a replica (docs/scaling.md): a database router and the middleware that tells it when.

A router sees a model and never the request, so the request's part is a context variable: the middleware sets it
for the GET pages of the reports and the change log named in REPLICA_READ_VIEWS, and the router sends those pages'
reads to the `replica` alias. Everything else reads from `default`, and every write goes there. Settings add the alias,
the router and the middleware only when REPLICA_DATABASE_URL is set; without it nothing here runs.

Only pages that read and may lag behind the primary by a few seconds are listed: the big reports over a period or a
year. Not a page that shows what its own request or the previous one wrote (a job's progress, the remarks, the
archive), and never a POST.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"

REPLICA_READ_VIEWS = frozenset(
    {
        "reports:control",
        "reports:fill_rate_class",
        "reports:fill_rate_course",
        "reports:fill_rate_lessons",
        "reports:fill_rate_pupils",
        "reports:class_reports",
        "reports:class_performance",
        "reports:class_attendance",
        "reports:risk",
        "reports:pupil_sheet",
        "reports:class_sheets",
        "reports:year_reports",
        "reports:final_marks",
        "reports:medal_sheet",
        "reports:course_printout",
        "reports:class_printout",
        "audit:changes",
        "audit:log",
    }
)

_replica_reads: ContextVar[bool] = ContextVar("ejournal_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when there is one (a report page; a report task may use it too)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads to the replica inside `replica_reads()`; writes never there. None leaves Django's own choice: the
    alias the related instance came from, else `default`."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        instance = hints.get("instance")
        if _replica_reads.get() or (instance is not None and instance._state.db == REPLICA):
            # An object read on a report page is saved on the primary, where it came from.
            return "default"
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point at an object read from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema through replication; migrations run on the primary only.
        return db == "default"


class ReplicaReadsMiddleware:
    """Turns on `replica_reads()` for a GET or HEAD of a view named in REPLICA_READ_VIEWS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or match is None or match.view_name not in REPLICA_READ_VIEWS:
            return None
        # The session and the user come from the primary before the switch: a session saved a moment ago at
        # login may not have reached the replica yet.
        request.user.is_authenticated  # noqa: B018 - evaluates the lazy user now
        request._replica_token = _replica_reads.set(True)
        return None
