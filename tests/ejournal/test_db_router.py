"""The reports' read replica (ejournal/db_router.py, docs/scaling.md): the router's decisions, and a report page read
through a `replica` alias that is a second connection to the test database (as a test mirror of `default`)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from ejournal.db_router import REPLICA, ReplicaRouter, replica_reads

# The replica's alias is added for a test by overriding DATABASES, which Django warns against in general.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"]}}


def test_without_the_context_everything_is_left_to_default():
    router = ReplicaRouter()
    assert router.db_for_read(User) is None
    assert router.db_for_write(User) is None
    assert router.allow_migrate("default", "accounts") is True
    assert router.allow_migrate(REPLICA, "accounts") is False


def test_report_reads_go_to_the_replica_and_writes_never(with_replica):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(User) == REPLICA
        assert router.db_for_write(User) == "default"
    assert router.db_for_read(User) is None


def test_an_object_read_on_the_replica_is_saved_on_the_primary(with_replica):
    user = User(username="x")
    user._state.db = REPLICA
    assert ReplicaRouter().db_for_write(User, instance=user) == "default"


def test_without_a_replica_report_reads_stay_on_default():
    assert REPLICA not in django_settings.DATABASES
    with replica_reads():
        assert ReplicaRouter().db_for_read(User) is None


def test_the_settings_add_the_replica_only_when_asked(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
        "settings.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'), settings.MIDDLEWARE[-1])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REPLICA_DATABASE_URL", "DATABASE_URL")}
    env |= {"DJANGO_SETTINGS_MODULE": "ejournal.settings", "DATA_DIR": str(tmp_path)}
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    plain = subprocess.run(run, env=env, capture_output=True, text=True, cwd=django_settings.BASE_DIR, check=True)
    assert plain.stdout.split()[:3] == ["['default']", "[]", "None"], plain.stdout
    env |= {"DATABASE_URL": "postgres://u@primary/ej", "REPLICA_DATABASE_URL": "postgres://u@replica/ej"}
    both = subprocess.run(run, env=env, capture_output=True, text=True, cwd=django_settings.BASE_DIR, check=True)
    assert both.stdout.split() == [
        "['default',",
        "'replica']",
        "['ejournal.db_router.ReplicaRouter']",
        "default",
        "ejournal.db_router.ReplicaReadsMiddleware",
    ], both.stdout


@pytest.fixture
def replica(transactional_db, settings):
    """A `replica` alias: a second connection to the test database (what the settings do with TEST MIRROR), which
    sees what the test committed. Made by hand: the test runner's databases are set up before the test starts."""
    alias = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    settings.DATABASES = {**settings.DATABASES, REPLICA: alias}
    settings.DATABASE_ROUTERS = ["ejournal.db_router.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "ejournal.db_router.ReplicaReadsMiddleware"]
    connections[REPLICA] = load_backend(alias["ENGINE"]).DatabaseWrapper(alias, REPLICA)
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]


def test_the_change_report_reads_through_the_replica(replica, world, client):
    client.force_login(world.deputy)
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_default:
        response = client.get(reverse("audit:changes"))
    assert response.status_code == 200
    # The report's filter lists and rows come from the replica; the session and the user from the primary.
    on_replica = " ".join(q["sql"] for q in on_replica.captured_queries)
    on_default = " ".join(q["sql"] for q in on_default.captured_queries)
    assert '"schedule_schoolclass"' in on_replica and '"schedule_subject"' in on_replica
    assert '"schedule_schoolclass"' not in on_default and '"schedule_subject"' not in on_default
    assert '"accounts_user"' in on_default


def test_other_pages_and_posts_stay_on_the_primary(replica, world, client):
    client.force_login(world.deputy)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("setup")).status_code == 200
        client.post(reverse("audit:changes"))
    assert on_replica.captured_queries == []
