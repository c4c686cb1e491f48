"""The HTTP adapter of the SMSC.ru gateway (R-I07) against a real HTTP server on the loopback, started here: the
request the gateway's API expects, its answers, and every failure as a transient or a final error."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts import services as accounts_services
from diary import notices
from diary.models import SmsNotice
from diary.sms import HttpBackend, SmsError, SmsTransientError
from gradebook.marks import mark_set
from tests.matrix.journal import work_on


class Gateway:
    """A gateway on 127.0.0.1: it records each request and answers with `status` and `answer` (JSON or bytes);
    `hold` keeps the answer back until released (a gateway that does not answer in time)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.answer: object = {"id": 42, "cnt": 1}
        self.hold = threading.Event()
        self.hold.set()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode("utf-8")
                gateway.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "form": dict(urllib.parse.parse_qsl(body))}
                )
                gateway.hold.wait(5)
                raw = gateway.answer if isinstance(gateway.answer, bytes) else json.dumps(gateway.answer).encode()
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sys/send.php"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    g = Gateway()
    yield g
    g.close()


def backend(gateway, **kwargs):
    options = {"url": gateway.url, "login": "school5", "password": "s3cret", "sender": "Gimn5", "timeout": 2}
    return HttpBackend(**(options | kwargs))


def test_it_posts_the_message_as_the_gateways_api_asks_and_returns_its_id_R_I07(gateway):
    assert backend(gateway).send(phone="79161234567", text="Гимназия № 5: Иванов Пётр, 17.11: 5", reference=7) == "42"
    [request] = gateway.requests
    assert request["path"] == "/sys/send.php"
    assert request["headers"]["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert request["form"] == {
        "login": "school5",
        "psw": "s3cret",
        "phones": "79161234567",
        "mes": "Гимназия № 5: Иванов Пётр, 17.11: 5",
        "charset": "utf-8",
        "fmt": "3",
        "sender": "Gimn5",
        "id": "7",
    }


def test_without_a_login_the_password_goes_as_the_api_key(gateway):
    backend(gateway, login="", sender="").send(phone="79161234567", text="Проверка")
    form = gateway.requests[0]["form"]
    assert form["apikey"] == "s3cret"
    assert "login" not in form and "psw" not in form and "sender" not in form


@pytest.mark.parametrize("status", [500, 502, 404, 403])
def test_a_non_2xx_answer_is_a_transient_error(gateway, status):
    gateway.status = status
    with pytest.raises(SmsTransientError, match=f"HTTP {status}"):
        backend(gateway).send(phone="79161234567", text="Проверка")


@pytest.mark.parametrize(
    ("code", "error"),
    [(3, SmsTransientError), (2, SmsTransientError), (9, SmsTransientError), (7, SmsError), (6, SmsError)],
)
def test_the_gateways_errors_are_transient_unless_they_concern_the_message_itself(gateway, code, error):
    gateway.answer = {"error": "описание", "error_code": code}
    with pytest.raises(error, match=f"error {code}") as caught:
        backend(gateway).send(phone="79161234567", text="Проверка")
    assert caught.value.transient is (code not in (6, 7, 8))


def test_an_answer_that_is_not_the_gateways_is_transient(gateway):
    gateway.answer = b"<html>Bad gateway</html>"
    with pytest.raises(SmsTransientError, match="not JSON"):
        backend(gateway).send(phone="79161234567", text="Проверка")


def test_a_gateway_that_is_down_or_slow_is_a_transient_error(gateway):
    gateway.hold.clear()
    with pytest.raises(SmsTransientError, match="cannot be reached"):
        backend(gateway, timeout=0.3).send(phone="79161234567", text="Проверка")
    gateway.hold.set()
    gateway.close()
    with pytest.raises(SmsTransientError, match="cannot be reached"):
        backend(gateway).send(phone="79161234567", text="Проверка")


def test_a_new_mark_reaches_the_gateway_through_the_setting_R_I07(
    world, gateway, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "diary.sms.HttpBackend"
    settings.SMS_HTTP_URL, settings.SMS_HTTP_LOGIN, settings.SMS_HTTP_PASSWORD = gateway.url, "", "key-1"
    g = world.guardian
    accounts_services.person_update(
        actor=world.admin, school=world.school, person=g, last_name=g.last_name, first_name=g.first_name,
        middle_name=g.middle_name, email=g.email, phone="+7 916 123-45-67",
    )  # fmt: skip
    notices.notification_settings_set(actor=g, school=world.school, marks="none", sms_marks=True)
    work = work_on(world)
    with django_capture_on_commit_callbacks(execute=True):
        mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="5")
    [request] = gateway.requests
    sms = SmsNotice.objects.get()
    assert request["form"]["phones"] == "79161234567"
    assert request["form"]["mes"] == sms.text
    assert request["form"]["id"] == str(sms.pk)
    assert (sms.status, sms.provider_id) == (SmsNotice.Status.SENT, "42")
