"""Permission-matrix rows of class and school news and the events calendar (R-I09, R-I10; R-A06, R-A07)."""

import datetime

from diary import news as news_services

from . import REDIRECT, STAFF_READERS, Case, only

OTHER_SCHOOL = {"foreign_teacher": 404}
# Whoever leads a class keeps its news, in their own school too: the foreign teacher leads 5А of their school.
KEEPERS = (*STAFF_READERS, "class_teacher", "foreign_teacher")
EVENT_DAY = datetime.date(2026, 11, 20)


def _news(w, author, school_class, title):
    return news_services.news_post(
        actor=author,
        school=w.school,
        school_class=school_class,
        title=title,
        text="Подробности у классного руководителя.",
    )


def _event(w, author, school_class, title):
    return news_services.event_add(
        actor=author, school=w.school, school_class=school_class, date=EVENT_DAY, title=title
    )


def cached(attr, make):
    def kwargs(w):
        if not hasattr(w, attr):
            setattr(w, attr, make(w))
        obj = getattr(w, attr)
        return {"news_id": obj.pk} if attr.startswith("_nw_news") else {"event_id": obj.pk}

    return kwargs


class_news = cached("_nw_news_class", lambda w: _news(w, w.class_teacher, w.school_class, "Экскурсия 5А"))
school_news = cached("_nw_news_school", lambda w: _news(w, w.deputy, None, "День открытых дверей"))
other_class_news = cached("_nw_news_other", lambda w: _news(w, w.other_teacher, w.other_class, "Собрание 5Б"))
class_event = cached("_nw_event_class", lambda w: _event(w, w.class_teacher, w.school_class, "Театр"))
school_event = cached("_nw_event_school", lambda w: _event(w, w.deputy, None, "Линейка"))
other_class_event = cached("_nw_event_other", lambda w: _event(w, w.other_teacher, w.other_class, "Поход 5Б"))


def fresh_class_news(w):
    """A new item on every call: each role that may delete one deletes its own."""
    return {"news_id": _news(w, w.class_teacher, w.school_class, "Удаляемая новость").pk}


def fresh_other_class_news(w):
    return {"news_id": _news(w, w.other_teacher, w.other_class, "Удаляемая новость 5Б").pk}


def fresh_class_event(w):
    return {"event_id": _event(w, w.class_teacher, w.school_class, "Удаляемое событие").pk}


def own_pupil(w):
    return {"pupil_id": w.pupil.pk}


def other_pupil(w):
    return {"pupil_id": w.other_pupil.pk}


CLASS_ITEM = only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL
SCHOOL_ITEM = only(*STAFF_READERS) | OTHER_SCHOOL

ROWS: dict[str, list[Case]] = {
    # The family's page: the pupil, their parents, the class teacher and the administration (diary.view_diary);
    # another family's child does not exist for a family (404), a colleague without the right is refused.
    "diary:news": [
        Case("own pupil", only(*STAFF_READERS, "class_teacher", "pupil", "guardian") | OTHER_SCHOOL, kwargs=own_pupil),
        Case(
            "another class's pupil",
            only(*STAFF_READERS) | {"pupil": 404, "guardian": 404} | OTHER_SCHOOL,
            kwargs=other_pupil,
        ),
    ],
    "diary:news_list": [Case("list", only(*KEEPERS))],
    "diary:news_new": [
        Case("form", only(*KEEPERS)),
        Case("empty form", only(*KEEPERS, ok=422), method="post"),
    ],
    "diary:news_edit": [
        Case("the class's news by its class teacher", CLASS_ITEM, kwargs=class_news),
        Case(
            "empty form", only(*STAFF_READERS, "class_teacher", ok=422) | OTHER_SCHOOL, kwargs=class_news, method="post"
        ),
        Case("the school's news", SCHOOL_ITEM, kwargs=school_news),
        Case("another class's news", SCHOOL_ITEM, kwargs=other_class_news),
    ],
    "diary:news_delete": [
        Case(
            "the class's news",
            only(*STAFF_READERS, "class_teacher", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=fresh_class_news,
            method="post",
        ),
        Case(
            "another class's news",
            only(*STAFF_READERS, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=fresh_other_class_news,
            method="post",
        ),
    ],
    "diary:event_list": [Case("week", only(*KEEPERS))],
    "diary:event_new": [
        Case("form", only(*KEEPERS)),
        Case("empty form", only(*KEEPERS, ok=422), method="post"),
    ],
    "diary:event_edit": [
        Case("the class's event by its class teacher", CLASS_ITEM, kwargs=class_event),
        Case(
            "empty form",
            only(*STAFF_READERS, "class_teacher", ok=422) | OTHER_SCHOOL,
            kwargs=class_event,
            method="post",
        ),
        Case("the school's event", SCHOOL_ITEM, kwargs=school_event),
        Case("another class's event", SCHOOL_ITEM, kwargs=other_class_event),
    ],
    "diary:event_delete": [
        Case(
            "the class's event",
            only(*STAFF_READERS, "class_teacher", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=fresh_class_event,
            method="post",
        ),
    ],
}
