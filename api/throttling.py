"""Rate limits of the API (settings API_RATE_MINUTE and API_RATE_DAY, e.g. «60/min», «2000/day»): per key for an
app, per person for the site's session, per address for a visitor. Read from the settings at each request, so that a
deployment (and a test) changes them without a restart of the class attributes DRF would otherwise freeze."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _Throttle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        return getattr(settings, self.setting)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user{request.user.pk}"
        else:
            ident = f"ip{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerMinute(_Throttle):
    scope = "api_minute"
    setting = "API_RATE_MINUTE"


class PerDay(_Throttle):
    scope = "api_day"
    setting = "API_RATE_DAY"
