"""Issue 4's "Done means", through the pages as the admin would do it: the year's quarters, subjects, the load of 5А,
a week's timetable (a clash refused), the second quarter's lessons, one lesson moved, one cancelled, one given to a
substitute; then the substitute, and besides them only the course's teacher, can open that lesson in the journal
(R-C01, R-C04, R-C05, R-C06, R-A04)."""

import datetime

from django.urls import reverse

from accounts.models import Role
from schedule.models import Course, Lesson, StudyPeriod, Subject, Substitution
from tests.factories import UserFactory

MON, TUE, WED, THU, FRI = 1, 2, 3, 4, 5


def ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_a_week_is_built_lessons_generated_moved_cancelled_and_substituted_through_the_pages(client, world):
    substitute = UserFactory(school=world.school, username="substitute", roles=[Role.TEACHER])
    year = world.school_class.year
    five_a = world.school_class
    client.force_login(world.admin)

    # The year's usual quarters and holidays, and the subjects.
    ok(client.post(reverse("schedule:year_fill_usual", args=[year.pk])))
    for name in ("Математика", "Русский язык", "История"):
        ok(client.post(reverse("schedule:subject_add"), {"name": name}))
    subject = {s.name: s for s in Subject.objects.filter(school=world.school)}

    # The load of 5А: maths by «teacher», Russian by «other_teacher», history by 5А's class teacher.
    for name, teacher, hours in (
        ("Математика", world.teacher, "4"),
        ("Русский язык", world.other_teacher, "3"),
        ("История", world.class_teacher, "1,5"),
    ):
        ok(client.post(reverse("schedule:course_add") + f"?year={year.pk}", {
            "subject": subject[name].pk, "school_class": five_a.pk, "teachers": [teacher.pk],
            "hours_per_week": hours, "kind": Course.Kind.LESSON, "attested": "",
        }))  # fmt: skip
    maths, russian, history = (Course.objects.get(subject__name=n) for n in ("Математика", "Русский язык", "История"))
    assert history.hours_per_week == 1.5

    # A week's timetable of 5А, entered cell by cell in the editor.
    week = [(maths, MON, 1), (maths, TUE, 2), (maths, THU, 1), (maths, FRI, 3), (russian, MON, 2),
            (russian, WED, 1), (russian, FRI, 1), (history, TUE, 1), (history, THU, 2)]  # fmt: skip
    add_url = reverse("schedule:timetable_entry_add", args=[five_a.pk])
    for course, weekday, number in week:
        ok(client.post(add_url, {
            "course": course.pk, "weekday": weekday, "number": number, "room": "21", "valid_from": "2026-09-01",
        }))  # fmt: skip
    # A clash: 5А already has maths on Monday's first lesson.
    clash = client.post(
        add_url, {"course": russian.pk, "weekday": MON, "number": 1, "room": "", "valid_from": "2026-09-01"}
    )
    assert clash.status_code == 422
    assert "У учеников 5А в это время уже есть урок" in clash.content.decode()
    editor = ok(client.get(reverse("schedule:timetable_class", args=[five_a.pk]) + "?date=2026-11-16"), 200)
    assert "Математика" in editor.content.decode()

    # The second quarter's lessons, twice: the second run creates nothing.
    quarter = StudyPeriod.objects.get(year=year, kind="quarter", number=2)
    ok(client.post(reverse("schedule:lessons_generate"), {"period": quarter.pk}))
    count = Lesson.objects.filter(course__school_class=five_a).count()
    # Nine lessons a week for seven weeks from 9 November, and Monday 28 December's two.
    assert count == 9 * 7 + 2
    ok(client.post(reverse("schedule:lessons_generate"), {"period": quarter.pk}))
    assert Lesson.objects.filter(course__school_class=five_a).count() == count

    # One lesson moved (Friday's maths to Wednesday's 4th lesson), one cancelled, one given to a substitute.
    moved = Lesson.objects.get(course=maths, date=datetime.date(2026, 11, 20))
    ok(client.post(reverse("schedule:lesson_move", args=[moved.pk]), {"date": "2026-11-18", "number": 4, "room": "21"}))
    moved.refresh_from_db()
    assert (moved.date, moved.number) == (datetime.date(2026, 11, 18), 4)
    cancelled = Lesson.objects.get(course=russian, date=datetime.date(2026, 11, 18))
    ok(client.post(reverse("schedule:lesson_cancel", args=[cancelled.pk]), {"reason": "Олимпиада"}))
    cancelled.refresh_from_db()
    assert cancelled.status == Lesson.Status.CANCELLED
    lesson = Lesson.objects.get(course=maths, date=datetime.date(2026, 11, 19))
    ok(client.post(reverse("schedule:substitution_set", args=[lesson.pk]), {
        "substitute": substitute.pk, "reason": "Болезнь учителя",
    }))  # fmt: skip
    assert Substitution.objects.get(lesson=lesson).substitute == substitute
    log = ok(client.get(reverse("schedule:substitution_log")), 200).content.decode()
    assert substitute.last_name in log

    # Who can open that lesson in the journal, and who can fill it.
    detail = reverse("schedule:lesson_detail", args=[lesson.pk])
    topic = reverse("schedule:lesson_topic", args=[lesson.pk])
    fill = {"topic": "Деление дробей", "form": Lesson.Form.IN_CLASS}
    client.force_login(substitute)
    ok(client.get(detail), 200)
    ok(client.post(topic, fill))
    lesson.refresh_from_db()
    assert lesson.topic == "Деление дробей"
    assert lesson.history.first().history_user == substitute
    day = ok(client.get(reverse("gradebook:my_day") + "?date=2026-11-19"), 200).content.decode()
    assert "Математика" in day

    client.force_login(world.teacher)  # the course's own teacher: reads it, fills it no more
    ok(client.get(detail), 200)
    ok(client.post(topic, fill), 403)
    for other in (world.other_teacher, world.pupil, world.guardian):
        client.force_login(other)
        ok(client.get(detail), 403)
        ok(client.post(topic, fill), 403)
    client.force_login(world.foreign_teacher)
    ok(client.get(detail), 404)

    # The substitution removed: the course's teacher fills the lesson again, the substitute no longer can.
    client.force_login(world.admin)
    ok(client.post(reverse("schedule:substitution_remove", args=[lesson.pk])))
    client.force_login(substitute)
    ok(client.get(detail), 403)
    client.force_login(world.teacher)
    ok(client.post(topic, {"topic": "Деление дробей, закрепление", "form": Lesson.Form.IN_CLASS}))
    # The cancelled lesson is filled by nobody and is out of the journal.
    ok(client.post(reverse("schedule:lesson_topic", args=[cancelled.pk]), fill), 403)
    assert not Lesson.objects.in_journal().filter(pk=cancelled.pk).exists()
