"""The profile page's sections, contributed by the apps above accounts (the calendar feed, the diary API).

accounts sits at the bottom of the dependency order (DESIGN §3), so it cannot import those apps: they register a
section here from their `AppConfig.ready()`, and the profile view renders whatever is registered, in order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    # Returns the section's template context, or None when the section does not apply to this user.
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    """Idempotent by key, so that a second `ready()` (tests, autoreload) does not show a section twice."""
    _sections[section.key] = section


def sections_for(request: HttpRequest) -> list[tuple[Section, dict]]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            shown.append((section, context))
    return shown
