"""The PostgreSQL session every connection of the portal opens with (ejournal/settings.py)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_prepared_statements_are_planned_for_their_own_values():
    """A prepared statement repeated by a page keeps a plan for each execution's values: a generic plan made the change
    log's page 50 times slower from its sixth view. JIT is off: no page runs a query long enough to repay it."""
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode'), current_setting('jit')")
        assert cursor.fetchone() == ("force_custom_plan", "off")
