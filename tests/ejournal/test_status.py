"""The portal's status page: the bench's `baseline` (one indexed query, a small template), open to everyone."""

from django.urls import reverse


def test_the_status_page_answers_everyone_with_one_query(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("status"))
    assert response.status_code == 200
    assert "База данных отвечает" not in response.content.decode()  # the sentence starts in lower case
    assert "Электронный журнал работает: база данных отвечает." in response.content.decode()
    client.force_login(world.pupil)
    assert client.get(reverse("status")).status_code == 200
