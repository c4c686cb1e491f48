"""The lists of requests by state (late-change requests, reports of wrong marks): a tab per state with its count,
and the rows that await someone first, then the newest."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When


def status_list(
    *,
    scope: QuerySet,
    rows: QuerySet,
    choices,
    order: tuple[str, ...],
    requested: str,
    default: str,
    all_label: str,
    waiting: str,
) -> tuple[str, list[tuple[str, str, int]], QuerySet]:
    """(the state shown, the tabs as (state, label, count) in `order` — "all" among them —, the rows of that state).
    `scope` is what the user may see (counted in one query); `rows` the same with what the page shows of each."""
    counts = scope.aggregate(**{s: Count("pk", filter=Q(status=s)) for s in choices.values}, all=Count("pk"))
    status = requested if requested in order else default
    if status != "all":
        rows = rows.filter(status=status)
    rows = rows.annotate(
        waiting=Case(When(status=waiting, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("waiting", "-created_at", "-pk")
    labels = dict(choices.choices)
    return status, [(s, labels.get(s, all_label), counts[s]) for s in order], rows
