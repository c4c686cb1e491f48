"""The timetable pages: a class's editor on a date (R-C01, R-C03), the weeks of actual lessons of a class, a teacher
and a room, their PDFs, and the index."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import SchoolSettings
from schedule.models import Lesson, TimetableEntry
from schedule.services import classes as class_services
from schedule.services import lessons as lesson_services
from schedule.services import timetable
from schedule.services import years as year_services
from tests.factories import UserFactory, make_course

D = datetime.date
T = datetime.time
MON, TUE, WED, THU, FRI = 1, 2, 3, 4, 5
YEAR_START = D(2026, 9, 1)
THIS_WEEK = D(2026, 11, 16)  # the Monday of the frozen school day, Tuesday 17.11.2026


def ru(message: str, **params) -> str:
    with translation.override("ru"):
        text = translation.gettext(message)
    return text % params if params else text


def add(course, weekday, number, room="", since=YEAR_START, until=None):
    return timetable.timetable_entry_add(
        actor=None, course=course, weekday=weekday, number=number, room=room, valid_from=since, valid_to=until
    )


def subgroup(world, name):
    return class_services.group_create(
        actor=None, year=world.school_class.year, name=name, school_class=world.school_class
    )


@pytest.fixture
def year(world):
    year = world.school_class.year
    year_services.year_fill_usual(actor=None, year=year)
    return year


@pytest.fixture
def maths(world, year):
    return make_course(world.school_class, world.teacher, "Математика", hours=4)


@pytest.fixture
def history(world, year):
    return make_course(world.school_class, world.other_teacher, "История", hours=2)


def editor(school_class, **query):
    url = reverse("schedule:timetable_class", args=[school_class.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def add_url(world):
    return reverse("schedule:timetable_entry_add", args=[world.school_class.pk])


def add_data(course, weekday=MON, number=1, room="", valid_from="2026-11-17", date="2026-11-17"):
    return {
        "course": course.pk,
        "weekday": weekday,
        "number": number,
        "room": room,
        "valid_from": valid_from,
        "date": date,
    }


# --- The editor ----------------------------------------------------------------------------------------------


def test_the_editor_shows_the_timetable_in_force_on_the_date_with_subgroups_in_one_cell_R_C01(client, world, maths):
    """R-C01: a class's timetable with its bells; two subgroups share a cell; later changes are listed apart; each
    course's hours a week are checked against its lessons in the timetable."""
    shift = year_services.bell_schedule_create(actor=None, school=world.school, name="Первая смена")
    year_services.bells_set(
        actor=None,
        schedule=shift,
        bells=[year_services.BellTimes(n, T(7 + n, 30), T(8 + n, 15)) for n in range(1, 7)],
    )
    class_services.school_class_update(
        actor=None, school_class=world.school_class, letter="А", class_teacher=world.class_teacher, bell_schedule=shift
    )
    add(maths, MON, 1, room="12")
    add(maths, TUE, 3, room="12", until=D(2026, 11, 1))  # over before the date shown
    add(maths, WED, 2, room="14", since=D(2026, 12, 1))  # starts after it
    english_1 = make_course(None, world.other_teacher, "Английский язык", 3, group=subgroup(world, "5А англ 1"))
    english_teacher = UserFactory(school=world.school, username="english", last_name="Петрова", first_name="Анна")
    english_2 = make_course(None, english_teacher, "Английский язык", 3, group=subgroup(world, "5А англ 2"))
    add(english_1, TUE, 2, room="21")
    add(english_2, TUE, 2, room="22")
    make_course(world.other_class, world.teacher, "Физика", 2)  # another class's course is not shown

    client.force_login(world.director)
    response = client.get(editor(world.school_class, date="2026-11-17"))
    assert response.status_code == 200
    tt = response.context["timetable"]
    assert [r.number for r in tt.rows] == [1, 2, 3, 4, 5, 6]
    assert (tt.rows[0].start, tt.rows[0].end) == (T(8, 30), T(9, 15))
    monday_1 = tt.rows[0].cells[0].items
    assert [(e.course.subject.name, e.room) for e in monday_1] == [("Математика", "12")]
    tuesday_2 = tt.rows[1].cells[1].items
    assert [e.course.group.name for e in tuesday_2] == ["5А англ 1", "5А англ 2"]
    assert not tt.rows[2].cells[1].items, "the entry over before the date is not shown"
    assert [(c.starts, c.date, c.entry.weekday) for c in tt.changes] == [(True, D(2026, 12, 1), WED)]
    hours = {(c.subject.name, c.group.name if c.group_id else ""): (c.in_timetable, c.mismatch) for c in tt.courses}
    assert hours == {
        ("Математика", ""): (1, True),
        ("Английский язык", "5А англ 1"): (1, True),
        ("Английский язык", "5А англ 2"): (1, True),
    }
    page = response.content.decode()
    assert "Физика" not in page
    assert "08:30" in page and "Петрова А." in page and world.teacher.get_short_name() in page
    # The director reads the timetable; they do not edit it.
    assert response.context["can_edit"] is False
    assert add_url(world) not in page


