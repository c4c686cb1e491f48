"""Pupils' achievements and portfolios (R-I14 «учет достижений обучающихся по результатам их участия в олимпиадах»,
seed 004 §3.1 п.3 «наполняемость личных портфолио», §4.1 п.10): the pupil's teachers, their class teacher, the admin
and the deputy enter them; pupils and parents read their own in the diary and never write (R-A06, R-A07); the
deputy sees per class how many pupils have entries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role, User
from portfolio import services
from portfolio.models import Achievement
from portfolio.selectors import class_summary
from portfolio.services import PortfolioError
from schedule.services import classes as class_services
from tests.factories import UserFactory, make_course, make_subject
from tests.matrix.portfolio import WON, add, teaching

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _form(**overrides) -> dict:
    return {
        "kind": "olympiad",
        "title": "Олимпиада «Математический праздник»",
        "subject": "",
        "level": "municipal",
        "result": "winner",
        "result_note": "1 место",
        "date": "20.10.2026",
    } | overrides


# --- Who writes (R-I14; R-A06, R-A07) --------------------------------------------------------------------------


def test_the_teacher_of_the_pupil_enters_an_achievement_with_a_scan_and_its_author_R_I14(world):
    teaching(world)
    entry = add(world, world.teacher, world.pupil, subject=make_subject(world.school, "Математика"))
    assert (entry.school, entry.pupil, entry.author, entry.result_note) == (
        world.school,
        world.pupil,
        world.teacher,
        "2 место",
    )
    assert entry.scan_name == "диплом.pdf"
    assert entry.scan.name.startswith(f"portfolio/{world.school.pk}/{world.pupil.pk}/")
    assert entry.history.get().history_user == world.teacher


@pytest.mark.parametrize("role", ["class_teacher", "admin", "deputy"])
def test_the_class_teacher_the_admin_and_the_deputy_enter_achievements_R_I14(world, role):
    entry = add(world, getattr(world, role), world.pupil, scan=False)
    assert entry.author == getattr(world, role)


@pytest.mark.parametrize(
    "role",
    ["other_teacher", "teacher", "director", "pupil", "guardian", "foreign_teacher"],
)
def test_others_never_write_to_the_pupils_portfolio_R_I14_R_A06_R_A07(world, role):
    """`teacher` teaches nothing here; `other_teacher` leads 5Б; the director reads; families never write."""
    with pytest.raises(PortfolioError, match="только его учителя"):
        add(world, getattr(world, role), world.pupil, scan=False)
    assert not Achievement.objects.exists()


def test_a_teacher_of_another_subgroup_does_not_write_for_the_pupil_R_I14(world):
    """A group course counts for the group's members only: the English teacher of the other subgroup is refused."""
    year = world.school_class.year
    classmate = UserFactory(school=world.school, username="classmate", roles=[Role.PUPIL])
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=[classmate], since=year.start)
    group = class_services.group_create(actor=None, year=year, name="5А англ 2", school_class=world.school_class)
    class_services.group_members_set(actor=None, group=group, pupils=[classmate], since=year.start)
    make_course(world.school_class, world.teacher, "Английский язык", 3, group=group)
    add(world, world.teacher, classmate, scan=False)
    with pytest.raises(PortfolioError):
        add(world, world.teacher, world.pupil, scan=False)


def test_a_teacher_whose_pupil_moved_to_another_class_writes_no_more_R_I14(world, clock):
    teaching(world)
    add(world, world.teacher, world.pupil, scan=False)
    class_services.enrollment_move(
        actor=world.admin, pupil=world.pupil, to_class=world.other_class, since=datetime.date(2026, 11, 17)
    )
    # A new request's user: the rights are asked once per request and cached on the user object.
    with pytest.raises(PortfolioError):
        add(world, User.objects.get(pk=world.teacher.pk), world.pupil, scan=False)


def test_a_pupil_of_another_school_is_refused(world):
    with pytest.raises(PortfolioError, match="не обучается в вашей школе"):
        add(world, world.admin, world.foreign_pupil, scan=False)


