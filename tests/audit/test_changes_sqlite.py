"""The change log on SQLite (the `make run` demo) lists PostgreSQL's rows (issue 10 item 1; R-F01, R-F05).

Its SQL is one UNION ALL for both databases; timestamps, the keyset's comparisons and the local day of "after the
window" are where they could differ. A school's changes are made through the real services on PostgreSQL, every row
is copied into an in-memory SQLite database (tests/reports/test_fill_rate_sqlite.py), and each filter's pages are
compared row by row."""

import datetime

from attendance.services import absence_set
from audit.changes import Filters, changes_page
from gradebook.marks import mark_clear, mark_set
from schedule.services.homework import homework_set
from schedule.services.lessons import lesson_topic_set
from tests.audit.test_changes import YEAR_START, at, the_three_changes
from tests.matrix.journal import DAY, lesson_of, work_on
from tests.reports.test_fill_rate import classmates
from tests.reports.test_fill_rate_sqlite import copy_into, lite  # noqa: F401 - the fixture


def _rows(f: Filters, conn=None, limit=3) -> list[tuple]:
    seen, after = [], None
    while True:
        page = changes_page(f, after=after, limit=limit, conn=conn)
        seen.extend(
            (r.kind, r.at, r.user.pk if r.user else None, r.pupil.pk if r.pupil else None, r.lesson_date, r.subject,
             r.group, r.what, r.old, r.new, r.late_change.pk if r.late_change else None, r.after_window)
            for r in page.rows
        )  # fmt: skip
        if page.next is None:
            return seen
        after = page.next


def test_the_demo_s_sqlite_lists_postgresql_s_changes_R_F01(world, clock, lite):  # noqa: F811
    the_three_changes(world, clock)
    at(clock, DAY, 21, 30)  # 00:30 on 18 November in Moscow
    lesson = lesson_of(world)
    lesson_topic_set(actor=world.teacher, lesson=lesson, topic="Дроби")
    homework_set(actor=world.teacher, lesson=lesson, text="№ 1")
    absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    at(clock, DAY, 21, 40)
    lesson_topic_set(actor=world.teacher, lesson=lesson, topic="Дроби и проценты")
    homework_set(actor=world.teacher, lesson=lesson, text="№ 2", exercises="№ 5")
    absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="late", minutes=5)
    work = work_on(world)
    bob, _vic = classmates(world)
    for minute, value in enumerate("3453"):
        at(clock, DAY, 21, 41 + minute)
        mark_set(actor=world.teacher, work=work, pupil_id=bob.pk, value=value)
    mark_clear(actor=world.teacher, work=work, pupil_id=bob.pk)
    copy_into(lite)
    school, end = world.school, DAY + datetime.timedelta(days=1)
    cases = [
        Filters(school=school, start=YEAR_START, end=end),
        Filters(school=school, start=YEAR_START, end=DAY),  # a change after midnight in Moscow is on the 18th
        Filters(school=school, start=end, end=end),
        Filters(school=school, start=YEAR_START, end=end, late_only=True),
        Filters(school=school, start=YEAR_START, end=end, class_id=world.school_class.pk),
        Filters(school=school, start=YEAR_START, end=end, pupil_id=world.pupil.pk),
        Filters(school=school, start=YEAR_START, end=end, teacher_id=world.teacher.pk),
    ]
    counts = []
    for f in cases:
        expected = _rows(f)
        assert _rows(f, conn=lite) == expected, f
        counts.append(len(expected))
    assert counts[0] > counts[1] > 0 and counts[2] == counts[0] - counts[1] and counts[3] == 1
