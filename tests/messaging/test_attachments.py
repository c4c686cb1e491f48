"""Files of messages (R-I08; issue 10 item 5): limited in size and kind like homework files (by name and by content),
refused with a Russian message and nothing written; served only to the thread's participants, as an attachment
(anyone else: 404)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from messaging.models import Attachment, Message, Thread
from tests.messaging.helpers import pupil_of, thread_between

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _send(client, world, *files, sender=None, to=None):
    client.force_login(sender or world.class_teacher)
    return client.post(
        reverse("messaging:new"),
        {
            "to": to or f"u:{world.guardian.pk}",
            "subject": "Памятка",
            "text": "Посмотрите, пожалуйста, файл.",
            "files": list(files),
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("Памятка.exe", b"MZ", "не принимаются"),
        ("Памятка.html", b"<html></html>", "не принимаются"),
        ("Памятка.pdf", b"MZ\x90\x00 a program renamed", "не соответствует"),
    ],
    ids=["a program", "a web page", "a program named .pdf"],
)
def test_a_file_of_another_kind_is_refused_and_nothing_is_written(client, world, name, content, words):
    response = _send(client, world, SimpleUploadedFile(name, content))
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not (Thread.objects.exists() or Message.objects.exists() or Attachment.objects.exists())


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_limit_is_refused_with_a_russian_message(client, world):
    big = SimpleUploadedFile("Сканы.pdf", PDF + b"0" * (1024 * 1024))
    response = _send(client, world, big)
    assert response.status_code == 422
    assert "больше 1 МБ" in response.content.decode()
    assert not Thread.objects.exists()


def test_more_than_five_files_are_refused(client, world):
    files = [SimpleUploadedFile(f"Лист {n}.pdf", PDF) for n in range(6)]
    response = _send(client, world, *files)
    assert response.status_code == 422
    assert "не больше 5 файлов" in response.content.decode()
    assert not Thread.objects.exists()


def test_participants_download_the_file_and_anyone_else_gets_404(client, world):
    assert _send(client, world, SimpleUploadedFile("Памятка для родителей.pdf", PDF)).status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("messaging:attachment", args=[attachment.pk])
    for participant in (world.class_teacher, world.guardian):
        client.force_login(participant)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    # Not even the administration reads another's mail; another school does not see it exists.
    for outsider in (
        world.admin,
        world.director,
        world.other_teacher,
        world.pupil,
        world.other_guardian,
        world.foreign_teacher,
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_a_group_messages_file_reaches_every_family_and_only_theirs(client, world):
    brother, (mother,) = pupil_of(world, world.school_class, "brother", ("mother2",))
    response = _send(client, world, SimpleUploadedFile("Меню.pdf", PDF), to=f"g:guardians:{world.school_class.pk}")
    assert response.status_code == 302
    mine = Attachment.objects.get(message__thread__participants__user=world.guardian)
    theirs = Attachment.objects.get(message__thread__participants__user=mother)
    assert mine.file.name == theirs.file.name  # stored once
    client.force_login(world.guardian)
    assert client.get(reverse("messaging:attachment", args=[mine.pk])).status_code == 200
    assert client.get(reverse("messaging:attachment", args=[theirs.pk])).status_code == 404


def test_an_answer_carries_files_too(client, world):
    thread = thread_between(world, world.class_teacher, world.guardian)
    client.force_login(world.guardian)
    response = client.post(
        reverse("messaging:reply", args=[thread.pk]),
        {"text": "Справка во вложении.", "files": [SimpleUploadedFile("Справка.pdf", PDF)]},
    )
    assert response.status_code == 302
    client.force_login(world.class_teacher)
    html = client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "Справка.pdf" in html
