"""The demo's diary API key (issue 12 item 6): the demo mother «guardian» holds «Семейное приложение», once, and it
opens her child's diary; «pupil»'s latest homework has a task sheet to download."""

from django.urls import reverse

from api.models import ApiToken
from ejournal.demo_api import DEMO_KEY_NAME, add_api_token, add_homework_file
from schedule.services import homework as homework_services
from tests.matrix.diary import maths_on
from tests.matrix.journal import DAY

from .conftest import bearer, key_of


def test_the_demo_guardian_holds_a_family_app_key_once(world):
    assert add_api_token(school=world.school) == 1
    (token,) = ApiToken.objects.filter(school=world.school)
    assert (token.user, token.name, token.active) == (world.guardian, DEMO_KEY_NAME, True)
    assert len(token.key_hash) == 64 and token.prefix.startswith("ej_")
    assert add_api_token(school=world.school) == 0
    assert ApiToken.objects.count() == 1


def test_the_demo_pupils_latest_homework_has_a_task_sheet_the_app_downloads(client, world):
    """The demo's «pupil» has a file to download through the API: on the latest homework of the past week, once."""
    lesson = maths_on(world, DAY)
    homework = homework_services.homework_set(actor=world.teacher, lesson=lesson, text="№ 1–5")
    assert add_homework_file(school=world.school, today=DAY) == 1
    assert add_homework_file(school=world.school, today=DAY) == 0
    (sheet,) = homework.files.all()
    assert sheet.name == "Карточка с заданием.txt"
    response = client.get(
        reverse("api:file", args=[world.pupil.pk, sheet.pk]), **bearer(key_of(world.guardian, world.school))
    )
    assert response.status_code == 200
    assert "Математика" in b"".join(response.streaming_content).decode()
