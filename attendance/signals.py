"""Signals attendance sends to the apps to its right (DESIGN §3: a lower app never imports a higher one).

`absence_changed`: sent, inside the writer's transaction, after each write of absences (one lesson's mark, a notice
of several days, the absences a notice puts on newly made lessons, a removal) with `school_id` and `history_ids`,
the ids of the absences' history rows that write made (one for one lesson; every row of a bulk write, which
simple_history's own signal does not report). The diary's receiver queues the families' SMS on commit; a receiver
never decides who may write anything (the permission layer does).
"""

from django.dispatch import Signal

absence_changed = Signal()
