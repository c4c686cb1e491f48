"""Signals the schedule app sends to the apps to its right (DESIGN §3: a lower app never imports a higher one).

`lessons_in_use`: sent with `lesson_ids` before lessons are removed (a timetable change, a course's lessons
regenerated); each receiver returns the set of those ids that hold its records (marks, absences), and the schedule
keeps those lessons.

`lessons_created`: sent with `lessons` (saved, with their ids) after new lessons are made (generated from the
timetable, or added), inside the creating transaction: the apps fill what was recorded for those days in advance
(an absence notice of several days, R-H03).
"""

from django.dispatch import Signal

lessons_in_use = Signal()
lessons_created = Signal()
