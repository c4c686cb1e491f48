from django.conf import settings


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "eager")


def test_healthz_reports_a_broker_that_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    body = client.get("/healthz").json()
    assert body == {"status": "ok", "database": "ok", "broker": "unavailable"}
