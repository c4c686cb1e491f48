"""Class and school news and the events calendar (R-I09 «ведение новостной ленты класса», R-I10 «Еженедельно
вносится информация о предстоящей неделе»): the class teacher keeps their class's, the administration the school's,
families read their class's and the school's, read-only (R-A06, R-A07)."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from diary import news as services
from diary.models import DiaryVisit, Event, News
from diary.news import DiaryError
from diary.selectors_news import events_for_class, news_for_class
from ejournal.demo_news import add_news_and_events
from schedule.models import AcademicYear
from schedule.services import classes as class_services

# The personas' clock: Tuesday 17 November 2026; the week runs from Monday the 16th.
MONDAY = datetime.date(2026, 11, 16)
FRIDAY = datetime.date(2026, 11, 20)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


def _news(world, author=None, school_class="own", title="Экскурсия в музей", text="Сбор у школы в 9:00."):
    if school_class == "own":
        school_class = world.school_class
    return services.news_post(
        actor=author or world.class_teacher, school=world.school, school_class=school_class, title=title, text=text
    )


def _event(world, author=None, school_class="own", day=FRIDAY, title="Классный час", **kwargs):
    if school_class == "own":
        school_class = world.school_class
    return services.event_add(
        actor=author or world.class_teacher,
        school=world.school,
        school_class=school_class,
        date=day,
        title=title,
        **kwargs,
    )


def _news_form(school_class="", title="Субботник", text="Приходите в субботу к 10:00."):
    return {"school_class": school_class, "title": title, "text": text}


def _event_form(school_class="", day="2026-11-20", title="Поход в театр", start="", end="", place="", description=""):
    return {
        "school_class": school_class,
        "date": day,
        "start": start,
        "end": end,
        "title": title,
        "place": place,
        "description": description,
    }


# --- Services: who posts where (R-I09, R-I10) ------------------------------------------------------------------


def test_the_class_teacher_posts_their_class_news_now_R_I09(world, clock):
    news = _news(world, title="  Экскурсия в музей  ")
    assert (news.school, news.school_class, news.author, news.title) == (
        world.school,
        world.school_class,
        world.class_teacher,
        "Экскурсия в музей",
    )
    assert news.published_at == datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC)
    assert AuditEntry.objects.filter(action="diary.news.posted", object_id=str(news.pk)).exists()


def test_the_class_teacher_adds_the_coming_weeks_event_of_their_class_R_I10(world):
    event = _event(world, day=NEXT_MONDAY, start=datetime.time(14, 0), end=datetime.time(14, 45), place="Кабинет 12")
    assert (event.school_class, event.date, event.place, event.author) == (
        world.school_class,
        NEXT_MONDAY,
        "Кабинет 12",
        world.class_teacher,
    )


def test_a_class_teacher_posts_nothing_for_another_class_R_I09(world):
    with pytest.raises(DiaryError, match="только его классный руководитель"):
        _news(world, school_class=world.other_class)
    with pytest.raises(DiaryError):
        _event(world, school_class=world.other_class)
    with pytest.raises(DiaryError, match="только администрация"):
        _news(world, school_class=None)
    assert not News.objects.exists() and not Event.objects.exists()


def test_a_teacher_who_leads_no_class_posts_nothing_R_I09(world):
    with pytest.raises(DiaryError):
        _news(world, author=world.teacher)
    with pytest.raises(DiaryError):
        _news(world, author=world.teacher, school_class=None)
    with pytest.raises(DiaryError):
        _event(world, author=world.teacher)


@pytest.mark.parametrize("role", ["admin", "director", "deputy"])
def test_the_administration_posts_school_wide_and_for_any_class_R_I09(world, role):
    user = getattr(world, role)
    assert _news(world, author=user, school_class=None).school_class is None
    assert _news(world, author=user, school_class=world.other_class).school_class == world.other_class
    assert _event(world, author=user, school_class=None).school_class is None


def test_families_never_post(world):
    for user in (world.pupil, world.guardian):
        with pytest.raises(DiaryError):
            _news(world, author=user)
        with pytest.raises(DiaryError):
            _event(world, author=user, school_class=None)


def test_a_class_teacher_who_gave_up_the_class_no_longer_posts_or_edits_there(world):
    news = _news(world)
    class_services.school_class_update(
        actor=world.admin,
        school_class=world.school_class,
        letter=world.school_class.letter,
        class_teacher=world.teacher,
        bell_schedule=None,
    )
    world.class_teacher._ej_led_classes = None  # a new request
    with pytest.raises(DiaryError):
        services.news_update(actor=world.class_teacher, news=news, school_class=world.school_class, title="x", text="y")
    # The new class teacher keeps the feed from now on, but does not rewrite what the predecessor wrote.
    world.teacher._ej_led_classes = None
    assert _news(world, author=world.teacher).author == world.teacher
    with pytest.raises(DiaryError, match="только автор"):
        services.news_delete(actor=world.teacher, news=news)


def test_the_author_and_the_administration_edit_and_delete(world):
    news = _news(world)
    services.news_update(
        actor=world.class_teacher, news=news, school_class=world.school_class, title="Новое", text="Текст"
    )
    news.refresh_from_db()
    assert (news.title, news.text) == ("Новое", "Текст")
    services.news_update(actor=world.deputy, news=news, school_class=None, title="Для всех", text="Текст")
    news.refresh_from_db()
    assert news.school_class is None and news.author == world.class_teacher
    event = _event(world)
    services.event_delete(actor=world.class_teacher, event=event)
    services.news_delete(actor=world.director, news=news)
    assert not News.objects.exists() and not Event.objects.exists()
    assert AuditEntry.objects.filter(action__in=["diary.news.deleted", "diary.event.deleted"]).count() == 2


@pytest.mark.parametrize(
    ("title", "text", "message"),
    [
        ("", "Текст", "заголовок"),
        ("   ", "Текст", "заголовок"),
        ("Заголовок", "  ", "текст новости"),
        ("Заголовок", "x" * 5001, "длиннее 5000"),
        ("x" * 201, "Текст", "длиннее 200"),
    ],
)
def test_news_needs_a_title_and_a_text_of_up_to_5000_characters(world, title, text, message):
    with pytest.raises(DiaryError, match=message):
        _news(world, title=title, text=text)
    assert not News.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"day": datetime.date(2026, 8, 31)}, "в пределах 2026/2027 учебного года: с 01.09.2026 по 31.08.2027"),
        ({"day": datetime.date(2027, 9, 1)}, "в пределах"),
        ({"start": datetime.time(15, 0), "end": datetime.time(14, 0)}, "заканчиваться позже"),
        ({"start": datetime.time(15, 0), "end": datetime.time(15, 0)}, "заканчиваться позже"),
        ({"end": datetime.time(15, 0)}, "время начала"),
        ({"title": " "}, "название мероприятия"),
        ({"school_class": None, "day": datetime.date(2027, 9, 1)}, "не входит ни в один открытый учебный год"),
    ],
)
def test_an_event_is_dated_within_the_year_and_ends_after_it_starts_R_I10(world, kwargs, message):
    with pytest.raises(DiaryError, match=message):
        _event(world, author=world.deputy if kwargs.get("school_class", "own") is None else None, **kwargs)
    assert not Event.objects.exists()


def test_nothing_is_posted_or_changed_for_a_closed_years_class(world):
    news = _news(world)
    AcademicYear.objects.filter(pk=world.school_class.year_id).update(is_archived=True)
    world.school_class.year.refresh_from_db()
    news = News.objects.select_related("school_class__year").get(pk=news.pk)
    for actor in (world.admin, world.class_teacher):
        with pytest.raises(DiaryError, match="учебный год закрыт"):
            _news(world, author=actor)
        with pytest.raises(DiaryError, match="учебный год закрыт"):
            services.news_delete(actor=actor, news=news)
    assert News.objects.count() == 1


def test_a_class_of_another_school_is_refused(world):
    with pytest.raises(DiaryError):
        _news(world, author=world.admin, school_class=world.foreign_class)


# --- Permissions ---------------------------------------------------------------------------------------------------


def test_the_permissions_follow_the_rules_R_I09(world):
    assert world.class_teacher.has_perm("diary.manage_news")
    assert world.class_teacher.has_perm("diary.post_news", world.school_class)
    assert not world.class_teacher.has_perm("diary.post_news", world.other_class)
    assert not world.class_teacher.has_perm("diary.post_news", None)
    assert world.deputy.has_perm("diary.post_news", None)
    assert world.deputy.has_perm("diary.post_news", world.other_class)
    for user in (world.teacher, world.pupil, world.guardian):
        assert not user.has_perm("diary.manage_news")
        assert not user.has_perm("diary.post_news", world.school_class)
    news = _news(world, author=world.other_teacher, school_class=world.other_class)
    assert not world.class_teacher.has_perm("diary.change_news", news)
    assert world.other_teacher.has_perm("diary.change_news", news)
    assert world.director.has_perm("diary.change_news", news)
    assert not world.foreign_teacher.has_perm("diary.change_news", news)


# --- Staff pages ---------------------------------------------------------------------------------------------------


def test_the_class_teacher_posts_through_the_page_R_I09(client, world):
    client.force_login(world.class_teacher)
    page = client.get(reverse("diary:news_new"))
    assert page.status_code == 200
    choices = [str(c) for c in page.context["form"].fields["school_class"].queryset]
    assert choices == ["5А"]  # their own class only, and no "whole school"
    assert "Вся школа" not in page.content.decode()
    response = client.post(reverse("diary:news_new"), _news_form(world.school_class.pk), follow=True)
    assert response.redirect_chain[-1][0] == reverse("diary:news_list")
    assert "Новость опубликована." in response.content.decode()
    assert News.objects.get().school_class == world.school_class


def test_the_class_teacher_cannot_post_for_another_class_through_the_page_R_I09(client, world):
    client.force_login(world.class_teacher)
    for url, data in (
        (reverse("diary:news_new"), _news_form(world.other_class.pk)),
        (reverse("diary:event_new"), _event_form(world.other_class.pk)),
        (reverse("diary:news_new"), _news_form("")),
    ):
        response = client.post(url, data)
        assert response.status_code == 422
    assert not News.objects.exists() and not Event.objects.exists()


def test_a_teacher_who_leads_no_class_is_refused_the_pages(client, world):
    client.force_login(world.teacher)
    for name in ("diary:news_list", "diary:news_new", "diary:event_list", "diary:event_new"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("diary:news_new"), _news_form(world.school_class.pk)).status_code == 403
    assert not News.objects.exists()


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_families_never_post_through_the_pages_R_A06_R_A07(client, world, role):
    client.force_login(getattr(world, role))
    assert client.post(reverse("diary:news_new"), _news_form(world.school_class.pk)).status_code == 403
    assert client.post(reverse("diary:event_new"), _event_form(world.school_class.pk)).status_code == 403
    news = _news(world)
    event = _event(world)
    assert client.post(reverse("diary:news_delete", args=[news.pk])).status_code == 403
    assert client.post(reverse("diary:event_edit", args=[event.pk]), _event_form(title="x")).status_code == 403
    assert News.objects.count() == 1 and Event.objects.get().title == "Классный час"


def test_the_deputy_posts_school_wide_news_and_events_R_I09_R_I10(client, world):
    client.force_login(world.deputy)
    page = client.get(reverse("diary:news_new"))
    assert "Вся школа" in page.content.decode()
    assert client.post(reverse("diary:news_new"), _news_form("")).status_code == 302
    assert News.objects.get().school_class is None
    response = client.post(reverse("diary:event_new"), _event_form("", start="10:00", end="11:30"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('diary:event_list')}?week=2026-11-16"
    event = Event.objects.get()
    assert (event.school_class, event.start, event.end) == (None, datetime.time(10), datetime.time(11, 30))


def test_a_class_teacher_cannot_edit_another_authors_news_or_events(client, world):
    theirs = _news(world, author=world.other_teacher, school_class=world.other_class)
    admins = _news(world, author=world.admin, title="От администрации")
    event = _event(world, author=world.other_teacher, school_class=world.other_class)
    client.force_login(world.class_teacher)
    for news in (theirs, admins):
        assert client.get(reverse("diary:news_edit", args=[news.pk])).status_code == 403
        assert client.post(reverse("diary:news_edit", args=[news.pk]), _news_form("", title="x")).status_code == 403
        assert client.post(reverse("diary:news_delete", args=[news.pk])).status_code == 403
    assert client.post(reverse("diary:event_delete", args=[event.pk])).status_code == 403
    assert News.objects.filter(title="x").count() == 0 and News.objects.count() == 2 and Event.objects.count() == 1
    # The list shows the school's news but offers no edit link for it.
    page = client.get(reverse("diary:news_list"))
    assert [n.can_edit for n in page.context["page"].object_list] == [False]
    assert "От администрации" in page.content.decode() and "Экскурсия" not in page.content.decode()


def test_the_author_edits_and_deletes_through_the_pages(client, world):
    news = _news(world)
    client.force_login(world.class_teacher)
    page = client.get(reverse("diary:news_edit", args=[news.pk]))
    assert page.status_code == 200 and "Экскурсия в музей" in page.content.decode()
    response = client.post(
        reverse("diary:news_edit", args=[news.pk]), _news_form(world.school_class.pk, title="Экскурсия отменена")
    )
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.title == "Экскурсия отменена"
    response = client.post(reverse("diary:news_delete", args=[news.pk]), follow=True)
    assert "Новость «Экскурсия отменена» удалена." in response.content.decode()
    assert not News.objects.exists()

    event = _event(world)
    response = client.post(
        reverse("diary:event_edit", args=[event.pk]),
        _event_form(world.school_class.pk, day="2026-11-24", title="Классный час перенесён"),
    )
    assert response["Location"] == f"{reverse('diary:event_list')}?week=2026-11-23"
    event.refresh_from_db()
    assert (event.date, event.title) == (datetime.date(2026, 11, 24), "Классный час перенесён")
    assert client.post(reverse("diary:event_delete", args=[event.pk])).status_code == 302
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_news_form(title=""), "Укажите заголовок новости."),
        (_news_form(text=""), "Напишите текст новости."),
        (_news_form(text="x" * 5001), "5000"),
    ],
)
def test_a_wrong_news_form_is_shown_again_and_changes_nothing(client, world, data, message):
    news = _news(world)
    client.force_login(world.class_teacher)
    data = {**data, "school_class": world.school_class.pk}
    response = client.post(reverse("diary:news_new"), data)
    assert response.status_code == 422 and message in response.content.decode()
    response = client.post(reverse("diary:news_edit", args=[news.pk]), data)
    assert response.status_code == 422 and message in response.content.decode()
    news.refresh_from_db()
    assert (News.objects.count(), news.title, news.text) == (1, "Экскурсия в музей", "Сбор у школы в 9:00.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_event_form(start="15:00", end="14:00"), "Мероприятие должно заканчиваться позже, чем начинается."),
        (_event_form(day="2027-09-01"), "Дата должна быть в пределах 2026/2027 учебного года"),
        (_event_form(day="31.02.2027"), "Введите правильную дату"),
        (_event_form(day=""), "Укажите дату мероприятия."),
        (_event_form(title=""), "Укажите название мероприятия."),
        (_event_form(start="25:00"), "Введите правильное время"),
    ],
)
def test_a_wrong_event_form_is_shown_again_and_changes_nothing_R_I10(client, world, data, message):
    event = _event(world)
    client.force_login(world.class_teacher)
    data = {**data, "school_class": world.school_class.pk}
    response = client.post(reverse("diary:event_new"), data)
    assert response.status_code == 422 and message in response.content.decode()
    response = client.post(reverse("diary:event_edit", args=[event.pk]), data)
    assert response.status_code == 422 and message in response.content.decode()
    event.refresh_from_db()
    assert (Event.objects.count(), event.title, event.date) == (1, "Классный час", FRIDAY)


def test_the_news_list_shows_what_the_user_keeps_newest_first(client, world, clock):
    _news(world, author=world.admin, school_class=None, title="Школьная")
    clock.shift(datetime.timedelta(hours=1))
    _news(world, title="Нашего класса")
    clock.shift(datetime.timedelta(hours=1))
    _news(world, author=world.other_teacher, school_class=world.other_class, title="Чужого класса")
    client.force_login(world.class_teacher)
    titles = [n.title for n in client.get(reverse("diary:news_list")).context["page"].object_list]
    assert titles == ["Нашего класса", "Школьная"]
    client.force_login(world.deputy)
    titles = [n.title for n in client.get(reverse("diary:news_list")).context["page"].object_list]
    assert titles == ["Чужого класса", "Нашего класса", "Школьная"]


def test_the_news_list_is_paginated_by_20(client, world):
    for i in range(23):
        _news(world, title=f"Новость {i}")
    client.force_login(world.class_teacher)
    page = client.get(reverse("diary:news_list")).context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (20, 2)
    assert len(client.get(reverse("diary:news_list"), {"page": "2"}).context["page"].object_list) == 3
    assert client.get(reverse("diary:news_list"), {"page": "abc"}).status_code == 200


def test_the_week_of_events_moves_by_weeks_and_reminds_of_the_coming_week_R_I10(client, world):
    _event(world, day=FRIDAY, title="Классный час")
    _event(world, author=world.deputy, school_class=None, day=MONDAY, title="Линейка")
    _event(world, author=world.other_teacher, school_class=world.other_class, day=FRIDAY, title="Поход 5Б")
    client.force_login(world.class_teacher)
    page = client.get(reverse("diary:event_list"))
    text = page.content.decode()
    assert "Классный час" in text and "Линейка" in text and "Поход 5Б" not in text
    assert "Еженедельно вносите информацию о мероприятиях предстоящей недели" in text
    assert "На предстоящую неделю для класса 5А ещё ничего не внесено." in text
    assert page.context["next_url"].endswith("?week=2026-11-23")
    assert page.context["previous_url"].endswith("?week=2026-11-09")
    _event(world, day=NEXT_MONDAY + datetime.timedelta(days=2), title="Театр")
    page = client.get(reverse("diary:event_list"), {"week": "2026-11-25"})
    assert page.context["monday"] == NEXT_MONDAY
    assert page.context["gaps"] == []
    assert "Театр" in page.content.decode() and "Классный час" not in page.content.decode()
    assert client.get(reverse("diary:event_list"), {"week": "не дата"}).context["monday"] == MONDAY


def test_a_new_event_starts_on_the_day_chosen_in_the_week(client, world):
    client.force_login(world.class_teacher)
    form = client.get(reverse("diary:event_new"), {"date": "2026-11-26"}).context["form"]
    assert form.initial["date"] == datetime.date(2026, 11, 26)
    assert form.initial["school_class"] == world.school_class.pk


def test_the_staff_pages_take_the_same_queries_however_many_items(client, world, django_assert_max_num_queries):
    client.force_login(world.class_teacher)
    for i in range(3):
        _news(world, title=f"Новость {i}")
        _event(world, title=f"Событие {i}")
    client.get(reverse("diary:news_list"))
    with django_assert_max_num_queries(7) as few:
        client.get(reverse("diary:news_list"))
    with django_assert_max_num_queries(7) as few_events:
        client.get(reverse("diary:event_list"))
    for i in range(15):
        _news(world, author=world.deputy, school_class=None, title=f"Школьная {i}")
        _event(world, author=world.deputy, school_class=None, day=MONDAY, title=f"Школьное {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("diary:news_list")).context["page"].object_list) == 18
    with django_assert_max_num_queries(len(few_events.captured_queries)):
        client.get(reverse("diary:event_list"))


# --- The family's page (R-I09, R-I10) --------------------------------------------------------------------------------


def _family_items(world):
    _news(world, title="Новость 5А")
    _news(world, author=world.director, school_class=None, title="Новость школы")
    _news(world, author=world.other_teacher, school_class=world.other_class, title="Новость 5Б")
    _event(world, day=FRIDAY, title="Классный час 5А")
    _event(world, author=world.deputy, school_class=None, day=NEXT_MONDAY, title="Линейка школы")
    _event(world, author=world.other_teacher, school_class=world.other_class, day=FRIDAY, title="Поход 5Б")
    # The week after next is shown; the one after that is not yet.
    _event(world, day=MONDAY + datetime.timedelta(days=20), title="Театр через две недели")
    _event(world, day=MONDAY + datetime.timedelta(days=21), title="Слишком далеко")
    _event(world, day=MONDAY - datetime.timedelta(days=1), title="Прошедшее")


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_the_family_sees_the_classs_and_the_schools_news_and_events_only_R_I09_R_I10(client, world, role):
    _family_items(world)
    client.force_login(getattr(world, role))
    response = client.get(reverse("diary:news", args=[world.pupil.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for shown in ("Новость 5А", "Новость школы", "Классный час 5А", "Линейка школы", "Театр через две недели"):
        assert shown in text
    for hidden in ("Новость 5Б", "Поход 5Б", "Слишком далеко", "Прошедшее"):
        assert hidden not in text
    assert "Изменить" not in text and "Удалить" not in text  # read-only (R-A06, R-A07)
    weeks = response.context["weeks"]
    assert [w.monday for w in weeks] == [MONDAY, NEXT_MONDAY, NEXT_MONDAY + datetime.timedelta(days=7)]
    assert [e.title for d in weeks[0].busy_days for e in d.events] == ["Классный час 5А"]


def test_a_pupil_in_no_class_sees_the_schools_only(client, world):
    _family_items(world)
    class_services.enrollment_end(
        actor=world.admin, pupil=world.pupil, year=world.school_class.year, last_day=datetime.date(2026, 11, 16)
    )
    client.force_login(world.guardian)
    text = client.get(reverse("diary:news", args=[world.pupil.pk])).content.decode()
    assert "Новость школы" in text and "Линейка школы" in text
    assert "Новость 5А" not in text and "Новость 5Б" not in text


@pytest.mark.parametrize("role", ["pupil", "guardian"])
def test_another_pupils_news_page_does_not_exist_for_a_family_R_A07(client, world, role):
    client.force_login(getattr(world, role))
    for pupil in (world.other_pupil, world.foreign_pupil):
        assert client.get(reverse("diary:news", args=[pupil.pk])).status_code == 404
    assert client.get(reverse("diary:news", args=[world.guardian.pk])).status_code == 404


def test_opening_the_news_counts_as_a_familys_visit_to_the_diary_R_I12(client, world):
    client.force_login(world.guardian)
    client.get(reverse("diary:news", args=[world.pupil.pk]))
    client.force_login(world.class_teacher)
    client.get(reverse("diary:news", args=[world.pupil.pk]))
    assert list(DiaryVisit.objects.values_list("user", "day")) == [(world.guardian.pk, datetime.date(2026, 11, 17))]


def test_the_family_page_is_read_only(client, world):
    client.force_login(world.guardian)
    assert client.post(reverse("diary:news", args=[world.pupil.pk])).status_code == 405


def test_the_family_news_are_paginated(client, world):
    for i in range(12):
        _news(world, title=f"Новость {i}")
    client.force_login(world.pupil)
    page = client.get(reverse("diary:news", args=[world.pupil.pk])).context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (10, 2)
    assert page.object_list[0].title == "Новость 11"


def test_the_family_page_takes_the_same_queries_however_many_items(client, world, django_assert_max_num_queries):
    _family_items(world)
    client.force_login(world.guardian)
    url = reverse("diary:news", args=[world.pupil.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(12):
        _news(world, title=f"Ещё {i}")
        _event(world, author=world.deputy, school_class=None, day=MONDAY + datetime.timedelta(days=i), title=f"Ещё {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_selectors_give_the_classs_and_the_schools(world):
    _family_items(world)
    titles = {n.title for n in news_for_class(school=world.school, school_class=world.school_class)}
    assert titles == {"Новость 5А", "Новость школы"}
    assert {n.title for n in news_for_class(school=world.school, school_class=None)} == {"Новость школы"}
    assert [n.title for n in news_for_class(school=world.other_school, school_class=None)] == []
    events = events_for_class(school=world.school, school_class=world.school_class, start=MONDAY, end=NEXT_MONDAY)
    assert [e.title for e in events] == ["Классный час 5А", "Линейка школы"]


# --- The demo ------------------------------------------------------------------------------------------------------


def test_the_demo_adds_school_news_and_each_classs_news_and_coming_week(world):
    year, day = world.school_class.year, datetime.date(2026, 11, 17)
    made = add_news_and_events(school=world.school, year=year, today=day)
    assert {n.author for n in made if n.school_class is None} == {world.admin, world.director}
    for school_class in (world.school_class, world.other_class):
        news = News.objects.filter(school_class=school_class)
        assert 1 <= news.count() <= 2 and {n.author for n in news} == {school_class.class_teacher}
        events = Event.objects.filter(school_class=school_class)
        assert 2 <= events.count() <= 3
        assert all(NEXT_MONDAY <= e.date < NEXT_MONDAY + datetime.timedelta(days=7) for e in events)
    assert add_news_and_events(school=world.school, year=year, today=day) == []
