"""Mark appeals, the services and the teacher's pages (seed 004 §7.1, R-I11): a pupil or a parent reports a mark
within the school's days of it appearing (the clock moved to the 4th day refuses), one report at a time, never
without a mark, never by the staff or for another family's pupil; the teacher corrects the mark through the journal
and then says so, or answers why it stands; "my day" lists what waits; a column with reports is never removed.

Set-up from tests/matrix/appeals.py: the pupil's «4» of 17 November (the frozen clock's Tuesday) in maths of 5А
taught by `teacher`; reportable until 20 November."""

import datetime

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import SchoolSettings
from audit.models import AuditEntry
from gradebook.appeals import appeal_answer, appeal_deadline, appeal_file, can_appeal
from gradebook.marks import mark_clear, mark_set, work_remove
from gradebook.models import LessonWork, Mark, MarkAppeal
from gradebook.services import GradebookError
from schedule.services import classes as class_services
from tests.factories import UserFactory
from tests.matrix.appeals import (
    REPORT,
    appeal_of,
    appealed_work,
    other_appeal,
    other_work,
    unmarked_work,
)
from tests.matrix.journal import DAY

Status = MarkAppeal.Status


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """`hour` o'clock in Moscow on the day."""
    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=datetime.UTC)
    return midnight + datetime.timedelta(hours=hour - 3)


def _file(w, actor=None, text=REPORT, work=None, pupil=None) -> MarkAppeal:
    return appeal_file(actor=actor or w.guardian, pupil=pupil or w.pupil, work=work or appealed_work(w), text=text)


def _mark(w) -> Mark:
    return Mark.objects.get(work=appealed_work(w), pupil=w.pupil)


# --- Filing (R-I11) ------------------------------------------------------------------------------------------------


def test_a_pupil_reports_a_mark_the_day_it_appears_R_I11(world):
    appeal = _file(world, actor=world.pupil, text="  Мне поставили\n 5,   а не 4  ")
    assert (appeal.status, appeal.value, appeal.author, appeal.text) == (
        Status.OPEN, "4", world.pupil, "Мне поставили 5, а не 4",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="gradebook.appeal.filed")
    assert (entry.actor, entry.object_id, entry.data["value"]) == (world.pupil, str(appeal.pk), "4")


def test_a_parent_reports_on_the_third_day_late_in_the_evening_R_I11(world, clock):
    appealed_work(world)
    clock.move_to(_at(DAY + datetime.timedelta(days=3), hour=23))
    assert _file(world).author == world.guardian


def test_on_the_fourth_day_the_report_is_refused_R_I11(world, clock):
    """R-I11: 3 calendar days after the mark appeared (17 November): the 21st is too late."""
    appealed_work(world)
    clock.move_to(_at(DAY + datetime.timedelta(days=4), hour=0) + datetime.timedelta(minutes=1))
    with pytest.raises(GradebookError, match="20.11.2026"):
        _file(world)
    assert not MarkAppeal.objects.exists()


def test_a_changed_mark_is_reportable_for_its_own_days_R_I11(world, clock):
    appealed_work(world)
    clock.move_to(_at(datetime.date(2026, 11, 19)))
    mark_set(actor=world.teacher, work=appealed_work(world), pupil_id=world.pupil.pk, value="3")
    clock.move_to(_at(datetime.date(2026, 11, 22)))
    assert _file(world).value == "3"


def test_the_deadline_helpers_count_in_the_school_time_zone_R_I11(world):
    mark = Mark(updated_at=datetime.datetime(2026, 11, 17, 22, 30, tzinfo=datetime.UTC))  # 18.11 01:30 in Moscow
    settings = SchoolSettings(appeal_days=3)
    assert appeal_deadline(mark, settings, "Europe/Moscow") == datetime.date(2026, 11, 21)
    assert can_appeal(mark, None, settings, datetime.date(2026, 11, 21), "Europe/Moscow")
    assert not can_appeal(mark, None, settings, datetime.date(2026, 11, 22), "Europe/Moscow")
    assert not can_appeal(mark, MarkAppeal(), settings, datetime.date(2026, 11, 18), "Europe/Moscow")
    assert not can_appeal(None, None, settings, datetime.date(2026, 11, 18), "Europe/Moscow")


