from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import school_permission_required
from accounts.models import School
from schedule.models import AcademicYear
from schedule.selectors import current_year

from .checklist import setup_checklist
from .clock import today
from .navigation import start_page


@require_GET
def home(request):
    """Sends each role to its own start page; a fresh installation to its first-run page."""
    if not request.user.is_authenticated:
        if not School.objects.exists():
            return redirect("accounts:welcome")
        return redirect_to_login(request.get_full_path())
    url = start_page(request.user)
    if url is None:
        # A platform superuser or a person whose memberships were removed: no school page is theirs.
        raise PermissionDenied
    return redirect(url)


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """For load balancers and compose health checks: 503 when the database is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any failure to reach the database means "down"
        database = "unavailable"
    broker = _broker_status()
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database, "broker": broker}, status=status
    )


@never_cache
@require_GET
def status(request):
    """The portal's status for a person (an operator's browser, an uptime monitor that reads pages): the cheapest
    real page, one indexed query and a small template; `make bench` measures every page against it (`baseline`)."""
    if not request.user.has_perm("ejournal.view_status"):
        raise PermissionDenied
    try:
        School.objects.only("pk").order_by("pk").first()
        database = True
    except DatabaseError:
        database = False
    return render(request, "ejournal/status.html", {"database": database}, status=200 if database else 503)


@require_GET
@school_permission_required("schedule.view_setup")
def setup(request):
    """The set-up checklist (DESIGN §6.1): what is done, what is missing, and by when (R-B16)."""
    school = request.school
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    steps = setup_checklist(school=school, year=year, day=day)
    return render(
        request,
        "ejournal/setup.html",
        {
            "steps": steps,
            "year": year,
            "done": sum(s.done for s in steps),
            "years": AcademicYear.objects.for_school(school),
        },
    )
