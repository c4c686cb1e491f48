"""Messages to a group (R-I08): «all parents of 5А», «all pupils of 5А», «teachers of 5А», «all staff» arrive as one
thread per family (a pupil's parents share theirs), per pupil or per colleague, so that each answer stays private;
a person writes only to the groups the rules let them; every group send leaves an audit entry."""

import pytest
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEntry
from messaging.errors import MessagingError
from messaging.models import Message, Participant, Thread
from messaging.selectors import Audience, Kind
from messaging.services import group_send, reply
from tests.factories import make_class
from tests.messaging.helpers import pupil_of, teaches_class, teaches_group

pytestmark = pytest.mark.django_db

NEW = reverse("messaging:new")


def _send(client, sender, token, subject="Родительское собрание", text="Собрание в четверг в 18:00, каб. 12."):
    client.force_login(sender)
    return client.post(NEW, {"to": token, "subject": subject, "text": text})


def _recipients(sender) -> list[tuple[int, ...]]:
    """Each thread's people besides the sender, in a fixed order."""
    return sorted(tuple(sorted(_participants(t) - {sender.pk})) for t in Thread.objects.all())


def _participants(thread) -> set[int]:
    return set(Participant.objects.filter(thread=thread).values_list("user_id", flat=True))


def test_a_message_to_the_parents_of_a_class_is_one_thread_per_family_R_I08(client, world):
    # A family of two children with two parents, and a pupil without parents in the journal.
    brother, (mother, father) = pupil_of(world, world.school_class, "brother", ("mother2", "father2"))
    sister, _same_parents = pupil_of(world, world.school_class, "sister", ("mother2", "father2"))
    pupil_of(world, world.school_class, "orphan")
    response = _send(client, world.class_teacher, f"g:guardians:{world.school_class.pk}")
    assert response.status_code == 302
    threads = list(Thread.objects.order_by("pk"))
    assert _recipients(world.class_teacher) == sorted([(world.guardian.pk,), tuple(sorted([mother.pk, father.pk]))])
    assert all(t.group_label == "Все родители 5А" for t in threads)
    entry = AuditEntry.objects.get(action="messaging.group.sent")
    assert (entry.actor_id, entry.data["threads"], entry.data["people"]) == (world.class_teacher.pk, 2, 3)

    # One family's answer reaches the sender and that family only.
    family_thread = next(t for t in threads if mother.pk in _participants(t))
    answer = reply(actor=User.objects.get(pk=mother.pk), thread=family_thread, text="Придём вдвоём.")
    assert set(answer.receipts.values_list("user_id", flat=True)) == {world.class_teacher.pk, father.pk}
    client.force_login(world.guardian)
    assert client.get(reverse("messaging:thread", args=[family_thread.pk])).status_code == 404
    client.force_login(father)
    assert "Придём вдвоём." in client.get(reverse("messaging:thread", args=[family_thread.pk])).content.decode()


def test_a_message_to_the_pupils_of_a_class_is_one_thread_per_pupil_R_I08(client, world):
    classmate, _parents = pupil_of(world, world.school_class, "classmate")
    assert _send(client, world.class_teacher, f"g:pupils:{world.school_class.pk}").status_code == 302
    assert _recipients(world.class_teacher) == sorted([(world.pupil.pk,), (classmate.pk,)])


def test_a_message_to_a_classes_teachers_reaches_each_teacher_apart_R_I08(client, world):
    teaches_class(world)
    teaches_group(world, [world.pupil], teacher=world.other_teacher)
    # Any colleague writes to them (staff with staff); the administration too.
    assert _send(client, world.deputy, f"g:teachers:{world.school_class.pk}").status_code == 302
    assert _recipients(world.deputy) == sorted(
        [(world.class_teacher.pk,), (world.teacher.pk,), (world.other_teacher.pk,)]
    )
    # Families do not.
    assert _send(client, world.guardian, f"g:teachers:{world.school_class.pk}").status_code == 403


def test_only_the_administration_writes_to_all_staff_R_I08(client, world):
    assert _send(client, world.teacher, "g:staff").status_code == 403
    with pytest.raises(MessagingError):
        group_send(actor=world.teacher, school=world.school, audience=Audience(Kind.STAFF), subject="Т", text="Т")
    assert not Thread.objects.exists()
    assert _send(client, world.director, "g:staff").status_code == 302
    staff = {world.admin.pk, world.deputy.pk, world.class_teacher.pk, world.teacher.pk, world.other_teacher.pk}
    assert _recipients(world.director) == sorted((pk,) for pk in staff)


def test_a_class_group_is_written_to_by_its_class_teacher_whole_class_teachers_and_the_administration_R_I08(
    client, world
):
    token = f"g:guardians:{world.school_class.pk}"
    # Another class's teacher, a teacher of one group of the class, and families: refused, nothing written.
    teaches_group(world, [world.pupil])
    for sender in (world.other_teacher, world.teacher, world.guardian, world.pupil):
        assert _send(client, sender, token).status_code == 403
        client.force_login(sender)
        assert f'value="{token}"' not in client.get(NEW).content.decode()
    assert not Thread.objects.exists()
    # Another school's class does not exist here.
    assert _send(client, world.admin, f"g:guardians:{world.foreign_class.pk}").status_code == 404
    assert not Message.objects.exists()
    teaches_class(world, subject="Литература")
    for sender in (world.teacher, world.deputy):
        client.force_login(sender)
        assert f'value="{token}"' in client.get(NEW).content.decode()
        assert _send(client, sender, token).status_code == 302
    assert Thread.objects.count() == 2


def test_a_group_without_anyone_to_receive_is_refused_with_a_message(client, world):
    lonely = make_class(world.school_class.year, 6, "В", world.other_teacher)
    response = _send(client, world.other_teacher, f"g:guardians:{lonely.pk}")
    assert response.status_code == 422
    assert "некому" in response.content.decode()
    assert not Thread.objects.exists()
