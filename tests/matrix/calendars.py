"""Permission-matrix rows of the calendar feed (issue 12 item 4). The .ics URL takes no session: its token is the
credential, so every role (and a visitor) gets the same answer for the same token: 200 for a live link, 401 for a
revoked one. The profile's actions are POSTs of any signed-in member on their own link, back to the profile."""

from calendars import services

from . import LOGIN, MEMBERS, REDIRECT, Case


def _live(w):
    if not hasattr(w, "_cal_live"):
        w._cal_live = services.feed_create(actor=w.guardian, school=w.school)[1]
    return {"token": w._cal_live}


def _revoked(w):
    if not hasattr(w, "_cal_revoked"):
        feed, token = services.feed_create(actor=w.pupil, school=w.school)
        services.feed_revoke(actor=w.pupil, feed=feed)
        w._cal_revoked = token
    return {"token": w._cal_revoked}


def everyone(status) -> dict:
    return {role: status for role in (*MEMBERS, "anonymous")}


ACTION = {**{role: REDIRECT for role in MEMBERS}, "anonymous": LOGIN}

ROWS: dict[str, list[Case]] = {
    "calendars:feed": [
        Case("a live link", everyone(200), kwargs=_live),
        Case("a revoked link", everyone(401), kwargs=_revoked),
        Case("a made-up link", everyone(401), kwargs=lambda w: {"token": "made-up-token"}),
        Case("not a POST", everyone(405), kwargs=_live, method="post"),
    ],
    "calendars:feed_create": [
        Case("a new link", ACTION, method="post"),
        Case("not a GET", everyone(405), method="get"),
    ],
    "calendars:feed_reset": [Case("own link (a message when there is none)", ACTION, method="post")],
    "calendars:feed_revoke": [Case("own link (a message when there is none)", ACTION, method="post")],
}
