"""Receivers of the gradebook's and attendance's signals (DESIGN §3). They only queue work on commit; the rules live
in the services that the tasks call (diary/notices.py, diary/sms_notices.py)."""

from functools import partial

from django.db import transaction


def mark_changed(sender, history_id: int, **kwargs) -> None:
    """A new row of a mark's history: its families' notices are made by a task once the change is committed (a
    rolled-back change notifies nobody)."""
    from .tasks import mark_notices_create, mark_sms_create

    # robust: a failing queue (or, in the demo's eager mode, a failing task) never turns a saved mark into an error.
    # Two tasks, so that a failing email neither stops nor repeats the SMS.
    transaction.on_commit(partial(mark_notices_create.delay, history_id), robust=True)
    transaction.on_commit(partial(mark_sms_create.delay, history_id), robust=True)


def absence_changed(sender, history_ids: list[int], **kwargs) -> None:
    """Rows of absences' history written by one action: the families' SMS are made by a task once it commits."""
    from .tasks import absence_sms_create

    transaction.on_commit(partial(absence_sms_create.delay, list(history_ids)), robust=True)
