"""What a key's use leaves behind: one audit entry per request made with a key (issue 12 item 5), and the family's
visit of the day (R-I12: an app reading the diary is the family looking at it)."""

from audit.log import client_ip, record
from diary.models import DiaryVisit
from ejournal.clock import today

from .models import ApiToken

ACTION = "api.request"
ACTION_REFUSED = "api.request.refused"


def _data(request, token: ApiToken, status: int) -> dict:
    return {
        "key_id": token.pk,
        "prefix": token.prefix,
        "method": request.method,
        "path": request.path[:300],
        "query": request.META.get("QUERY_STRING", "")[:300],
        "status": status,
        "ip": client_ip(request),
    }


def request_record(request, token: ApiToken, status: int) -> None:
    record(actor=token.user, school=token.school, action=ACTION, obj=token, data=_data(request, token, status))


def token_refused(request, token: ApiToken) -> None:
    """A revoked key tried: its owner's history shows it (a forgotten app, or a stolen key)."""
    record(actor=token.user, school=token.school, action=ACTION_REFUSED, obj=token, data=_data(request, token, 401))


def family_visit(token: ApiToken) -> None:
    day = today(token.school.timezone)
    DiaryVisit.objects.bulk_create([DiaryVisit(school=token.school, user=token.user, day=day)], ignore_conflicts=True)
