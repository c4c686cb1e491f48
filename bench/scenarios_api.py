"""Bench scenario of issue 12 (see bench/scenarios.py): the diary API's week, beside the HTML diary week."""

from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import User

from .core import scenario

BENCH_KEY = "bench"


@scenario("api_diary_week", note="the API's week of the seeded pupil with a key: the diary_week's data, as JSON")
def api_diary_week(ctx):
    """The `pupil` login's week through GET /api/v1/pupils/<id>/week/ with a Bearer key: the same lessons, topics,
    homework, marks and absences that `diary_week` writes (its preparation is reused), the key's audit entry
    included. The bench's own key (made again on each run; the older ones revoked: five at most are active); the
    rate limit is lifted for the measurement."""
    from api import services
    from api.models import ApiToken

    from .scenarios import diary_week

    diary_week(ctx)  # fills the week, idempotent
    override_settings(API_RATE_MINUTE="1000000/min", API_RATE_DAY="100000000/day").enable()
    pupil = User.objects.get(username="pupil")
    for token in ApiToken.objects.filter(user=pupil, name=BENCH_KEY, revoked_at__isnull=True):
        services.token_revoke(actor=pupil, token=token)
    key = services.token_create(actor=pupil, school=ctx.school, name=BENCH_KEY).key
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = reverse("api:week", args=[pupil.pk])

    def request():
        return client.get(url)

    return request
