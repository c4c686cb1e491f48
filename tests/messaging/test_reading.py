"""The unread counter in the navigation and the sender's read receipts (R-I08: «the sender sees when each recipient
read it»), and the inbox and thread pages, whose queries do not grow with the number of threads or messages."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from messaging.models import Receipt, Thread
from messaging.services import reply
from tests.messaging.helpers import pupil_of, thread_between

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")


def _badge(client) -> str | None:
    """The counter beside «Сообщения» in the menu, or None."""
    html = client.get(INBOX).content.decode()
    marker = 'class="badge late unread-badge" title="Непрочитанные сообщения"'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split("</span>", 2)[1].strip()


def test_the_unread_counter_counts_new_messages_until_they_are_read_R_I08(client, world):
    client.force_login(world.guardian)
    assert _badge(client) is None
    thread = thread_between(world, world.class_teacher, world.guardian, text="Завтра экскурсия.")
    thread_between(world, world.class_teacher, world.guardian, subject="Форма", text="Нужна спортивная форма.")
    assert _badge(client) == "2"
    response = client.get(INBOX)
    assert response.context["unread_messages"] == 2
    client.get(reverse("messaging:thread", args=[thread.pk]))
    assert _badge(client) == "1"
    # Another school's counter is another school's: nothing of this one shows there.
    client.force_login(world.foreign_teacher)
    assert _badge(client) is None


def test_the_sender_sees_when_each_recipient_read_the_message_R_I08(client, world, clock):
    brother, (mother, father) = pupil_of(world, world.school_class, "brother", ("mother2", "father2"))
    client.force_login(world.class_teacher)
    client.post(
        reverse("messaging:new"),
        {"to": f"g:guardians:{world.school_class.pk}", "subject": "Собрание", "text": "В четверг в 18:00."},
    )
    family = Thread.objects.get(participants__user=mother)
    clock.move_to(datetime.datetime(2026, 11, 17, 15, 5, tzinfo=datetime.UTC))
    client.force_login(mother)
    client.get(reverse("messaging:thread", args=[family.pk]))
    receipt = Receipt.objects.get(user=mother)
    assert receipt.read_at == datetime.datetime(2026, 11, 17, 15, 5, tzinfo=datetime.UTC)

    client.force_login(world.class_teacher)
    html = client.get(reverse("messaging:thread", args=[family.pk])).content.decode()
    assert f"{mother.get_full_name()}: прочитано 17.11.2026 18:05" in html  # Moscow time
    assert f"{father.get_full_name()}: ещё не прочитано" in html
    # The recipients see no receipts of the sender's message: only the sender does.
    client.force_login(father)
    assert "прочитано 17.11.2026" not in client.get(reverse("messaging:thread", args=[family.pk])).content.decode()


def test_answering_marks_the_thread_read_for_the_one_who_answers(world):
    thread = thread_between(world, world.class_teacher, world.guardian)
    reply(actor=User.objects.get(pk=world.guardian.pk), thread=thread, text="Хорошо.")
    assert not Receipt.objects.filter(user=world.guardian, read_at=None).exists()
    assert Receipt.objects.filter(user=world.class_teacher, read_at=None).count() == 1


def _threads(world, count: int, messages: int = 1):
    for n in range(count):
        thread = thread_between(world, world.class_teacher, world.guardian, subject=f"Тема {n}")
        for m in range(messages - 1):
            sender = world.guardian if m % 2 == 0 else world.class_teacher
            reply(actor=User.objects.get(pk=sender.pk), thread=thread, text=f"Ответ {m}")
    return thread


def test_the_inbox_costs_the_same_queries_for_3_or_25_threads(client, world, django_assert_max_num_queries):
    _threads(world, 3)
    client.force_login(world.guardian)
    with django_assert_max_num_queries(14) as few:
        assert client.get(INBOX).status_code == 200
    _threads(world, 22)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    assert response.status_code == 200 and "Тема 21" in response.content.decode()


def test_a_thread_page_costs_the_same_queries_for_2_or_30_messages(client, world, django_assert_max_num_queries):
    short = _threads(world, 1, messages=2)
    long = _threads(world, 1, messages=30)
    client.force_login(world.class_teacher)
    with django_assert_max_num_queries(22) as few:
        assert client.get(reverse("messaging:thread", args=[short.pk])).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("messaging:thread", args=[long.pk]))
    assert "Ответ 27" in response.content.decode()


def test_the_demo_leaves_the_guardian_an_unread_answer_of_the_class_teacher(client, world):
    from ejournal.demo_messages import add_messages

    assert add_messages(school=world.school, year=world.school_class.year, today=datetime.date(2026, 11, 17)) >= 3
    unread = Receipt.objects.filter(user=world.guardian, read_at=None).select_related("message")
    assert world.class_teacher.pk in {r.message.author_id for r in unread}
    client.force_login(world.guardian)
    assert _badge(client) == str(unread.count())
    # Nothing twice.
    assert add_messages(school=world.school, year=world.school_class.year, today=datetime.date(2026, 11, 17)) == 0