def test_the_school_sets_the_days_to_report_R_I11(world, clock):
    settings = SchoolSettings.of(world.school)
    settings.appeal_days = 1
    settings.save()
    appealed_work(world)
    clock.move_to(_at(DAY + datetime.timedelta(days=2)))
    with pytest.raises(GradebookError, match="18.11.2026"):
        _file(world)


def test_no_report_without_a_mark(world):
    with pytest.raises(GradebookError, match="нет отметки"):
        _file(world, work=unmarked_work(world))
    assert not MarkAppeal.objects.exists()


def test_one_report_at_a_time_then_a_new_one_after_the_answer(world):
    first = _file(world)
    with pytest.raises(GradebookError, match="уже ждёт"):
        _file(world, actor=world.pupil)
    appeal_answer(actor=world.teacher, appeal=first, outcome="answered", answer="Ответ был на 4.")
    assert _file(world, actor=world.pupil).status == Status.OPEN
    assert MarkAppeal.objects.count() == 2


def test_two_parents_at_once_leave_one_report(world, monkeypatch):
    """The check before the insert may miss a report made a moment ago: the partial unique constraint keeps one."""
    second_parent = UserFactory(school=world.school, username="father", roles=["guardian"])
    accounts_services.guardian_link(actor=world.admin, school=world.school, guardian=second_parent, pupil=world.pupil)
    _file(world)
    real_filter = MarkAppeal.objects.filter

    def blind_filter(*args, **kwargs):
        # The second parent's check ran before the first parent's report was committed.
        return (
            real_filter(*args, **kwargs).none() if kwargs.get("status") == Status.OPEN else real_filter(*args, **kwargs)
        )

    monkeypatch.setattr(MarkAppeal.objects, "filter", blind_filter)
    with pytest.raises(GradebookError, match="уже ждёт"):
        _file(world, actor=second_parent)
    monkeypatch.undo()
    assert MarkAppeal.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   \n ", "х" * 501])
def test_the_text_is_required_and_short(world, text):
    with pytest.raises(GradebookError):
        _file(world, text=text)
    assert not MarkAppeal.objects.exists()


def test_a_500_character_text_is_accepted(world):
    assert len(_file(world, text="х" * 500).text) == 500


def test_another_familys_pupil_is_refused_R_A07(world):
    """R-A07: a parent (or a pupil) reaches only their own children (themself): the service re-checks the facts."""
    with pytest.raises(GradebookError, match="только сам обучающийся или его родитель"):
        _file(world, actor=world.guardian, pupil=world.other_pupil, work=other_work(world))
    with pytest.raises(GradebookError):
        _file(world, actor=world.other_pupil)
    assert not MarkAppeal.objects.exists()


@pytest.mark.parametrize("role", ["admin", "deputy", "class_teacher", "teacher", "foreign_teacher"])
def test_the_staff_never_report_in_the_familys_name(world, role):
    with pytest.raises(GradebookError):
        _file(world, actor=getattr(world, role))
    assert not MarkAppeal.objects.exists()


@pytest.mark.parametrize("role", ["admin", "class_teacher", "teacher", "other_guardian", "other_pupil"])
def test_only_the_family_holds_the_permission_to_report(world, role):
    assert not getattr(world, role).has_perm("gradebook.file_appeal", world.pupil)
    assert world.pupil.has_perm("gradebook.file_appeal", world.pupil)
    assert world.guardian.has_perm("gradebook.file_appeal", world.pupil)


# --- Answering ----------------------------------------------------------------------------------------------------


def test_corrected_is_refused_while_the_journal_holds_the_reported_mark(world):
    appeal = appeal_of(world)
    with pytest.raises(GradebookError, match="Сначала исправьте отметку в журнале"):
        appeal_answer(actor=world.teacher, appeal=appeal, outcome="corrected", answer="")
    appeal.refresh_from_db()
    assert appeal.status == Status.OPEN and appeal.answered_by is None


def test_corrected_after_the_grid_changed_the_mark(world):
    appeal = appeal_of(world)
    mark_set(actor=world.teacher, work=appealed_work(world), pupil_id=world.pupil.pk, value="5")
    appeal_answer(actor=world.teacher, appeal=appeal, outcome="corrected", answer="")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answered_by, appeal.answer) == (Status.CORRECTED, world.teacher, "")
    entry = AuditEntry.objects.get(action="gradebook.appeal.corrected")
    assert entry.data["reported"] == "4" and entry.data["now"] == "5"


