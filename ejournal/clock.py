"""The one place "now" comes from. Tests move it with time-machine; code never calls datetime.now() directly."""

import datetime
import zoneinfo

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def local_now(tz_name: str | None = None) -> datetime.datetime:
    tz = zoneinfo.ZoneInfo(tz_name) if tz_name else timezone.get_current_timezone()
    return timezone.localtime(now(), tz)


def today(tz_name: str | None = None) -> datetime.date:
    """Today's date where the school is (Europe/Moscow unless the school says otherwise)."""
    return local_now(tz_name).date()
