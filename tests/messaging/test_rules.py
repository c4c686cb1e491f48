"""Who may write to whom (R-I08; seed 004 §3.1 п.6, §4.1 п.2, п.14, п.18, §5.1 п.7 «посредством внутренней почты
Системы»): each rule through the service, through the "new message" page (a refused POST writes nothing) and through
the list the page offers."""

import pytest
from django.urls import reverse

from accounts.models import User
from messaging.errors import MessagingError
from messaging.models import Message, Participant, Receipt, Thread
from messaging.services import reply
from tests.messaging.helpers import pupil_of, teaches_class, teaches_group, thread_between

pytestmark = pytest.mark.django_db

NEW = reverse("messaging:new")


def _fresh(user) -> User:
    """A new object each time: the permission layer caches what a person may do on the user object."""
    return User.objects.get(pk=user.pk)


def _post(client, sender, recipient):
    client.force_login(sender)
    return client.post(NEW, {"to": f"u:{recipient.pk}", "subject": "Вопрос по учёбе", "text": "Здравствуйте!"})


def _offered(client, sender, recipient) -> bool:
    client.force_login(sender)
    return f'value="u:{recipient.pk}"' in client.get(NEW).content.decode()


def _between(sender, recipient) -> int:
    return Thread.objects.filter(participants__user=recipient).filter(participants__user=sender).count()


def assert_writes(client, world, sender, recipient):
    before = _between(sender, recipient)
    thread = thread_between(world, _fresh(sender), _fresh(recipient))
    assert set(Participant.objects.filter(thread=thread).values_list("user_id", flat=True)) == {
        sender.pk,
        recipient.pk,
    }
    assert _offered(client, sender, recipient)
    response = _post(client, sender, recipient)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _between(sender, recipient) == before + 2


def assert_refused(client, world, sender, recipient, status=403):
    counts = (Thread.objects.count(), Message.objects.count(), Receipt.objects.count())
    with pytest.raises(MessagingError):
        thread_between(world, _fresh(sender), _fresh(recipient))
    assert not _offered(client, sender, recipient)
    assert _post(client, sender, recipient).status_code == status
    assert (Thread.objects.count(), Message.objects.count(), Receipt.objects.count()) == counts


def test_the_class_teacher_writes_with_own_class_families_both_ways_R_I08(client, world):
    assert_writes(client, world, world.class_teacher, world.guardian)
    assert_writes(client, world, world.class_teacher, world.pupil)
    assert_writes(client, world, world.guardian, world.class_teacher)
    assert_writes(client, world, world.pupil, world.class_teacher)
    # Another class's families are not theirs, nor are they theirs.
    assert_refused(client, world, world.class_teacher, world.other_guardian)
    assert_refused(client, world, world.class_teacher, world.other_pupil)
    assert_refused(client, world, world.other_guardian, world.class_teacher)


def test_a_subject_teacher_writes_with_the_families_they_teach_both_ways_R_I08(client, world):
    assert_refused(client, world, world.teacher, world.guardian)
    assert_refused(client, world, world.pupil, world.teacher)
    teaches_class(world)
    assert_writes(client, world, world.teacher, world.guardian)
    assert_writes(client, world, world.teacher, world.pupil)
    assert_writes(client, world, world.guardian, world.teacher)
    assert_writes(client, world, world.pupil, world.teacher)
    assert_refused(client, world, world.teacher, world.other_pupil)
    assert_refused(client, world, world.other_guardian, world.teacher)


def test_a_group_teacher_reaches_the_groups_pupils_and_their_parents_only_R_I08(client, world):
    classmate, (classmate_parent,) = pupil_of(world, world.school_class, "classmate", ("classmate_parent",))
    teaches_group(world, [world.pupil])
    assert_writes(client, world, world.teacher, world.pupil)
    assert_writes(client, world, world.guardian, world.teacher)
    assert_refused(client, world, world.teacher, classmate)
    assert_refused(client, world, classmate_parent, world.teacher)


def test_the_administration_writes_with_anyone_of_the_school_both_ways_R_I08(client, world):
    for reader in (world.admin, world.director, world.deputy):
        assert_writes(client, world, reader, world.other_guardian)
        assert_writes(client, world, reader, world.pupil)
        assert_writes(client, world, reader, world.teacher)
    assert_writes(client, world, world.other_pupil, world.deputy)
    assert_writes(client, world, world.guardian, world.director)
    assert_writes(client, world, world.other_guardian, world.admin)


def test_staff_write_to_staff_R_I08(client, world):
    assert_writes(client, world, world.teacher, world.other_teacher)
    assert_writes(client, world, world.other_teacher, world.class_teacher)
    # A pupil is not staff: a teacher who does not teach them does not reach them.
    assert_refused(client, world, world.other_teacher, world.pupil)


def test_a_pupil_never_writes_to_another_pupil_R_I08(client, world):
    classmate, _parents = pupil_of(world, world.school_class, "classmate")
    assert_refused(client, world, world.pupil, classmate)
    assert_refused(client, world, classmate, world.pupil)
    assert_refused(client, world, world.pupil, world.other_pupil)


def test_a_guardian_never_reaches_another_family_R_I08(client, world):
    classmate, (classmate_parent,) = pupil_of(world, world.school_class, "classmate", ("classmate_parent",))
    assert_refused(client, world, world.guardian, classmate_parent)
    assert_refused(client, world, world.guardian, classmate)
    assert_refused(client, world, world.guardian, world.other_guardian)
    assert_refused(client, world, world.guardian, world.other_pupil)
    assert_refused(client, world, world.other_guardian, world.pupil)


def test_nobody_reaches_another_school_R_I08(client, world):
    # Another school's people do not exist here: the page answers 404 and writes nothing.
    assert_refused(client, world, world.admin, world.foreign_teacher, status=404)
    assert_refused(client, world, world.deputy, world.foreign_pupil, status=404)
    assert_refused(client, world, world.foreign_teacher, world.class_teacher, status=404)
    with pytest.raises(MessagingError):
        thread_between(world, _fresh(world.foreign_teacher), _fresh(world.foreign_pupil))  # not of this school


def test_a_participant_answers_in_the_thread_and_nobody_else_does_R_I08(client, world):
    thread = thread_between(world, world.class_teacher, world.guardian)
    message = reply(actor=_fresh(world.guardian), thread=thread, text="Спасибо, придём.")
    assert list(message.receipts.values_list("user_id", flat=True)) == [world.class_teacher.pk]
    with pytest.raises(MessagingError):
        reply(actor=_fresh(world.admin), thread=thread, text="Чужой ответ")
    for outsider in (world.admin, world.other_guardian, world.foreign_teacher):
        client.force_login(outsider)
        url = reverse("messaging:reply", args=[thread.pk])
        assert client.post(url, {"text": "Чужой ответ"}).status_code == 404
        assert client.get(reverse("messaging:thread", args=[thread.pk])).status_code == 404
    assert Message.objects.filter(thread=thread).count() == 2
