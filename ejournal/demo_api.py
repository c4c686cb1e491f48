"""The diary API in the demo school (issue 12 item 6): «guardian» has a key named «Семейное приложение», made through
the service as a parent makes it on the profile page. Its raw key is not kept anywhere (only its hash): the demo's
visitor makes another on the profile page to try the API. Nothing is added twice."""

from accounts.models import School, User
from api import services
from api.models import ApiToken

DEMO_KEY_NAME = "Семейное приложение"


def add_api_token(*, school: School) -> int:
    """The stable mother's key; returns how many keys were made (0 or 1)."""
    guardian = User.objects.filter(username="guardian").first()
    if guardian is None or ApiToken.objects.filter(school=school, user=guardian, name=DEMO_KEY_NAME).exists():
        return 0
    services.token_create(actor=guardian, school=school, name=DEMO_KEY_NAME)
    return 1
