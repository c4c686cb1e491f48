import pytest
from django.core.cache import cache

from api import services
from tests.diary.test_marks_page import marked  # noqa: F401 - the diary's fixture: 5А's maths marked


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The limits count in the cache (Redis in the tests) under frozen time: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def key_of(user, school, name: str = "Приложение на телефоне") -> str:
    return services.token_create(actor=user, school=school, name=name).key


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
