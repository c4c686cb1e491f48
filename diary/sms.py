"""Sending an SMS, through a backend chosen by the `SMS_BACKEND` setting (like Django's email backends):

- `diary.sms.ConsoleBackend`: writes each message to the standard output (the demo's default);
- `diary.sms.LocmemBackend`: keeps them in `diary.sms.outbox` (tests);
- `diary.sms.HttpBackend`: the SMSC.ru gateway's HTTP API (see its docstring), configured from the environment.

A backend's `send(phone=, text=, reference=)` returns the gateway's id of the message or raises `SmsError`:
`SmsTransientError` (network, gateway down, balance, rate limit: worth trying again later) or a plain `SmsError`
(this message can never go: a number the gateway refuses, a text it forbids). The rules of who gets what and when
live in diary/sms_notices.py; this module only talks to the outside world.
"""

import itertools
import json
import logging
import re
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """This message cannot be sent; `transient`: it may go on a later attempt."""

    transient = False


class SmsTransientError(SmsError):
    transient = True


def mobile_number(phone: str) -> str | None:
    """A Russian mobile number in the international form gateways take («79161234567»), from the ways a school
    writes it («8 (916) 123-45-67», «+7 916 123 45 67», «9161234567»); None when it is not one."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 10:
        digits = "7" + digits
    elif len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    if len(digits) == 11 and digits.startswith("79"):
        return digits
    return None


class BaseBackend:
    def send(self, *, phone: str, text: str, reference: int | None = None) -> str:
        """Send `text` to `phone` (as `mobile_number` gives it); `reference`: our id of the message."""
        raise NotImplementedError


_console_ids = itertools.count(1)


class ConsoleBackend(BaseBackend):
    """Writes each message to the standard output, as Django's console email backend does with mail."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send(self, *, phone: str, text: str, reference: int | None = None) -> str:
        with self._lock:
            self.stream.write(f"SMS to +{phone}: {text}\n")
            self.stream.flush()
        return f"console-{next(_console_ids)}"


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str
    reference: int | None


# LocmemBackend's outbox, like django.core.mail.outbox; tests empty it.
outbox: list[SmsMessage] = []


class LocmemBackend(BaseBackend):
    def send(self, *, phone: str, text: str, reference: int | None = None) -> str:
        outbox.append(SmsMessage(phone=phone, text=text, reference=reference))
        return f"locmem-{len(outbox)}"


class HttpBackend(BaseBackend):
    """The HTTP API of SMSC.ru (https://smsc.ru/api/http/send/sms/; the same API serves smscentre.com and its
    resellers): one POST of `login`, `psw`, `phones`, `mes`, `sender`, `id`, `charset=utf-8`, `fmt=3` (a JSON
    answer) to `SMS_HTTP_URL` (default https://smsc.ru/sys/send.php). An empty `SMS_HTTP_LOGIN` sends
    `SMS_HTTP_PASSWORD` as `apikey`, the gateway's API key, instead of a login and a password.

    The answer is `{"id": <id>, "cnt": <parts>}`, or `{"error": "...", "error_code": N}`. Errors 6 (the text or the
    sender is forbidden), 7 (a wrong number) and 8 (the number cannot be reached) concern this message only and are
    final; the others (parameters, login, balance, blocked address, too many requests) are the account's and may
    pass, as do network failures and non-2xx answers: those are transient."""

    FINAL_ERRORS = frozenset({6, 7, 8})

    def __init__(self, url=None, login=None, password=None, sender=None, timeout=None):
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.login = login if login is not None else settings.SMS_HTTP_LOGIN
        self.password = password if password is not None else settings.SMS_HTTP_PASSWORD
        self.sender = sender if sender is not None else settings.SMS_SENDER
        self.timeout = timeout if timeout is not None else settings.SMS_HTTP_TIMEOUT
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http:// or https:// address.")

    def _form(self, phone: str, text: str, reference: int | None) -> dict[str, str]:
        form = {"login": self.login, "psw": self.password} if self.login else {"apikey": self.password}
        form.update({"phones": phone, "mes": text, "charset": "utf-8", "fmt": "3"})
        if self.sender:
            form["sender"] = self.sender
        if reference is not None:
            # The gateway takes a 32-bit id of ours; it shows it in its reports.
            form["id"] = str(reference % 2147483647 or 1)
        return form

    def send(self, *, phone: str, text: str, reference: int | None = None) -> str:
        if not self.password:
            raise SmsTransientError("SMS_HTTP_PASSWORD is not set")
        body = urllib.parse.urlencode(self._form(phone, text, reference)).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - as above
                raw = response.read(64 * 1024)
        except urllib.error.HTTPError as e:
            raise SmsTransientError(f"the gateway answered HTTP {e.code}") from e
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise SmsTransientError(f"the gateway cannot be reached: {reason}") from e
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise SmsTransientError(f"the gateway's answer is not JSON: {raw[:100]!r}") from e
        if not isinstance(answer, dict):
            raise SmsTransientError(f"unexpected answer of the gateway: {raw[:100]!r}")
        if "error_code" in answer or "error" in answer:
            code = answer.get("error_code")
            message = f"the gateway's error {code}: {answer.get('error', '')}".strip()
            if code in self.FINAL_ERRORS:
                raise SmsError(message)
            raise SmsTransientError(message)
        if "id" not in answer:
            raise SmsTransientError(f"unexpected answer of the gateway: {raw[:100]!r}")
        return str(answer["id"])


@lru_cache(maxsize=8)
def _backend_class(path: str) -> type[BaseBackend]:
    return import_string(path)


def get_backend() -> BaseBackend:
    """A backend of the `SMS_BACKEND` class, new for each sending (settings may change between tests)."""
    return _backend_class(settings.SMS_BACKEND)()
