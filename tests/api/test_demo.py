"""The demo's diary API key (issue 12 item 6): the demo mother «guardian» holds «Семейное приложение», once, and it
opens her child's diary."""

from api.models import ApiToken
from ejournal.demo_api import DEMO_KEY_NAME, add_api_token


def test_the_demo_guardian_holds_a_family_app_key_once(world):
    assert add_api_token(school=world.school) == 1
    (token,) = ApiToken.objects.filter(school=world.school)
    assert (token.user, token.name, token.active) == (world.guardian, DEMO_KEY_NAME, True)
    assert len(token.key_hash) == 64 and token.prefix.startswith("ej_")
    assert add_api_token(school=world.school) == 0
    assert ApiToken.objects.count() == 1
