"""Uploaded files are personal data (issue 10 item 5): homework files and scans of documents are limited in size and
kind (by name and by content), stored under MEDIA_ROOT (outside static/) under names of ours, never served at
MEDIA_URL, only through views that ask the permission layer and answer with an attachment."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse

from gradebook import late_changes
from gradebook.marks import mark_set
from gradebook.models import LateChangeRequest
from schedule.forms_homework import HomeworkFileForm
from schedule.models import HomeworkFile
from tests.matrix.journal import DAY, journal_course, lesson_of, work_on
from tests.matrix.lessons import lesson

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def with_homework(client, world):
    the_lesson = lesson(world)
    client.force_login(world.teacher)
    response = client.post(reverse("schedule:homework_set", args=[the_lesson.pk]), {"text": "Выучить правило"})
    assert response.status_code == 302
    return the_lesson


def attach(client, the_lesson, name: str, content: bytes):
    url = reverse("schedule:homework_file_add", args=[the_lesson.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("Карточка.pdf", b"MZ\x90\x00 a program renamed", "не соответствует"),
        ("Карточка.png", b"<html><script>alert(1)</script></html>", "не соответствует"),
        ("Карточка.docx", PDF, "не соответствует"),
        ("Карточка.html", b"<html></html>", "не принимаются"),
        ("Карточка.exe", b"MZ", "не принимаются"),
        ("Карточка", PDF, "не принимаются"),
    ],
    ids=["a program named .pdf", "a web page named .png", "a PDF named .docx", "a web page", "a program", "no kind"],
)
def test_a_file_of_another_kind_is_refused_and_nothing_is_stored(client, world, name, content, words):
    the_lesson = with_homework(client, world)
    response = attach(client, the_lesson, name, content)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not HomeworkFile.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused(client, world):
    the_lesson = with_homework(client, world)
    response = attach(client, the_lesson, "Карточка.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 422
    assert "больше 1 МБ" in response.content.decode()
    assert not HomeworkFile.objects.exists()
    assert attach(client, the_lesson, "Карточка.pdf", PDF).status_code == 302


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Карточка.pdf", PDF),
        ("Схема.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("Схема.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("Схема.gif", b"GIF89a\x01\x00"),
        ("Схема.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 "),
        ("Задание.docx", b"PK\x03\x04\x14\x00"),
        ("Задание.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"),
        ("Задание.odt", b"PK\x03\x04\x14\x00"),
        ("Задание.rtf", b"{\\rtf1\\ansi"),
        ("Задание.txt", "Выучить правило".encode("cp1251")),
        ("Песня.mp3", b"ID3\x03\x00"),
    ],
)
def test_the_accepted_kinds_pass_by_their_content(name, content):
    form = HomeworkFileForm(data={}, files={"file": SimpleUploadedFile(name, content)})
    assert form.is_valid(), form.errors


def test_the_stored_name_is_ours_and_the_download_is_an_attachment(client, world):
    the_lesson = with_homework(client, world)
    response = attach(client, the_lesson, "../../../etc/Карточка.pdf", PDF)
    assert response.status_code == 302
    file = HomeworkFile.objects.get()
    # Nothing of the user's name reaches the disk: the school, the month and a name of ours.
    assert re.fullmatch(rf"homework/{world.school.pk}/2026-11/\d+-\d+\.pdf", file.file.name), file.file.name
    assert file.name == "Карточка.pdf"
    path = Path(file.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) and path.read_bytes() == PDF

    download = client.get(reverse("schedule:homework_file", args=[file.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Карточка.pdf" in download["Content-Disposition"] or "%D0%9A" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.other_teacher)
    assert client.get(reverse("schedule:homework_file", args=[file.pk])).status_code == 403
    # MEDIA_URL is not a way round the permission check.
    client.force_login(world.admin)
    assert client.get(settings.MEDIA_URL + file.file.name).status_code == 404


def test_uploads_live_outside_the_static_files():
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        static = static.resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media), (media, static)
    # No URL serves MEDIA_URL as it is (django.conf.urls.static is not in the root URLconf).
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "homework/1/2026-11/1-1.pdf")


def test_a_scans_stored_name_is_ours_and_it_is_served_as_an_attachment(client, world, clock):
    course = journal_course(world)
    work = work_on(world, DAY)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    clock.move_to(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC))  # past the 14 days' window
    cell = late_changes.Cell(target="mark", course=course, pupil=world.pupil, lesson=lesson_of(world, DAY), work=work)
    request = late_changes.late_change_file(
        actor=world.teacher,
        cell=cell,
        new_value="5",
        reason=LateChangeRequest.Reason.RETAKE,
        document_number="17-у",
        document_date=datetime.date(2026, 12, 1),
        scan=SimpleUploadedFile("../../справка.pdf", PDF),
    )
    assert re.fullmatch(rf"late-changes/{world.school.pk}/\d+\.pdf", request.scan.name), request.scan.name
    assert request.scan_name == "справка.pdf"
    client.force_login(world.teacher)
    response = client.get(reverse("gradebook:late_change_scan", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    client.force_login(world.other_teacher)
    assert client.get(reverse("gradebook:late_change_scan", args=[request.pk])).status_code in (403, 404)
