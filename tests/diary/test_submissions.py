"""Electronic tasks and teaching materials in the diary (R-G03, R-G04; R-A06, R-A07): the pupil hands the work in
from the diary (text and files) until the due time; a parent reads it, the teacher's comment and the mark, and never
hands in; nobody reaches another pupil's task, work or files; handing in never writes to the journal; the week shows
materials from the lesson's date and the task's state without a query per lesson."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from diary.selectors import pupils_with_class
from diary.selectors_week import diary_week
from gradebook.models import LessonWork, Mark
from gradebook.submissions import submission_mark_set
from schedule.models import Homework, HomeworkSubmission, Lesson, LessonMaterial
from schedule.services import classes as class_services
from schedule.services import homework as homework_services
from schedule.services import materials as material_services
from schedule.services import submissions as submission_services
from schedule.services import timetable
from tests.factories import UserFactory, make_course
from tests.matrix.diary import MONDAY, filled_week, maths_on
from tests.matrix.journal import DAY, FIRST, LAST, journal_course, lesson_of, work_on

UTC = datetime.UTC
DUE = datetime.datetime(2026, 11, 19, 18, 0, tzinfo=UTC)  # Thursday, 21:00 in Moscow
PDF = b"%PDF-1.4 my answer"


def _task(w, lesson=None, teacher=None) -> Homework:
    journal_course(w)
    return homework_services.homework_set(
        actor=teacher or w.teacher,
        lesson=lesson or lesson_of(w),
        text="Решить задачи 1–5",
        submission_required=True,
        submission_due=DUE,
    )


def _other_class_task(w) -> Homework:
    """5Б's maths task, set by «other_teacher», with «other_pupil»'s work and a file."""
    course = make_course(w.other_class, w.other_teacher, "Математика", 5)
    timetable.timetable_entry_add(actor=None, course=course, weekday=2, number=1, valid_from=w.school_class.year.start)
    timetable.lessons_generate(actor=None, year=course.year, start=FIRST, end=LAST)
    task = _task(w, Lesson.objects.get(course=course, date=DAY), w.other_teacher)
    submission_services.submission_save(
        actor=w.other_pupil, homework=task, text="Ответ 5Б", uploads=[SimpleUploadedFile("5б.pdf", PDF)]
    )
    return task


def _task_url(w, task, pupil=None) -> str:
    return reverse("diary:task", args=[(pupil or w.pupil).pk, task.pk])


def _submit(client, w, task, pupil=None, **data):
    return client.post(reverse("diary:task_submit", args=[(pupil or w.pupil).pk, task.pk]), data)


def test_the_pupil_hands_in_a_text_and_files_from_the_diary_R_G04(client, world):
    task = _task(world)
    client.force_login(world.pupil)
    week = client.get(reverse("diary:pupil", args=[world.pupil.pk])).content.decode()
    assert "Сдать через дневник" in week and _task_url(world, task) in week
    page = client.get(_task_url(world, task)).content.decode()
    assert "Сдать работу" in page and "не сдано" in page
    files = [SimpleUploadedFile("решение.pdf", PDF), SimpleUploadedFile("фото.png", b"\x89PNG\r\n\x1a\n0000")]
    response = _submit(client, world, task, text="Задача 1: 42", files=files)
    assert response.status_code == 302
    work = HomeworkSubmission.objects.get()
    assert (work.pupil, work.text, work.late) == (world.pupil, "Задача 1: 42", False)
    assert sorted(f.name for f in work.files.all()) == ["решение.pdf", "фото.png"]
    page = client.get(_task_url(world, task)).content.decode()
    assert "Задача 1: 42" in page and "Изменить работу" in page
    download = client.get(reverse("diary:task_file", args=[world.pupil.pk, work.files.first().pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_file_that_is_not_what_its_name_says_is_refused(client, world):
    task = _task(world)
    client.force_login(world.pupil)
    response = _submit(client, world, task, text="x", files=[SimpleUploadedFile("решение.pdf", b"MZ program")])
    assert response.status_code == 422
    assert not HomeworkSubmission.objects.exists()


def test_a_parent_reads_the_work_but_never_hands_in_R_G04(client, world):
    task = _task(world)
    submission_services.submission_save(actor=world.pupil, homework=task, text="Мой ответ")
    client.force_login(world.guardian)
    page = client.get(_task_url(world, task)).content.decode()
    assert "Мой ответ" in page and "Сдать работу" not in page and "Изменить работу" not in page
    assert _submit(client, world, task, text="Ответ за ребёнка").status_code == 403
    assert HomeworkSubmission.objects.get().text == "Мой ответ"
    for staff in (world.class_teacher, world.director):
        client.force_login(staff)
        assert client.get(_task_url(world, task)).status_code == 200
        assert _submit(client, world, task, text="Ответ за ученика").status_code == 403


def test_after_the_due_time_the_work_is_refused_in_russian_R_G04(client, world, clock):
    task = _task(world)
    clock.move_to(DUE + datetime.timedelta(minutes=1))
    client.force_login(world.pupil)
    page = client.get(_task_url(world, task)).content.decode()
    assert "работа больше не принимается" in page and "Сдать работу" not in page
    response = _submit(client, world, task, text="Поздно")
    assert response.status_code == 422
    assert "Работу нужно было сдать до 19.11.2026 21:00" in response.content.decode()
    assert not HomeworkSubmission.objects.exists()


def test_nobody_reaches_another_pupils_task_work_or_files_R_A07(client, world):
    own = _task(world)
    other = _other_class_task(world)
    classmate = UserFactory(school=world.school, username="classmate", roles=[Role.PUPIL])
    class_services.pupils_enroll(
        actor=None, school_class=world.school_class, pupils=[classmate], since=datetime.date(2026, 9, 1)
    )
    classmates_work = submission_services.submission_save(
        actor=classmate, homework=own, text="Ответ соседа", uploads=[SimpleUploadedFile("сосед.pdf", PDF)]
    )
    other_file = HomeworkSubmission.objects.get(pupil=world.other_pupil).files.get()
    classmates_file = classmates_work.files.get()
    for user in (world.pupil, world.guardian):
        client.force_login(user)
        p = world.pupil.pk
        assert client.get(reverse("diary:task", args=[p, other.pk])).status_code == 404
        assert client.get(reverse("diary:task", args=[world.other_pupil.pk, other.pk])).status_code == 404
        for file in (other_file, classmates_file):
            assert client.get(reverse("diary:task_file", args=[p, file.pk])).status_code == 404
            assert client.post(reverse("diary:task_file_remove", args=[p, file.pk])).status_code == 404
        assert client.post(reverse("diary:task_submit", args=[p, other.pk]), {"text": "x"}).status_code == 404
        page = client.get(reverse("diary:task", args=[p, own.pk])).content.decode()
        assert "Ответ соседа" not in page
    client.force_login(world.other_guardian)
    assert client.get(reverse("diary:task", args=[world.pupil.pk, own.pk])).status_code == 404
    assert client.get(reverse("diary:task_file", args=[world.pupil.pk, classmates_file.pk])).status_code == 404
    assert HomeworkSubmission.objects.count() == 2
    assert classmates_work.files.count() == 1


def test_handing_in_from_the_diary_writes_no_mark_R_A06(client, world):
    task = _task(world)
    work_on(world)
    before = (Mark.objects.count(), Mark.history.count(), LessonWork.objects.count())
    client.force_login(world.pupil)
    assert _submit(client, world, task, text="Ответ").status_code == 302
    assert _submit(client, world, task, text="Ответ 2", files=[SimpleUploadedFile("a.pdf", PDF)]).status_code == 302
    assert (Mark.objects.count(), Mark.history.count(), LessonWork.objects.count()) == before


def test_families_see_the_teachers_comment_and_mark_R_G04(client, world):
    task = _task(world)
    work = submission_services.submission_save(actor=world.pupil, homework=task, text="Ответ")
    submission_services.submission_comment(actor=world.teacher, submission=work, comment="Хорошо, но проверь №3")
    submission_mark_set(actor=world.teacher, submission=work, value="4", work=work_on(world))
    for user in (world.guardian, world.pupil):
        client.force_login(user)
        week = client.get(reverse("diary:pupil", args=[world.pupil.pk])).content.decode()
        assert "Хорошо, но проверь №3" in week and "проверено" in week and "<strong>4</strong>" in week
        page = client.get(_task_url(world, task)).content.decode()
        assert "Хорошо, но проверь №3" in page and '<strong class="sm-mark">4</strong>' in page


def test_a_materials_text_shows_in_the_week_from_its_day_R_G03(world):
    filled_week(world)
    material_services.material_add(
        actor=world.teacher, lesson=maths_on(world, MONDAY), kind="text", title="Разминка", text="1) 2 + 2"
    )
    thursday = maths_on(world, DAY + datetime.timedelta(days=2))
    material_services.material_add(actor=world.teacher, lesson=thursday, kind="text", title="Тест", text="?")
    (pupil,) = pupils_with_class(school=world.school, ids=[world.pupil.pk], day=MONDAY)
    week = diary_week(pupil=pupil, school=world.school, week_start=MONDAY, today=DAY)
    shown = [(m.title, lesson.date) for d in week.days for lesson in d.lessons for m in lesson.materials]
    assert shown == [("Разминка", MONDAY)]


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_the_week_with_tasks_and_materials_still_takes_at_most_ten_queries(
    client, world, role, django_assert_max_num_queries
):
    filled_week(world)
    for day in (MONDAY, DAY):
        the_lesson = maths_on(world, day)
        for n in range(3):
            material_services.material_add(
                actor=world.teacher, lesson=the_lesson, kind=LessonMaterial.Kind.LINK, url=f"https://resh.edu.ru/{n}"
            )
    task = _task(world, maths_on(world, DAY + datetime.timedelta(days=2)))  # Wednesday's lesson is cancelled
    submission_services.submission_save(actor=world.pupil, homework=task, text="Ответ")
    client.force_login(getattr(world, role))
    url = reverse("diary:pupil", args=[world.pupil.pk])
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert page.count('href="https://resh.edu.ru/') == 6 and "Сдать через дневник" in page
