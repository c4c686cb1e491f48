"""The diary API's answers (issue 12 item 5): the week, marks by subject with averages, homework, attendance and
period marks as the diary's pages show them; bad parameters answer 400 in Russian; the rate limit answers 429;
the week reads in at most ten queries."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.formats import number_format

from gradebook.period_marks import period_mark_set
from tests.diary.test_marks_page import quarter
from tests.matrix.diary import MONDAY, filled_week

from .conftest import bearer, key_of


@pytest.fixture
def filled(world):
    return filled_week(world)


@pytest.fixture
def key(world):
    return key_of(world.guardian, world.school)


def api(client, name, w, key, pupil=None, **query):
    return client.get(reverse(name, args=[(pupil or w.pupil).pk]), query, **bearer(key))


def lessons_of(data, date: datetime.date) -> list[dict]:
    return next(d for d in data["days"] if d["date"] == date.isoformat())["lessons"]


# --- The week --------------------------------------------------------------------------------------------------


def test_the_week_has_the_lessons_with_times_in_school_time_topics_homework_marks_and_attendance(
    client, world, filled, key
):
    response = api(client, "api:week", world, key, date="2026-11-18")  # any day of the week
    assert response.status_code == 200
    data = response.json()
    assert (data["monday"], data["saturday"]) == ("2026-11-16", "2026-11-21")
    assert (data["previous"], data["next"]) == ("2026-11-09", "2026-11-23")
    assert data["pupil"]["id"] == world.pupil.pk and data["pupil"]["class_name"] == "5А"
    (maths,) = [lesson for lesson in lessons_of(data, MONDAY) if lesson["subject"] == "Математика"]
    # 09:25 in Moscow (the school's zone), with its offset: 06:25 UTC.
    assert (maths["start"], maths["end"]) == ("2026-11-16T09:25:00+03:00", "2026-11-16T10:10:00+03:00")
    assert maths["topic"] == "Сложение дробей"
    assert [(m["value"], m["comment"], m["weight"]) for m in maths["marks"]] == [("5", "Молодец, так держать", "1")]
    assert (maths["attendance"], maths["attendance_title"]) == ("ОП 10", "опоздал(а), 10 мин")
    assert maths["homework"]["pages"] == "с. 45–47"
    assert [f["name"] for f in maths["homework"]["files"]] == ["задание.pdf"]
    assert [h["text"] for h in maths["due"]] == ["Повторить таблицу умножения"]
    tuesday = lessons_of(data, MONDAY + datetime.timedelta(days=1))
    (maths_tuesday,) = [lesson for lesson in tuesday if lesson["subject"] == "Математика"]
    assert maths_tuesday["substituted"] and maths_tuesday["marks"][0]["value"] == "4"
    (wednesday,) = lessons_of(data, MONDAY + datetime.timedelta(days=2))
    assert wednesday["cancelled"] and wednesday["cancel_reason"] == "Карантин по гриппу"
    assert [d["is_today"] for d in data["days"]][1]


def test_the_weeks_json_is_what_the_diary_page_shows(client, world, filled, key):
    data = api(client, "api:week", world, key, date="2026-11-16").json()
    client.force_login(world.guardian)
    page = client.get(reverse("diary:pupil", args=[world.pupil.pk]), {"week": "2026-11-16"}).content.decode()
    for day in data["days"]:
        for lesson in day["lessons"]:
            assert lesson["subject"] in page
            for mark in lesson["marks"]:
                assert f'<span class="dw-value">{mark["value"]}</span>' in page
                assert f'<span class="dw-weight">×{mark["weight"]}</span>' in page
            if lesson["topic"]:
                assert lesson["topic"] in page
    assert "Молодец, так держать" in page


def test_the_week_without_a_date_is_this_week(client, world, filled, key):
    assert api(client, "api:week", world, key).json()["monday"] == "2026-11-16"


@pytest.mark.parametrize("date", ["2026-02-30", "завтра", "17.11.2026", "0001-01-01"])
def test_a_date_that_cannot_be_read_is_a_400_in_russian(client, world, filled, key, date):
    response = api(client, "api:week", world, key, date=date)
    assert response.status_code == 400
    assert "не дата" in response.json()["detail"]


def test_the_week_takes_at_most_ten_queries_with_a_key(client, world, filled, key, django_assert_max_num_queries):
    api(client, "api:week", world, key)  # the key's last use is noted once a minute: not in the count below
    with django_assert_max_num_queries(10):
        response = api(client, "api:week", world, key, date="2026-11-16")
    assert response.status_code == 200


# --- Marks, attendance, period marks ------------------------------------------------------------------------------


def test_marks_by_subject_with_the_averages_the_diary_page_shows(client, world, marked, key):
    course, _first, _works = marked
    data = api(client, "api:marks", world, key).json()
    assert data["span"]["period"]["id"] == quarter(course, 2).pk and not data["span"]["whole_year"]
    (subject,) = data["subjects"]
    assert [m["value"] for m in subject["marks"]] == ["4", "4", "4"]
    assert [m["weight"] for m in subject["marks"]] == ["1", "1", "3"]
    assert (subject["count"], subject["average"], subject["weighted_average"], subject["forecast"]) == (
        3,
        "4.00",
        "4.00",
        "4",
    )
    assert subject["attendance"] == {
        "missed": {"ill": 1},
        "missed_total": 1,
        "late": 2,
        "late_minutes": 15,
        "remote": 0,
    }
    client.force_login(world.guardian)
    response = client.get(reverse("diary:marks", args=[world.pupil.pk]))
    (row,) = response.context["rows"]
    assert (Decimal(subject["average"]), Decimal(subject["weighted_average"])) == (row.average, row.weighted)
    assert f"<dd>{number_format(Decimal(subject['weighted_average']), 2)}</dd>" in response.content.decode()


def test_marks_of_the_year_and_of_another_period(client, world, marked, clock, key):
    course, _first, _works = marked
    year = api(client, "api:marks", world, key, period="year").json()
    assert year["span"]["whole_year"] and year["span"]["period"] is None
    assert [m["value"] for m in year["subjects"][0]["marks"]] == ["5", "4", "4", "4"]
    # (5×1 + 4×1 + 4×1 + 4×3) / 6 = 4.17
    assert year["subjects"][0]["weighted_average"] == "4.17"
    first = api(client, "api:marks", world, key, period=str(quarter(course, 1).pk)).json()
    assert [(m["value"], m["comment"]) for m in first["subjects"][0]["marks"]] == [("5", "Отличная работа")]
    assert len(first["span"]["periods"]) == len(year["span"]["periods"]) >= 2


@pytest.mark.parametrize("period", ["x", "999999", "2026"])
def test_a_period_that_is_not_one_is_a_400(client, world, marked, key, period):
    for name in ("api:marks", "api:attendance"):
        response = api(client, name, world, key, period=period)
        assert response.status_code == 400
        assert "не учебный период" in response.json()["detail"]


def test_attendance_by_subject_and_reason(client, world, marked, key):
    data = api(client, "api:attendance", world, key).json()
    (subject,) = data["subjects"]
    assert subject["name"] == "Математика"
    assert subject["attendance"]["missed"] == {"ill": 1}
    assert (subject["attendance"]["late"], subject["attendance"]["late_minutes"]) == (2, 15)


def test_period_marks_with_their_forecasts_and_the_marks_set(client, world, marked, key):
    course, _first, _works = marked
    period_mark_set(actor=world.teacher, course=course, period=quarter(course, 2), pupil_id=world.pupil.pk, value="4")
    data = api(client, "api:period_marks", world, key).json()
    (subject,) = data["subjects"]
    slots = subject["slots"]
    assert slots[-1]["period"] is None  # the year comes last
    second = next(s for s in slots if s["period"] and s["period"]["id"] == quarter(course, 2).pk)
    assert (second["forecast"], second["mark"], second["weighted_average"]) == ("4", "4", "4.00")
    assert [p["id"] for p in data["periods"]] == [s["period"]["id"] for s in slots[:-1]]


# --- Homework ---------------------------------------------------------------------------------------------------


def test_homework_by_due_date_within_the_dates_asked(client, world, filled, key):
    data = api(client, "api:homework", world, key, **{"from": "2026-11-01", "to": "2026-11-30"}).json()
    texts = [(h["due_on"], h["text"]) for h in data["items"]]
    assert ("2026-11-16", "Повторить таблицу умножения") in texts
    assert ("2026-11-17", "Упражнения по теме") in texts
    narrow = api(client, "api:homework", world, key, **{"from": "2026-11-17", "to": "2026-11-17"}).json()
    assert [h["text"] for h in narrow["items"]] == ["Упражнения по теме"]
    assert narrow["items"][0]["files"][0]["name"] == "задание.pdf"


def test_homework_from_today_by_default(client, world, filled, key):
    data = api(client, "api:homework", world, key).json()
    assert data["start"] == "2026-11-17" and data["end"] is None
    assert all(h["due_on"] >= "2026-11-17" for h in data["items"])


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"from": "2026-11-20", "to": "2026-11-10"}, "раньше"),
        ({"from": "2026-01-01", "to": "2027-12-31"}, "не больше"),
        ({"from": "вчера"}, "не дата"),
        ({"to": "2026-13-01"}, "не дата"),
    ],
)
def test_homework_dates_that_make_no_sense_are_a_400(client, world, filled, key, query, said):
    response = api(client, "api:homework", world, key, **query)
    assert response.status_code == 400 and said in response.json()["detail"]


# --- Limits and methods -------------------------------------------------------------------------------------------


@override_settings(API_RATE_MINUTE="2/min")
def test_the_rate_limit_answers_429_with_retry_after(client, world, key):
    url = reverse("api:pupils")
    assert [client.get(url, **bearer(key)).status_code for _ in range(2)] == [200, 200]
    response = client.get(url, **bearer(key))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Слишком много запросов" in response.json()["detail"]
    # Counted per key: another key of the family is not held back.
    other = key_of(world.pupil, world.school)
    assert client.get(url, **bearer(other)).status_code == 200


@override_settings(API_RATE_DAY="3/day")
def test_the_daily_limit_too(client, world, key):
    url = reverse("api:pupils")
    assert [client.get(url, **bearer(key)).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_api_only_reads(client, world, key):
    response = client.post(reverse("api:pupils"), {}, content_type="application/json", **bearer(key))
    assert response.status_code == 405
    assert "только читает" in response.json()["detail"]