def test_the_editor_without_bells_has_lessons_one_to_seven_and_survives_a_bad_date(client, world, maths):
    add(maths, FRI, 8)
    client.force_login(world.teacher)
    response = client.get(editor(world.school_class, date="2026-13-45"))
    assert response.status_code == 200
    client.force_login(world.admin)
    assert client.get(editor(world.school_class, entry="9" * 5000, weekday="²", number="-1")).status_code == 200
    week = reverse("schedule:week_class", args=[world.school_class.pk])
    assert client.get(week, {"week": "0001-01-01"}).status_code == 200
    assert response.context["day"] == D(2026, 11, 17)
    assert [r.number for r in response.context["timetable"].rows] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_the_admin_adds_a_lesson_with_a_plain_post_and_comes_back_to_the_same_date(client, world, maths):
    client.force_login(world.admin)
    page = client.get(editor(world.school_class, date="2026-11-17", weekday=MON, number=2)).content.decode()
    assert add_url(world) in page
    assert 'value="2026-11-17"' in page, "valid from defaults to the date shown"
    response = client.post(add_url(world), add_data(maths, MON, 2, room=" 12 ", date="2026-11-20"))
    assert response.status_code == 302
    assert response["Location"] == editor(world.school_class, date="2026-11-20")
    entry = TimetableEntry.objects.get(course=maths)
    assert (entry.weekday, entry.number, entry.room, entry.valid_from) == (MON, 2, "12", D(2026, 11, 17))
    page = client.get(response["Location"]).content.decode()
    assert "Математика" in page
    assert ru("Added from %(date)s: %(entry)s.", date="17.11.2026", entry="").split(":")[0] in page


def test_the_editor_explains_that_a_change_keeps_earlier_weeks_R_C03(client, world, maths):
    client.force_login(world.admin)
    page = client.get(editor(world.school_class)).content.decode()
    hint = ru(
        "A change takes effect from the date you give: earlier weeks and their lessons (with their topics, "
        "attendance and marks) stay as they were. Lessons after that date follow the new timetable, except lessons "
        "that already hold records, which are kept."
    )
    assert hint in page


