"""The API's error answers: `{"detail": "<a Russian sentence>"}` with the status DRF chose. DRF's own English
sentences are replaced by ours, so that every message of the API goes through the project's translations."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


class BadParameter(exceptions.APIException):
    """A query parameter that cannot be read: 400 with what is wrong (never a 500, never a silent default)."""

    status_code = 400
    default_code = "bad_parameter"


def not_found() -> exceptions.NotFound:
    return exceptions.NotFound(_("Not found: there is no such pupil among those whose diary you may read."))


def exception_handler(exc, context):
    header = getattr(exc, "auth_header", None)  # set by the view for a 401: WWW-Authenticate
    exc = _ours(exc, context)
    if header is not None:
        exc.auth_header = header
    return drf_exception_handler(exc, context)


def _ours(exc, context):
    if isinstance(exc, Http404 | exceptions.NotFound):
        exc = not_found()
    elif isinstance(exc, DjangoPermissionDenied | exceptions.PermissionDenied):
        exc = exceptions.PermissionDenied(_("You may not read this pupil's diary."))
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.NotAuthenticated(
            _("Send your diary API key as «Authorization: Bearer <key>». Keys are made on the profile page.")
        )
    elif isinstance(exc, exceptions.MethodNotAllowed):
        exc = exceptions.MethodNotAllowed(context["request"].method, _("The diary API only reads: use GET."))
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        # No `wait` to the constructor: it would add DRF's own English sentence; the handler's Retry-After reads it.
        exc = exceptions.Throttled(
            None,
            ngettext(
                "Too many requests: try again in %(seconds)s second.",
                "Too many requests: try again in %(seconds)s seconds.",
                wait,
            )
            % {"seconds": wait},
        )
        exc.wait = wait
    return exc