def test_the_rules_of_an_entry_say_what_is_wrong_in_russian(world, client):
    teaching(world)
    client.force_login(world.teacher)
    url = reverse("portfolio:achievement_new", args=[world.pupil.pk])
    cases = [
        (_form(title="  "), "Укажите название олимпиады"),
        (_form(date="18.11.2026"), "ещё не наступила"),
        (_form(date="01.01.2000"), "слишком давняя"),
        (_form(level="galactic"), "Выберите корректный вариант"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 422, data
        assert message in response.content.decode(), data
    assert not Achievement.objects.exists()
    with pytest.raises(PortfolioError, match="не относится к вашей школе"):
        add(world, world.teacher, world.pupil, scan=False, subject=make_subject(world.other_school, "Физика"))


# --- The scan (size, kind, content) ----------------------------------------------------------------------------


def test_a_scan_of_another_kind_or_a_renamed_file_is_refused_in_russian(world, client):
    teaching(world)
    client.force_login(world.teacher)
    url = reverse("portfolio:achievement_new", args=[world.pupil.pk])
    for upload, message in (
        (SimpleUploadedFile("диплом.exe", b"MZ\x90\x00"), "PDF, JPEG или PNG"),
        (SimpleUploadedFile("диплом.pdf", b"<html>not a pdf</html>"), "не соответствует его расширению"),
    ):
        response = client.post(url, _form(scan=upload))
        assert response.status_code == 422
        assert message in response.content.decode()
    with pytest.raises(PortfolioError):
        services.achievement_add(
            actor=world.teacher,
            school=world.school,
            pupil=world.pupil,
            kind="olympiad",
            title="Олимпиада",
            level="school",
            result="winner",
            date=WON,
            scan=SimpleUploadedFile("скан.png", b"GIF89a..."),
        )
    assert not Achievement.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_a_scan_over_the_size_limit_is_refused_in_russian(world, client):
    teaching(world)
    client.force_login(world.teacher)
    big = SimpleUploadedFile("диплом.png", PNG + b"\x00" * (1024 * 1024))
    response = client.post(reverse("portfolio:achievement_new", args=[world.pupil.pk]), _form(scan=big))
    assert response.status_code == 422
    assert "Скан больше 1 МБ" in response.content.decode()
    assert not Achievement.objects.exists()


# --- The pages: writes ------------------------------------------------------------------------------------------


def test_the_teacher_adds_corrects_and_removes_an_entry_through_the_pages_and_history_keeps_all_R_I14(world, client):
    teaching(world)
    client.force_login(world.teacher)
    response = client.post(
        reverse("portfolio:achievement_new", args=[world.pupil.pk]),
        _form(scan=SimpleUploadedFile("Диплом Иванова.png", PNG)),
    )
    assert response.status_code == 302
    entry = Achievement.objects.get()
    assert (entry.title, entry.level, entry.result, entry.date, entry.author) == (
        "Олимпиада «Математический праздник»",
        "municipal",
        "winner",
        WON,
        world.teacher,
    )
    client.force_login(world.class_teacher)
    response = client.post(
        reverse("portfolio:achievement_edit", args=[entry.pk]),
        _form(result="prize_winner", result_note="2 место", remove_scan="on"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.result, entry.scan.name) == ("prize_winner", "")
    client.force_login(world.deputy)
    assert client.post(reverse("portfolio:achievement_delete", args=[entry.pk])).status_code == 302
    assert not Achievement.objects.exists()
    rows = list(Achievement.history.filter(id=entry.pk).order_by("history_id"))
    assert [(r.history_type, r.history_user, r.result) for r in rows] == [
        ("+", world.teacher, "winner"),
        ("~", world.class_teacher, "prize_winner"),
        ("-", world.deputy, "prize_winner"),
    ]
    assert rows[0].scan  # the first scan's path stays in the history


@pytest.mark.parametrize("role", ["pupil", "guardian", "director", "other_teacher"])
def test_families_and_readers_cannot_post_an_entry_or_change_one_R_A06_R_A07(world, client, role):
    entry = add(world, world.class_teacher, world.pupil, scan=False)
    client.force_login(getattr(world, role))
    assert client.post(reverse("portfolio:achievement_new", args=[world.pupil.pk]), _form()).status_code == 403
    assert client.post(reverse("portfolio:achievement_edit", args=[entry.pk]), _form(title="Чужое")).status_code == 403
    assert client.post(reverse("portfolio:achievement_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert Achievement.objects.count() == 1 and entry.title == "Олимпиада по математике"


def test_another_schools_entry_is_not_found(world, client):
    entry = add(world, world.class_teacher, world.pupil, scan=False)
    client.force_login(world.foreign_teacher)
    for name in ("portfolio:achievement_edit", "portfolio:achievement_delete"):
        assert client.post(reverse(name, args=[entry.pk]), _form()).status_code == 404


# --- The pages: reading -----------------------------------------------------------------------------------------


def test_the_family_reads_the_portfolio_by_year_newest_first_without_buttons_R_I14_R_A07(world, client):
    add(world, world.class_teacher, world.pupil, title="Проект «Птицы»", date=datetime.date(2026, 3, 10), scan=False)
    entry = add(world, world.class_teacher, world.pupil, title="Олимпиада «Кенгуру»")
    add(world, world.other_teacher, world.other_pupil, title="Чужая олимпиада", scan=False)
    for user in (world.pupil, world.guardian):
        client.force_login(user)
        page = client.get(reverse("portfolio:pupil", args=[world.pupil.pk])).content.decode()
        assert page.index("Олимпиада «Кенгуру»") < page.index("Проект «Птицы»")
        assert "2026/2027 учебный год" in page and "2025/2026 учебный год" in page
        assert "Чужая олимпиада" not in page
        assert "призёр" in page.lower() and "муниципальный" in page
        assert reverse("portfolio:scan", args=[world.pupil.pk, entry.pk]) in page
        assert reverse("portfolio:achievement_new", args=[world.pupil.pk]) not in page
        assert reverse("portfolio:achievement_edit", args=[entry.pk]) not in page
        assert 'aria-current="page">Портфолио' in page  # the diary's tab
    # A year asked for shows that year alone.
    page = client.get(reverse("portfolio:pupil", args=[world.pupil.pk]), {"year": world.school_class.year_id})
    assert "Олимпиада «Кенгуру»" in page.content.decode() and "Проект «Птицы»" not in page.content.decode()


def test_the_scan_downloads_as_an_attachment_for_the_family_R_A07(world, client):
    entry = add(world, world.class_teacher, world.pupil)
    client.force_login(world.guardian)
    response = client.get(reverse("portfolio:scan", args=[world.pupil.pk, entry.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a diploma"


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_a_family_never_reaches_another_childs_portfolio_or_scan_R_A07(world, client, role):
    other = add(world, world.other_teacher, world.other_pupil, title="Конкурс 5Б")
    client.force_login(getattr(world, role))
    assert client.get(reverse("portfolio:pupil", args=[world.other_pupil.pk])).status_code == 404
    assert client.get(reverse("portfolio:scan", args=[world.other_pupil.pk, other.pk])).status_code == 404
    # Another child's entry under the own child's path is not found either.
    assert client.get(reverse("portfolio:scan", args=[world.pupil.pk, other.pk])).status_code == 404
    assert client.get(reverse("portfolio:pupil", args=[world.foreign_pupil.pk])).status_code == 404


def test_a_teacher_of_another_class_is_refused_the_portfolio_and_its_scan(world, client):
    entry = add(world, world.class_teacher, world.pupil)
    client.force_login(world.other_teacher)
    assert client.get(reverse("portfolio:pupil", args=[world.pupil.pk])).status_code == 403
    assert client.get(reverse("portfolio:scan", args=[world.pupil.pk, entry.pk])).status_code == 403


def test_writers_see_the_buttons_and_readers_do_not_R_I14(world, client):
    entry = add(world, world.class_teacher, world.pupil, scan=False)
    teaching(world)
    for user, buttons in ((world.teacher, True), (world.deputy, True), (world.director, False)):
        client.force_login(user)
        page = client.get(reverse("portfolio:pupil", args=[world.pupil.pk])).content.decode()
        assert (reverse("portfolio:achievement_edit", args=[entry.pk]) in page) is buttons, user
        assert (reverse("portfolio:achievement_new", args=[world.pupil.pk]) in page) is buttons, user
    # A subject teacher reads no diary: they get the portfolio without the diary's tabs.
    client.force_login(world.teacher)
    assert (
        reverse("diary:marks", args=[world.pupil.pk])
        not in client.get(reverse("portfolio:pupil", args=[world.pupil.pk])).content.decode()
    )


def test_the_portfolio_page_takes_the_same_queries_however_many_entries(world, client, django_assert_max_num_queries):
    client.force_login(world.guardian)
    url = reverse("portfolio:pupil", args=[world.pupil.pk])
    add(world, world.class_teacher, world.pupil)
    client.get(url)  # the day's visit is recorded once
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        add(world, world.class_teacher, world.pupil, title=f"Конкурс {n}", date=WON - datetime.timedelta(days=60 * n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- The deputy's report (R-I14; seed 004 §3.1 п.3) ------------------------------------------------------------


@pytest.fixture
def filled(world):
    """5А: pupil (2 entries this year: municipal and regional; 1 of last year) and two classmates, one with a school
    entry; 5Б: other_pupil with an international entry, and a pupil who left 5Б last month with an entry."""
    year = world.school_class.year
    mates = [UserFactory(school=world.school, username=f"mate{i}", roles=[Role.PUPIL]) for i in range(2)]
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=mates, since=year.start)
    leaver = UserFactory(school=world.school, username="leaver", roles=[Role.PUPIL])
    class_services.pupils_enroll(actor=None, school_class=world.other_class, pupils=[leaver], since=year.start)
    add(world, world.admin, world.pupil, level="municipal", scan=False)
    add(world, world.admin, world.pupil, level="regional", scan=False)
    add(world, world.admin, world.pupil, level="national", date=datetime.date(2026, 5, 5), scan=False)
    add(world, world.admin, mates[0], level="school", scan=False)
    add(world, world.admin, world.other_pupil, level="international", scan=False)
    add(world, world.admin, leaver, level="school", scan=False)
    class_services.enrollment_end(actor=None, pupil=leaver, year=year, last_day=datetime.date(2026, 10, 30))
    return mates


def test_the_report_counts_pupils_with_entries_the_share_and_entries_by_level_R_I14(
    world, filled, django_assert_num_queries
):
    year = world.school_class.year
    with django_assert_num_queries(1):
        lines = class_summary(school=world.school, year=year, day=datetime.date(2026, 11, 17))
    five_a, five_b = lines
    # Levels: school, municipal, regional, all-Russian, international; last year's and the leaver's do not count.
    assert (five_a.school_class, five_a.pupils, five_a.with_entries, five_a.entries, five_a.by_level, five_a.share) == (
        world.school_class,
        3,
        2,
        3,
        [1, 1, 1, 0, 0],
        67,
    )
    assert (five_b.pupils, five_b.with_entries, five_b.entries, five_b.by_level, five_b.share) == (
        1,
        1,
        1,
        [0, 0, 0, 0, 1],
        100,
    )


def test_the_report_page_shows_every_class_to_the_deputy_with_pinned_queries(
    world, filled, client, django_assert_max_num_queries
):
    client.force_login(world.deputy)
    url = reverse("portfolio:report")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        page = client.get(url).content.decode()
    assert "5А" in page and "5Б" in page and "67 %" in page and "100 %" in page
    assert reverse("portfolio:class", args=[world.school_class.pk]) in page
    # More classes, pupils and entries: the same queries.
    year = world.school_class.year
    for letter in "ВГД":
        school_class = class_services.school_class_create(actor=None, year=year, grade=6, letter=letter)
        pupil = UserFactory(school=world.school, roles=[Role.PUPIL])
        class_services.pupils_enroll(actor=None, school_class=school_class, pupils=[pupil], since=year.start)
        add(world, world.admin, pupil, scan=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "6Д" in client.get(url).content.decode()


def test_a_class_teacher_sees_only_their_class_line_and_list(world, filled, client):
    client.force_login(world.class_teacher)
    page = client.get(reverse("portfolio:report")).content.decode()
    assert reverse("portfolio:class", args=[world.school_class.pk]) in page
    assert reverse("portfolio:class", args=[world.other_class.pk]) not in page
    assert client.get(reverse("portfolio:class", args=[world.other_class.pk])).status_code == 403
    page = client.get(reverse("portfolio:class", args=[world.school_class.pk])).content.decode()
    assert "2 из 3" in page  # «Записи за этот год есть у 2 из 3 обучающихся»
    assert reverse("portfolio:pupil", args=[filled[1].pk]) in page


def test_a_subject_teacher_lists_the_classes_they_teach_and_only_their_pupils(world, filled, client):
    year = world.school_class.year
    group = class_services.group_create(actor=None, year=year, name="5А англ 1", school_class=world.school_class)
    class_services.group_members_set(actor=None, group=group, pupils=[world.pupil], since=year.start)
    make_course(world.school_class, world.teacher, "Английский язык", 3, group=group)
    client.force_login(world.teacher)
    page = client.get(reverse("portfolio:report")).content.decode()
    assert reverse("portfolio:class", args=[world.school_class.pk]) in page
    assert "67 %" not in page  # no class's line: the report is not theirs
    page = client.get(reverse("portfolio:class", args=[world.school_class.pk])).content.decode()
    assert reverse("portfolio:pupil", args=[world.pupil.pk]) in page
    assert reverse("portfolio:pupil", args=[filled[0].pk]) not in page
    assert client.get(reverse("portfolio:class", args=[world.other_class.pk])).status_code == 403


def test_the_class_list_takes_the_same_queries_however_many_pupils(
    world, filled, client, django_assert_max_num_queries
):
    client.force_login(world.deputy)
    url = reverse("portfolio:class", args=[world.school_class.pk])
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    year = world.school_class.year
    more = [UserFactory(school=world.school, roles=[Role.PUPIL]) for _ in range(4)]
    class_services.pupils_enroll(actor=None, school_class=world.school_class, pupils=more, since=year.start)
    for pupil in more:
        add(world, world.admin, pupil, scan=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "6 из 7" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_families_never_open_the_report_R_A06_R_A07(world, client, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("portfolio:report")).status_code == 403
    assert client.get(reverse("portfolio:class", args=[world.school_class.pk])).status_code == 403