def test_htmx_adds_a_lesson_and_gets_the_grid_back(client, world, maths):
    client.force_login(world.admin)
    response = client.post(add_url(world), add_data(maths, WED, 3), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "schedule/timetable/_editor.html"
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="tt-editor">')
    assert 'data-day="3" data-number="3"' in page and "Математика" in page
    assert TimetableEntry.objects.filter(course=maths, weekday=WED, number=3).exists()


def test_htmx_loads_a_cells_form_into_the_panel(client, world, maths):
    client.force_login(world.admin)
    response = client.get(editor(world.school_class, weekday=THU, number=4), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    form = response.context["add_form"]
    assert (form.initial["weekday"], form.initial["number"]) == (THU, 4)
    assert 'id="tt-panel"' in response.content.decode()


def test_a_clash_is_refused_with_a_russian_message_and_nothing_is_written(client, world, maths, history):
    add(maths, MON, 1, room="12")
    client.force_login(world.admin)
    before = set(TimetableEntry.objects.values_list("pk", "valid_to"))
    response = client.post(add_url(world), add_data(history, MON, 1))
    assert response.status_code == 422
    assert response.context["error"]
    page = response.content.decode()
    with translation.override("ru"):
        expected = translation.gettext("Pupils of %(audience)s already have a lesson at this time: %(where)s.")
    assert expected.split("%(audience)s")[0] in page
    assert 'role="alert"' in page and "Математика" in page
    assert set(TimetableEntry.objects.values_list("pk", "valid_to")) == before
    # The same through htmx: the editor partial with the error, still 422.
    response = client.post(add_url(world), add_data(history, MON, 1), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert response.content.decode().lstrip().startswith('<div id="tt-editor">')
    assert response.context["error"] == response.context["error"].strip() != ""
    assert set(TimetableEntry.objects.values_list("pk", "valid_to")) == before


def test_a_room_clash_names_the_room(client, world, maths):
    add(maths, MON, 1, room="12")
    physics = make_course(world.other_class, world.other_teacher, "Физика", 2)
    client.force_login(world.admin)
    url = reverse("schedule:timetable_entry_add", args=[world.other_class.pk])
    response = client.post(url, add_data(physics, MON, 1, room="12"))
    assert response.status_code == 422
    with translation.override("ru"):
        expected = translation.gettext("Room %(room)s is taken at this time: %(where)s.") % {
            "room": "12",
            "where": "",
        }
    assert expected.rstrip(": .") in response.content.decode()
    assert not TimetableEntry.objects.filter(course=physics).exists()


def test_an_invalid_form_is_422_and_shows_the_form_again(client, world, maths):
    client.force_login(world.admin)
    response = client.post(add_url(world), {"course": maths.pk, "weekday": 9, "number": "x"})
    assert response.status_code == 422
    assert response.context["add_form"].errors.keys() >= {"weekday", "number", "valid_from"}
    assert not TimetableEntry.objects.exists()


def test_a_course_of_another_class_cannot_be_added_here(client, world, maths):
    physics = make_course(world.other_class, world.other_teacher, "Физика", 2)
    client.force_login(world.admin)
    response = client.post(add_url(world), add_data(physics))
    assert response.status_code == 422
    assert not TimetableEntry.objects.exists()


def test_changing_an_entry_from_a_date_keeps_the_earlier_weeks_R_C03(client, world, year, maths):
    """R-C03: a change of room and time from a date ends the old entry the day before; lessons before it stay."""
    entry = add(maths, MON, 1, room="12")
    timetable.lessons_generate(actor=None, year=year, start=D(2026, 11, 9), end=D(2026, 11, 30))
    earlier = set(Lesson.objects.filter(course=maths, date__lt=D(2026, 11, 23)).values_list("pk", "date", "room"))
    client.force_login(world.admin)
    url = reverse("schedule:timetable_entry_change", args=[entry.pk])
    panel = client.get(editor(world.school_class, entry=entry.pk)).content.decode()
    assert url in panel
    response = client.post(
        url,
        {
            "course": maths.pk,
            "weekday": TUE,
            "number": 3,
            "room": "14",
            "from_date": "2026-11-23",
            "date": "2026-11-17",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.valid_to == D(2026, 11, 22)
    new = TimetableEntry.objects.get(course=maths, valid_from=D(2026, 11, 23))
    assert (new.weekday, new.number, new.room, new.valid_to) == (TUE, 3, "14", None)
    assert set(Lesson.objects.filter(pk__in=[p for p, _d, _r in earlier]).values_list("pk", "date", "room")) == earlier
    page = client.get(editor(world.school_class, date="2026-11-17")).content.decode()
    assert "23.11.2026" in page, "the change is listed as planned"


def test_a_change_that_changes_nothing_is_refused(client, world, maths):
    entry = add(maths, MON, 1, room="12")
    client.force_login(world.admin)
    url = reverse("schedule:timetable_entry_change", args=[entry.pk])
    response = client.post(
        url, {"course": maths.pk, "weekday": MON, "number": 1, "room": "12", "from_date": "2026-11-23"}
    )
    assert response.status_code == 422
    assert response.context["change_form"].non_field_errors()
    entry.refresh_from_db()
    assert entry.valid_to is None and TimetableEntry.objects.count() == 1


def test_a_change_into_a_clash_writes_nothing(client, world, maths, history):
    entry = add(maths, MON, 1)
    add(history, MON, 2)
    client.force_login(world.admin)
    url = reverse("schedule:timetable_entry_change", args=[entry.pk])
    data = {"course": maths.pk, "weekday": MON, "number": 2, "room": "", "from_date": "2026-11-23"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert response.context["error"] and response.context["entry"].pk == entry.pk
    entry.refresh_from_db()
    assert entry.valid_to is None
    assert TimetableEntry.objects.count() == 2
    # From the entry's first day the old entry would be deleted: the refusal keeps it too.
    response = client.post(url, {**data, "from_date": "2026-09-01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert TimetableEntry.objects.filter(pk=entry.pk, valid_to=None).exists()


def test_removing_an_entry_from_a_date(client, world, maths):
    entry = add(maths, MON, 1)
    client.force_login(world.admin)
    url = reverse("schedule:timetable_entry_end", args=[entry.pk])
    response = client.post(url, {"from_date": "2026-11-23", "date": "2026-11-17"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.valid_to == D(2026, 11, 22)
    assert client.post(url, {"from_date": ""}).status_code == 422
    # Ending it again after it has ended is a ScheduleError: 422 with the message.
    response = client.post(url, {"from_date": "2026-12-01"})
    assert response.status_code == 422 and response.context["error"]
    response = client.post(url, {"from_date": "2026-09-01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not TimetableEntry.objects.filter(pk=entry.pk).exists()


def test_the_write_endpoints_refuse_get(client, world, maths):
    entry = add(maths, MON, 1)
    client.force_login(world.admin)
    assert client.get(add_url(world)).status_code == 405
    assert client.get(reverse("schedule:timetable_entry_change", args=[entry.pk])).status_code == 405
    assert client.get(reverse("schedule:timetable_entry_end", args=[entry.pk])).status_code == 405


# --- Who edits (R-C01) ---------------------------------------------------------------------------------------


def test_the_class_teacher_edits_their_own_class_but_not_another_R_C01(client, world, year):
    """R-C01 (seed 000 §4): the class teacher of 5А edits 5А's timetable; 5Б's is not theirs."""
    own = make_course(world.school_class, world.teacher, "Математика", 4)
    other = make_course(world.other_class, world.other_teacher, "Физика", 2)
    client.force_login(world.class_teacher)
    assert client.get(editor(world.school_class)).context["can_edit"] is True
    assert client.post(add_url(world), add_data(own)).status_code == 302
    response = client.get(editor(world.other_class))
    assert response.status_code == 200 and response.context["can_edit"] is False
    other_url = reverse("schedule:timetable_entry_add", args=[world.other_class.pk])
    assert client.post(other_url, add_data(other)).status_code == 403
    entry = add(other, TUE, 1)
    end_url = reverse("schedule:timetable_entry_end", args=[entry.pk])
    assert client.post(end_url, {"from_date": "2026-11-23"}).status_code == 403
    assert TimetableEntry.objects.filter(course=other).count() == 1


def test_the_school_setting_turns_class_teachers_editing_off_R_C01(client, world, year):
    """R-C01: who edits the timetable is a school setting; with `class_teacher_edits_timetable` off the class
    teacher only reads their class's timetable."""
    SchoolSettings.objects.filter(school=world.school).update(class_teacher_edits_timetable=False)
    course = make_course(world.school_class, world.teacher, "Математика", 4)
    entry = add(course, MON, 1)
    client.force_login(world.class_teacher)
    response = client.get(editor(world.school_class))
    assert response.status_code == 200 and response.context["can_edit"] is False
    assert add_url(world) not in response.content.decode()
    assert client.post(add_url(world), add_data(course, TUE, 1)).status_code == 403
    change = reverse("schedule:timetable_entry_change", args=[entry.pk])
    assert client.post(change, {"from_date": "2026-11-23"}).status_code == 403


def test_the_deputy_edits_where_the_school_allows_R_C01(client, world, year):
    course = make_course(world.school_class, world.teacher, "Математика", 4)
    client.force_login(world.deputy)
    assert client.post(add_url(world), add_data(course)).status_code == 302
    SchoolSettings.objects.filter(school=world.school).update(deputy_edits_timetable=False)
    client.force_login(world.deputy)
    assert client.post(add_url(world), add_data(course, TUE, 2)).status_code == 403


def test_teachers_and_the_director_do_not_edit_and_families_do_not_see(client, world, year):
    course = make_course(world.school_class, world.teacher, "Математика", 4)
    for who in (world.teacher, world.director):
        client.force_login(who)
        assert client.post(add_url(world), add_data(course)).status_code == 403
    for who in (world.pupil, world.guardian):
        client.force_login(who)
        assert client.get(editor(world.school_class)).status_code == 403
        assert client.get(reverse("schedule:week_class", args=[world.school_class.pk])).status_code == 403
    client.force_login(world.foreign_teacher)
    assert client.get(editor(world.school_class)).status_code == 404


def test_a_closed_year_shows_its_timetable_without_editing(client, world, maths):
    add(maths, MON, 1)
    maths.year.is_archived = True
    maths.year.save()
    client.force_login(world.admin)
    response = client.get(editor(world.school_class))
    assert response.status_code == 200 and response.context["can_edit"] is False
    response = client.post(add_url(world), add_data(maths, TUE, 1))
    assert response.status_code == 422 and response.context["error"]


# --- Weeks of lessons ------------------------------------------------------------------------------------------


@pytest.fixture
def week(world, year, maths, history):
    """The week of 16.11.2026 generated: maths Mon 1, Tue 1 (room 12), history Wed 2 (room 14)."""
    add(maths, MON, 1, room="12")
    add(maths, TUE, 1, room="12")
    add(history, WED, 2, room="14")
    timetable.lessons_generate(actor=None, year=year, start=THIS_WEEK, end=THIS_WEEK + datetime.timedelta(days=5))
    lessons = {(lsn.date.isoweekday(), lsn.number): lsn for lsn in Lesson.objects.filter(date__gte=THIS_WEEK)}
    lesson_services.lesson_cancel(actor=world.admin, lesson=lessons[(MON, 1)], reason="Карантин")
    lesson_services.substitution_set(
        actor=world.admin, lesson=lessons[(TUE, 1)], substitute=world.class_teacher, reason="Болезнь"
    )
    lesson_services.lesson_move(actor=world.admin, lesson=lessons[(WED, 2)], date=D(2026, 11, 20), number=4)
    lesson_services.lesson_add(actor=world.admin, course=maths, date=D(2026, 11, 21), number=2, room="12")
    return lessons


def items(week_obj, weekday, number):
    row = next(r for r in week_obj.rows if r.number == number)
    return row.cells[weekday - 1].items


def test_a_class_week_shows_cancelled_substituted_moved_and_extra_lessons(client, world, week):
    client.force_login(world.teacher)
    response = client.get(reverse("schedule:week_class", args=[world.school_class.pk]), {"week": "2026-11-19"})
    assert response.status_code == 200
    w = response.context["week"]
    assert w.monday == THIS_WEEK and not w.not_generated
    (cancelled,) = items(w, MON, 1)
    assert cancelled.cancelled and cancelled.cancel_reason == "Карантин"
    (substituted,) = items(w, TUE, 1)
    assert substituted.sub.substitute == world.class_teacher
    (moved,) = items(w, FRI, 4)
    assert moved.moved_from == (D(2026, 11, 18), 2)
    assert not items(w, WED, 2)
    (extra,) = items(w, 6, 2)
    assert extra.is_extra
    page = response.content.decode()
    assert "<del>" in page and "Карантин" in page
    assert world.class_teacher.get_short_name() in page
    assert "?week=2026-11-09" in page and "?week=2026-11-23" in page


def test_a_teachers_week_leaves_out_lessons_given_to_a_substitute_and_adds_those_they_substitute(client, world, week):
    client.force_login(world.deputy)
    url = reverse("schedule:week_teacher", args=[world.teacher.pk])
    w = client.get(url, {"week": "2026-11-16"}).context["week"]
    assert items(w, MON, 1) and not items(w, TUE, 1)
    substitute = client.get(reverse("schedule:week_teacher", args=[world.class_teacher.pk])).context["week"]
    assert [i.course.subject.name for i in items(substitute, TUE, 1)] == ["Математика"]
    assert client.get(reverse("schedule:week_teacher", args=[world.pupil.pk])).status_code == 404


def test_a_rooms_week_and_its_picker(client, world, week):
    client.force_login(world.admin)
    picker = client.get(reverse("schedule:week_room"))
    assert picker.status_code == 200 and picker.context["rooms"] == ["12", "14"]
    response = client.get(reverse("schedule:week_room"), {"room": "12", "week": "2026-11-16"})
    w = response.context["week"]
    assert items(w, MON, 1) and items(w, TUE, 1) and items(w, 6, 2)
    assert not items(w, FRI, 4), "history is in room 14"
    assert "room=12" in response.context["next_url"]


def test_a_week_without_generated_lessons_shows_the_timetable_marked_as_such(client, world, maths):
    add(maths, MON, 1, room="12")
    add(maths, TUE, 2, until=D(2026, 11, 16))  # ends on the Monday: not on that week's Tuesday
    client.force_login(world.admin)
    response = client.get(reverse("schedule:week_class", args=[world.school_class.pk]))
    w = response.context["week"]
    assert w.not_generated and w.lessons == 0
    (entry,) = items(w, MON, 1)
    assert not entry.is_lesson and entry.date == THIS_WEEK
    assert not items(w, TUE, 2)
    assert ru("lessons not generated yet") in response.content.decode()


def test_the_holidays_are_shown_and_have_no_lessons_from_the_timetable(client, world, maths):
    add(maths, MON, 1)
    client.force_login(world.admin)
    w = client.get(reverse("schedule:week_class", args=[world.school_class.pk]), {"week": "2026-11-03"}).context["week"]
    assert w.monday == D(2026, 11, 2)
    assert all(d.holiday for d in w.days)
    assert w.empty


def test_the_index_links_every_class_teacher_and_room(client, world, maths):
    add(maths, MON, 1, room="12")
    client.force_login(world.teacher)
    page = client.get(reverse("schedule:timetable_index")).content.decode()
    for url in (
        reverse("schedule:timetable_class", args=[world.school_class.pk]),
        reverse("schedule:week_class", args=[world.other_class.pk]),
        reverse("schedule:week_teacher", args=[world.other_teacher.pk]),
        reverse("schedule:week_room") + "?room=12",
    ):
        assert url in page


# --- PDFs ------------------------------------------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path) -> str:
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "week.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_the_three_weeks_print_as_pdf(client, world, week, tmp_path):
    client.force_login(world.admin)
    response = client.get(reverse("schedule:week_class_pdf", args=[world.school_class.pk]), {"week": "2026-11-17"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Математика" in text and "История" in text and "5А" in text and "Карантин" in text
    response = client.get(reverse("schedule:week_teacher_pdf", args=[world.other_teacher.pk]), {"week": "2026-11-17"})
    assert "История" in pdf_text(response.content, tmp_path)
    response = client.get(reverse("schedule:week_room_pdf"), {"room": "14", "week": "2026-11-17"})
    assert "История" in pdf_text(response.content, tmp_path)
    assert client.get(reverse("schedule:week_room_pdf")).status_code == 302


# --- Fixed query counts --------------------------------------------------------------------------------------


@pytest.fixture
def busy_school(world, year):
    """5А with twelve courses (four of them in subgroups) filling the week, lessons generated for the quarter."""
    courses = []
    groups = [subgroup(world, f"5А группа {i}") for i in range(1, 3)]
    for i in range(8):
        teacher = UserFactory(school=world.school, username=f"t{i}")
        courses.append(make_course(world.school_class, teacher, f"Предмет {i}", 4))
    for i, group in enumerate(groups * 2):
        teacher = UserFactory(school=world.school, username=f"g{i}")
        courses.append(make_course(None, teacher, f"Язык {i}", 2, group=group))
    slot = 0
    for course in courses[:8]:
        for _n in range(3):
            add(course, slot % 6 + 1, slot // 6 + 1, room=str(100 + slot))
            slot += 1
    for i, course in enumerate(courses[8:]):
        add(course, 6, 5 + i // 2, room=str(200 + i))
    timetable.lessons_generate(actor=None, year=year, start=THIS_WEEK, end=D(2026, 11, 28))
    return courses


def test_the_editor_and_the_weeks_take_a_fixed_number_of_queries(
    client, world, busy_school, django_assert_max_num_queries
):
    client.force_login(world.admin)
    with django_assert_max_num_queries(13):
        response = client.get(editor(world.school_class, weekday=MON, number=1))
    assert sum(len(c.items) for r in response.context["timetable"].rows for c in r.cells) == 28
    with django_assert_max_num_queries(13):
        response = client.get(editor(world.school_class, entry=TimetableEntry.objects.first().pk))
    assert response.context["entry"] is not None
    with django_assert_max_num_queries(13):
        response = client.get(reverse("schedule:week_class", args=[world.school_class.pk]))
    assert response.context["week"].lessons == 28
    teacher = busy_school[0].teachers.get()
    with django_assert_max_num_queries(13):
        client.get(reverse("schedule:week_teacher", args=[teacher.pk]))
    with django_assert_max_num_queries(13):
        client.get(reverse("schedule:week_room"), {"room": "100"})
    with django_assert_max_num_queries(11):  # 7 (8 with the unread messages), and 3 for the periods' readiness (R-C02)
        client.get(reverse("schedule:timetable_index"))


def test_a_group_across_classes_is_placed_from_a_members_class_by_the_admin_only_R_C01(client, world, year, maths):
    """A profile group of pupils of 5А and 5Б: its lessons show in both classes' editors and weeks; the admin places
    and changes them from either editor; a class teacher, who owns no group across classes, cannot."""
    profile = class_services.group_create(actor=None, year=year, name="Профиль: химия")
    class_services.group_members_set(
        actor=None, group=profile, pupils=[world.pupil, world.other_pupil], since=YEAR_START
    )
    chemistry = make_course(None, world.other_teacher, "Химия", hours=2, group=profile)
    add(maths, MON, 1)
    client.force_login(world.admin)
    add_url = reverse("schedule:timetable_entry_add", args=[world.other_class.pk])
    form = {"course": chemistry.pk, "weekday": MON, "number": 1, "room": "", "valid_from": "2026-09-01"}
    # Its pupil of 5А already has maths then.
    refused = client.post(add_url, form)
    assert refused.status_code == 422
    assert not TimetableEntry.objects.filter(course=chemistry).exists()
    assert client.post(add_url, {**form, "number": 7}).status_code == 302
    entry = TimetableEntry.objects.get(course=chemistry)
    for school_class in (world.school_class, world.other_class):
        page = client.get(reverse("schedule:timetable_class", args=[school_class.pk]) + "?date=2026-11-16")
        assert "Химия" in page.content.decode(), school_class
    change = reverse("schedule:timetable_entry_change", args=[entry.pk])
    moved = {"class": world.school_class.pk, "date": "2026-11-16", "course": chemistry.pk, "weekday": TUE,
             "number": 7, "room": "", "from_date": "2026-11-16"}  # fmt: skip
    client.force_login(world.class_teacher)
    assert client.post(change, moved).status_code == 403
    client.force_login(world.admin)
    assert client.post(change, moved).status_code == 302
    assert TimetableEntry.objects.filter(course=chemistry, weekday=TUE, valid_from=D(2026, 11, 16)).exists()


def test_the_index_shows_which_classes_lack_a_timetable_before_each_period_R_C02(client, world, year, maths):
    """R-C02: the timetable is in place 7 days before each reporting period; the index lists the classes without
    one on each coming period's first day, overdue once the 7 days have begun."""
    from schedule.selectors_timetable import timetable_readiness

    add(maths, MON, 1)
    day = D(2026, 11, 17)
    rows = {(r.period.kind, r.period.number): r for r in timetable_readiness(year=year, day=day)}
    third = rows[("quarter", 3)]
    assert third.due == third.period.start - datetime.timedelta(days=7)
    assert [c.pk for c in third.missing] == [world.other_class.pk]  # 5А has maths, 5Б nothing
    assert not third.overdue
    assert rows[("quarter", 2)].overdue  # started already, 5Б still without a timetable
    late = {(r.period.kind, r.period.number): r for r in timetable_readiness(year=year, day=third.due + D.resolution)}
    assert late[("quarter", 3)].overdue
    client.force_login(world.deputy)
    page = client.get(reverse("schedule:timetable_index")).content.decode()
    assert ru("Classes without a timetable on its first day") in page
