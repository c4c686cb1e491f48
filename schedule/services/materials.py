"""Teaching materials of a lesson (R-G03, seed 004 §5.1 п.4): files, links and tests or exercises written out, posted
by whoever fills the lesson, usually ahead of it. Pupils and parents see them from the lesson's date (the diary asks
`visible_to_families`); every change keeps its history with its author."""

import datetime
import os
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from ejournal.clock import now

from ..models import Lesson, LessonMaterial
from . import ScheduleError
from .homework import checked_upload_name

MAX_MATERIALS = 20
MAX_TEXT = 10000
_URL = URLValidator(schemes=["http", "https"])


def visible_to_families(lesson_date: datetime.date, school_timezone: str) -> bool:
    """Materials open to pupils and parents on the lesson's day, not before: a test set for Friday stays unseen until
    Friday (R-G03)."""
    return lesson_date <= now().astimezone(zoneinfo.ZoneInfo(school_timezone)).date()


def _fresh(lesson: Lesson) -> Lesson:
    return Lesson.objects.select_related("course__year", "school").get(pk=lesson.pk)


def _check_open(lesson: Lesson) -> None:
    if lesson.course.year.is_archived:
        raise ScheduleError(
            _("The year %(year)s is closed: its lessons no longer change.") % {"year": lesson.course.year}
        )
    if lesson.status == Lesson.Status.CANCELLED:
        raise ScheduleError(_("The lesson is cancelled."))


def clean_url(url: str) -> str:
    url = (url or "").strip()
    if len(url) > 500:
        raise ScheduleError(_("The link is longer than 500 characters."))
    try:
        _URL(url)
    except ValidationError as e:
        raise ScheduleError(_("Give a web address that starts with http:// or https://.")) from e
    return url


def _store(material: LessonMaterial, upload, name: str) -> None:
    extension = os.path.splitext(name)[1].lower()
    material.file_name, material.file_size = name, upload.size
    # The stored name is ours: the user's name is kept for display and download only.
    material.file.save(f"{material.lesson_id}-{now():%Y%m%d%H%M%S%f}{extension}", upload, save=False)


def _fields(kind: str, title: str, url: str, text: str, upload, *, adding: bool) -> tuple[str, str, str]:
    title = " ".join((title or "").split())
    text = (text or "").strip()
    if kind == LessonMaterial.Kind.LINK:
        url = clean_url(url)
        text = ""
    elif kind == LessonMaterial.Kind.TEXT:
        url = ""
        if not text:
            raise ScheduleError(_("Write the test or the exercises."))
        if len(text) > MAX_TEXT:
            raise ScheduleError(_("The text is longer than %(count)s characters.") % {"count": MAX_TEXT})
    elif kind == LessonMaterial.Kind.FILE:
        url, text = "", ""
        if adding and upload is None:
            raise ScheduleError(_("Choose the file."))
    else:
        raise ScheduleError(_("Choose what the material is: a file, a link or a test."))
    if not title:
        if kind == LessonMaterial.Kind.FILE and upload is not None:
            title = os.path.basename(upload.name or "")
        elif kind == LessonMaterial.Kind.LINK:
            title = url
        else:
            raise ScheduleError(_("Give the material a title."))
    return title[:200], url, text


@transaction.atomic
def material_add(
    *, actor: User, lesson: Lesson, kind: str, title: str = "", url: str = "", text: str = "", upload=None
) -> LessonMaterial:
    """A material for the lesson: a file (of the kinds homework accepts), a link (http or https) or a text."""
    lesson = _fresh(lesson)
    _check_open(lesson)
    title, url, text = _fields(kind, title, url, text, upload, adding=True)
    name = checked_upload_name(upload) if kind == LessonMaterial.Kind.FILE else ""
    # Counted under the lesson's lock, so that two teachers' posts at once keep the limit.
    Lesson.objects.select_for_update().filter(pk=lesson.pk).first()
    if LessonMaterial.objects.filter(lesson=lesson).count() >= MAX_MATERIALS:
        raise ScheduleError(_("A lesson has at most %(count)s materials.") % {"count": MAX_MATERIALS})
    moment = now()
    material = LessonMaterial(
        school_id=lesson.school_id,
        lesson=lesson,
        kind=kind,
        title=title,
        url=url,
        text=text,
        author=actor,
        created_at=moment,
        updated_at=moment,
    )
    if name:
        _store(material, upload, name)
    material._history_user = actor
    material.save()
    return material


@transaction.atomic
def material_update(
    *, actor: User, material: LessonMaterial, title: str = "", url: str = "", text: str = "", upload=None
) -> LessonMaterial:
    """Another title, link, text or file; the kind stays (post another material for another kind)."""
    material = LessonMaterial.objects.select_for_update().get(pk=material.pk)
    lesson = _fresh(material.lesson)
    _check_open(lesson)
    title, url, text = _fields(material.kind, title, url, text, upload, adding=False)
    old_file = None
    if upload is not None:
        if material.kind != LessonMaterial.Kind.FILE:
            raise ScheduleError(_("Only a file material takes a file."))
        name = checked_upload_name(upload)
        old_file = material.file.name
        _store(material, upload, name)
    elif (material.title, material.url, material.text) == (title, url, text):
        return material
    material.title, material.url, material.text = title, url, text
    material.updated_at = now()
    material._history_user = actor
    material.save()
    if old_file:
        # The history keeps the old name only; its content is replaced, as the teacher asked.
        material.file.storage.delete(old_file)
    return material


@transaction.atomic
def material_remove(*, actor: User, material: LessonMaterial) -> None:
    """Remove the material and its file; its history keeps what it was and who removed it."""
    material = LessonMaterial.objects.select_for_update().get(pk=material.pk)
    _check_open(_fresh(material.lesson))
    if material.file:
        material.file.delete(save=False)
    material._history_user = actor
    material.delete()
