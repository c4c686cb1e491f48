"""Receivers of the gradebook's signals (DESIGN §3). They only queue work on commit; the rules live in the services
that the tasks call (diary/notices.py)."""

from functools import partial

from django.db import transaction


def mark_changed(sender, history_id: int, **kwargs) -> None:
    """A new row of a mark's history: its families' notices are made by a task once the change is committed (a
    rolled-back change notifies nobody)."""
    from .tasks import mark_notices_create

    # robust: a failing queue (or, in the demo's eager mode, a failing task) never turns a saved mark into an error.
    transaction.on_commit(partial(mark_notices_create.delay, history_id), robust=True)
