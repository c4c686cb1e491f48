"""Homework of a lesson (R-G01, R-G02): content, pages, exercises, the lesson it is due, files; late after the
school's hours; refused after the window; history with its author; a lesson with homework survives a timetable
change."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import SchoolSettings
from schedule.models import Bell, Homework, Lesson
from schedule.services import ScheduleError, timetable
from schedule.services import homework as services
from schedule.services import years as year_services
from tests.matrix.lessons import DAY, course, lesson, lesson_on

UTC = datetime.UTC


def test_homework_is_saved_with_its_next_lesson_and_history_R_G01(world):
    the_lesson = lesson(world)
    later = lesson_on(world, DAY + datetime.timedelta(days=7))
    homework = services.homework_set(
        actor=world.teacher, lesson=the_lesson, text="Решить задачи", pages="с. 45–47", exercises="№ 312, 315"
    )
    assert homework.due_lesson == later
    assert not homework.entered_late
    services.homework_set(actor=world.teacher, lesson=the_lesson, text="Решить задачи 1–3", exercises="№ 312")
    assert [h.text for h in homework.history.order_by("history_date")] == ["Решить задачи", "Решить задачи 1–3"]
    assert {h.history_user for h in homework.history.all()} == {world.teacher}
    with pytest.raises(ScheduleError):
        services.homework_set(actor=world.teacher, lesson=the_lesson, text=" ")
    with pytest.raises(ScheduleError):
        services.homework_set(actor=world.teacher, lesson=later, text="x", due_lesson=the_lesson)


def test_homework_after_the_schools_hours_is_late_R_G02(world, clock):
    """R-G02 (seed 004): due within 4 hours after the class's last lesson of the day; later it is counted late."""
    bells = year_services.bell_schedule_create(actor=None, school=world.school, name="1 смена")
    year_services.bells_set(
        actor=None,
        schedule=bells,
        bells=[year_services.BellTimes(1, datetime.time(8, 0), datetime.time(8, 45))],
    )
    world.school_class.bell_schedule = bells
    world.school_class.save()
    the_lesson = lesson(world)
    deadline = services.homework_deadline(
        Lesson.objects.select_related("school", "course__school_class").get(pk=the_lesson.pk)
    )
    assert deadline.hour == 12 and deadline.minute == 45  # 08:45 + 4 hours, Moscow time
    clock.move_to(datetime.datetime(2026, 11, 17, 9, 40, tzinfo=UTC))  # 12:40 in Moscow
    assert not services.homework_set(actor=world.teacher, lesson=the_lesson, text="№ 1").entered_late
    clock.move_to(datetime.datetime(2026, 11, 17, 10, 0, tzinfo=UTC))  # 13:00 in Moscow
    other = lesson_on(world, DAY + datetime.timedelta(days=-7))
    assert services.homework_set(actor=world.teacher, lesson=other, text="№ 2").entered_late


def test_homework_after_the_edit_window_is_refused(world, clock):
    the_lesson = lesson(world)
    clock.move_to(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    with pytest.raises(ScheduleError, match="01.12.2026"):
        services.homework_set(actor=world.teacher, lesson=the_lesson, text="№ 1")


def test_files_are_checked_and_a_lesson_with_homework_survives_a_timetable_change(world):
    the_lesson = lesson(world)
    homework = services.homework_set(actor=world.teacher, lesson=the_lesson, text="№ 1")
    with pytest.raises(ScheduleError):
        services.homework_file_add(actor=world.teacher, homework=homework, upload=SimpleUploadedFile("x.exe", b"MZ"))
    f = services.homework_file_add(
        actor=world.teacher, homework=homework, upload=SimpleUploadedFile("Задание.pdf", b"%PDF-1.4")
    )
    assert f.name == "Задание.pdf" and f.file.name.endswith(".pdf") and "Задание" not in f.file.name
    entry = course(world).entries.get()
    timetable.timetable_entry_end(actor=world.admin, entry=entry, from_date=DAY)
    assert Lesson.objects.filter(pk=the_lesson.pk).exists()
    services.homework_clear(actor=world.teacher, lesson=the_lesson)
    assert not Homework.objects.filter(lesson=the_lesson).exists()


def test_the_lesson_page_sets_homework_and_serves_its_files(client, world):
    the_lesson = lesson(world)
    client.force_login(world.teacher)
    page = client.get(reverse("schedule:lesson_detail", args=[the_lesson.pk])).content.decode()
    assert reverse("schedule:homework_set", args=[the_lesson.pk]) in page
    response = client.post(reverse("schedule:homework_set", args=[the_lesson.pk]), {"text": "", "pages": ""})
    assert response.status_code == 422
    response = client.post(reverse("schedule:homework_set", args=[the_lesson.pk]), {"text": "Выучить правило"})
    assert response.status_code == 302
    upload = SimpleUploadedFile("Карточка.pdf", b"%PDF-1.4 card")
    response = client.post(reverse("schedule:homework_file_add", args=[the_lesson.pk]), {"file": upload})
    assert response.status_code == 302
    file = Homework.objects.get(lesson=the_lesson).files.get()
    download = client.get(reverse("schedule:homework_file", args=[file.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 card"
    client.force_login(world.other_teacher)
    assert client.get(reverse("schedule:homework_file", args=[file.pk])).status_code == 403
    assert client.post(reverse("schedule:homework_set", args=[the_lesson.pk]), {"text": "x"}).status_code == 403
    SchoolSettings.objects.filter(school=world.school).update(homework_entry_hours=0)
    assert Bell.objects.count() == 0  # no bells: due by the end of the day


def test_the_time_to_do_stays_unless_the_caller_changes_it_R_J12(world):
    """R-J12: the estimate feeds the workload report; a caller that changes only the text keeps it, the form clears
    it with an empty field (None)."""
    the_lesson = lesson(world)
    assert services.homework_set(actor=world.teacher, lesson=the_lesson, text="№ 1", minutes=25).minutes == 25
    assert services.homework_set(actor=world.teacher, lesson=the_lesson, text="№ 1, 2").minutes == 25
    assert services.homework_set(actor=world.teacher, lesson=the_lesson, text="№ 1, 2", minutes=None).minutes is None
    with pytest.raises(ScheduleError, match="240"):
        services.homework_set(actor=world.teacher, lesson=the_lesson, text="№ 1, 2", minutes=300)