def test_corrected_after_the_mark_was_removed(world):
    appeal = appeal_of(world)
    mark_clear(actor=world.teacher, work=appealed_work(world), pupil_id=world.pupil.pk)
    assert appeal_answer(actor=world.teacher, appeal=appeal, outcome="corrected").status == Status.CORRECTED


def test_the_mark_stands_with_the_teachers_reason(world):
    appeal = appeal_of(world)
    with pytest.raises(GradebookError, match="почему отметка остаётся"):
        appeal_answer(actor=world.teacher, appeal=appeal, outcome="answered", answer="  ")
    appeal_answer(actor=world.teacher, appeal=appeal, outcome="answered", answer="Ответ был неполным.")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answer) == (Status.ANSWERED, "Ответ был неполным.")
    assert _mark(world).value == "4"
    with pytest.raises(GradebookError, match="уже ответили"):
        appeal_answer(actor=world.teacher, appeal=appeal, outcome="answered", answer="Ещё раз")


@pytest.mark.parametrize("outcome", ["", "open", "rejected"])
def test_an_unknown_outcome_is_refused(world, outcome):
    with pytest.raises(GradebookError):
        appeal_answer(actor=world.teacher, appeal=appeal_of(world), outcome=outcome, answer="Текст")


# --- A column with reports stays ------------------------------------------------------------------------------


def test_a_work_with_reports_is_not_removed(world):
    appeal_of(world)
    work = appealed_work(world)
    mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    with pytest.raises(GradebookError, match="работу удалить нельзя"):
        work_remove(actor=world.teacher, work=work)
    assert LessonWork.objects.filter(pk=work.pk).exists()


def test_the_grid_answers_409_not_500_for_a_work_with_reports(client, world):
    appeal_of(world)
    work = appealed_work(world)
    mark_clear(actor=world.teacher, work=work, pupil_id=world.pupil.pk)
    client.force_login(world.teacher)
    response = client.post(reverse("gradebook:work_remove", args=[work.pk]))
    assert response.status_code == 409
    assert "работу удалить нельзя" in response.content.decode()
    assert LessonWork.objects.filter(pk=work.pk).exists()


# --- "My day" ------------------------------------------------------------------------------------------------------


def test_my_day_shows_the_open_reports_of_the_teachers_courses_R_I11(client, world):
    """R-I11: the teacher is told, on their start page, until they answer."""
    appeal = appeal_of(world)
    other_appeal(world)
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:my_day")).content.decode()
    assert "ap-panel-title" in page
    assert reverse("gradebook:appeal_detail", args=[appeal.pk]) in page
    assert REPORT in page and world.pupil.last_name in page
    assert reverse("gradebook:appeal_detail", args=[other_appeal(world).pk]) not in page
    appeal_answer(actor=world.teacher, appeal=appeal, outcome="answered", answer="Ответ был неполным.")
    assert "ap-panel-title" not in client.get(reverse("gradebook:my_day")).content.decode()


def test_my_day_of_another_teacher_does_not_list_the_report(client, world):
    appeal_of(world)
    client.force_login(world.other_teacher)
    assert "ap-panel-title" not in client.get(reverse("gradebook:my_day")).content.decode()


def _more_reports(w, count: int) -> None:
    """`count` more pupils of 5А, each with a mark of the column and a report of it."""
    pupils = [UserFactory(school=w.school, username=f"p{i}", roles=["pupil"], password=None) for i in range(count)]
    class_services.pupils_enroll(
        actor=None, school_class=w.school_class, pupils=pupils, since=datetime.date(2026, 9, 1)
    )
    for pupil in pupils:
        mark_set(actor=w.teacher, work=appealed_work(w), pupil_id=pupil.pk, value="3")
        appeal_file(actor=pupil, pupil=pupil, work=appealed_work(w), text=REPORT)


