"""Small helpers of views shared by the apps."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str) -> str:
    """Where to go after a change: the page the form came from (`next`) when it is ours, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
