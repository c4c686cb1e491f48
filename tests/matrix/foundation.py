"""Permission-matrix rows of the foundation: start, health, language, login, start pages, the class page, the diary's
start (its pages are in tests/matrix/diary.py)."""

from . import MEMBERS, REDIRECT, STAFF_READERS, Case, only

ROWS: dict[str, list[Case]] = {
    "home": [Case("start page redirect", only(*MEMBERS, ok=REDIRECT))],
    "healthz": [Case("health", only(*MEMBERS, anonymous=200))],
    "set_language": [
        Case(
            "switch language",
            only(*MEMBERS, ok=REDIRECT, anonymous=REDIRECT),
            method="post",
            data=lambda w: {"language": "ru"},
        )
    ],
    "accounts:login": [Case("login form", only(ok=REDIRECT, default=REDIRECT, anonymous=200))],
    "accounts:logout": [Case("logout", only(*MEMBERS, ok=REDIRECT, anonymous=REDIRECT), method="post")],
    "accounts:password_change": [Case("own password", only(*MEMBERS))],
    "accounts:profile": [Case("own profile", only(*MEMBERS))],
    "accounts:school_switch": [
        Case(
            "own school",
            only(*MEMBERS, ok=REDIRECT) | {"foreign_teacher": 404},
            method="post",
            data=lambda w: {"school": w.school.pk},
        ),
        Case(
            "a school not one's own",
            only(default=404) | {"foreign_teacher": REDIRECT},
            method="post",
            data=lambda w: {"school": w.other_school.pk},
        ),
    ],
    "setup": [Case("set-up checklist", only(*STAFF_READERS))],
    "schedule:class_detail": [
        Case(
            "own class",
            only(*STAFF_READERS, "class_teacher", default=403) | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.school_class.pk},
        ),
        Case(
            "another class of the school",
            only(*STAFF_READERS) | {"foreign_teacher": 404},
            kwargs=lambda w: {"class_id": w.other_class.pk},
        ),
        Case(
            "a class of another school",
            only(default=404) | {"foreign_teacher": 200},
            kwargs=lambda w: {"class_id": w.foreign_class.pk},
        ),
    ],
    "gradebook:my_day": [Case("my day", only("teacher", "class_teacher", "foreign_teacher"))],
    "reports:control": [Case("journal control", only(*STAFF_READERS))],
    "diary:home": [Case("own diary", only("pupil", "guardian", ok=REDIRECT))],
    # Django's admin is for platform superusers: every school role is sent to its own login.
    "admin:index": [Case("django admin", only(ok=REDIRECT, default=REDIRECT, anonymous=REDIRECT))],
}

# The first-run page exists only on an installation without schools.
ROWS["accounts:welcome"] = [Case("first run", only(default=404, anonymous=404))]
