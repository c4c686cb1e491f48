"""Signals the gradebook sends to the apps to its right (DESIGN §3: a lower app never imports a higher one).

`mark_changed`: sent, inside the writer's transaction, for every new row of a mark's history (set, changed, removed,
by any service: the grid, a late change, a retake protocol) with `school_id`, `pupil_id` and `history_id`; the
diary's receiver queues the families' notices on commit.

`journal_panels`: sent with `request` and `course` while the course's journal page is built; `my_day_panels`: sent
with `request` and `day` while a teacher's "my day" is built. Each receiver returns None or a `Panel` (a template of
its own app and its context) that the page shows above its content: the remarks of journal control (reports) live
there. A receiver reads; it never decides who may write anything (the permission layer does).
"""

from dataclasses import dataclass

from django.dispatch import Signal

mark_changed = Signal()
journal_panels = Signal()
my_day_panels = Signal()


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


def panels(signal: Signal, **kwargs) -> list[Panel]:
    """The panels the receivers return, in the order they were connected."""
    return [answer for _receiver, answer in signal.send(sender=None, **kwargs) if isinstance(answer, Panel)]
