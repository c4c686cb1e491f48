"""Signals the schedule app sends to the apps to its right (DESIGN §3: a lower app never imports a higher one).

`lessons_in_use`: sent with `lesson_ids` before lessons are removed (a timetable change, a course's lessons
regenerated); each receiver returns the set of those ids that hold its records (marks, absences), and the schedule
keeps those lessons.
"""

from django.dispatch import Signal

lessons_in_use = Signal()