def test_my_day_lists_reports_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    appeal_of(world)
    client.force_login(world.teacher)
    url = reverse("gradebook:my_day")
    client.get(url)
    with django_assert_max_num_queries(15) as one:
        client.get(url)
    _more_reports(world, 6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("/appeals/") >= 7


# --- The teacher's pages ---------------------------------------------------------------------------------------------


def test_the_report_page_shows_the_mark_now_and_the_journal_at_the_lesson(client, world):
    appeal = appeal_of(world)
    client.force_login(world.teacher)
    response = client.get(reverse("gradebook:appeal_detail", args=[appeal.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert REPORT in page and 'id="ap-now">4' in page
    lesson = appealed_work(world).lesson
    assert f"#lesson-{lesson.pk}" in page and "?period=" in page
    assert "Отправить ответ" in page
    assert "late-changes/new/" not in page  # the window is open: corrected in the grid


def test_after_the_window_the_report_page_links_a_late_change_request(client, world, clock):
    appeal = appeal_of(world)
    clock.move_to(_at(datetime.date(2026, 12, 2)))  # the 17 November column's window closed on 1 December
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:appeal_detail", args=[appeal.pk])).content.decode()
    work = appealed_work(world)
    url = reverse("gradebook:late_change_new", args=[work.lesson.course_id])
    assert f"{url}?work={work.pk}&amp;pupil={world.pupil.pk}" in page
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")


def test_readers_and_the_class_teacher_read_a_report_without_the_answer_form(client, world):
    appeal = appeal_of(world)
    for role in ("deputy", "class_teacher"):
        client.force_login(getattr(world, role))
        page = client.get(reverse("gradebook:appeal_detail", args=[appeal.pk])).content.decode()
        assert REPORT in page and "Отправить ответ" not in page


def test_the_teacher_answers_from_the_page(client, world):
    appeal = appeal_of(world)
    client.force_login(world.teacher)
    url = reverse("gradebook:appeal_answer", args=[appeal.pk])
    response = client.post(url, {"outcome": "answered", "answer": "Ответ был неполным."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("gradebook:appeal_detail", args=[appeal.pk])
    assert "семья увидит его в дневнике" in response.content.decode()
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answered_by) == (Status.ANSWERED, world.teacher)


def test_the_page_refuses_corrected_while_unchanged_with_409(client, world):
    appeal = appeal_of(world)
    client.force_login(world.teacher)
    response = client.post(reverse("gradebook:appeal_answer", args=[appeal.pk]), {"outcome": "corrected"})
    assert response.status_code == 409
    assert "Сначала исправьте отметку в журнале" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.OPEN


def test_a_teacher_of_another_course_cannot_answer(client, world):
    appeal = appeal_of(world)
    for role in ("other_teacher", "class_teacher", "deputy"):
        client.force_login(getattr(world, role))
        response = client.post(
            reverse("gradebook:appeal_answer", args=[appeal.pk]), {"outcome": "answered", "answer": "Нет"}
        )
        assert response.status_code == 403, role
    appeal.refresh_from_db()
    assert appeal.status == Status.OPEN


def test_the_list_shows_the_teachers_courses_and_the_readers_the_school(client, world):
    own, other = appeal_of(world), other_appeal(world)
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:appeal_list")).content.decode()
    assert reverse("gradebook:appeal_detail", args=[own.pk]) in page
    assert reverse("gradebook:appeal_detail", args=[other.pk]) not in page
    client.force_login(world.director)
    page = client.get(reverse("gradebook:appeal_list")).content.decode()
    assert reverse("gradebook:appeal_detail", args=[own.pk]) in page
    assert reverse("gradebook:appeal_detail", args=[other.pk]) in page


def test_the_list_filters_by_state(client, world):
    own = appeal_of(world)
    appeal_answer(actor=world.teacher, appeal=own, outcome="answered", answer="Верно.")
    client.force_login(world.teacher)
    detail = reverse("gradebook:appeal_detail", args=[own.pk])
    assert detail not in client.get(reverse("gradebook:appeal_list"), {"status": "open"}).content.decode()
    assert detail in client.get(reverse("gradebook:appeal_list"), {"status": "answered"}).content.decode()
    assert detail in client.get(reverse("gradebook:appeal_list"), {"status": "nonsense"}).content.decode()


def test_the_pages_cost_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    appeal = appeal_of(world)
    client.force_login(world.teacher)
    detail = reverse("gradebook:appeal_detail", args=[appeal.pk])
    listing = reverse("gradebook:appeal_list")
    client.get(listing)
    with django_assert_max_num_queries(10):
        assert client.get(detail).status_code == 200
    with django_assert_max_num_queries(10) as one:
        assert client.get(listing).status_code == 200
    _more_reports(world, 6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(listing).content.decode().count("ap-row-open") == 7
