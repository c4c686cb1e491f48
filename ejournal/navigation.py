"""The navigation and each role's start page, built from the memberships loaded once per request."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import access
from accounts.models import FAMILY_ROLES, Role
from schedule.selectors import led_classes


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    name: str


# (url name, label, permission): shown only to those the permission layer lets in.
MENU = [
    ("setup", _("School set-up"), "schedule.view_setup"),
    ("schedule:class_list", _("Classes"), "schedule.view_setup"),
    ("schedule:group_list", _("Groups"), "schedule.view_setup"),
    ("schedule:people_list", _("People"), "accounts.view_people"),
    ("schedule:course_list", _("Teaching load"), "schedule.view_courses"),
    ("schedule:timetable_index", _("Timetable"), "schedule.view_timetable"),
    ("schedule:substitutions", _("Substitutions"), "schedule.view_substitutions"),
    ("schedule:plan_list", _("Thematic plans"), "schedule.view_timetable"),
    ("reports:control", _("Journal control"), "reports.view_control"),
    ("gradebook:my_day", _("My day"), "gradebook.view_my_day"),
    ("reports:remark_list", _("Remarks"), "reports.view_remarks"),
    ("reports:index", _("Reports"), "reports.view_reports"),
    ("gradebook:late_change_list", _("Late changes"), "gradebook.view_late_changes"),
    ("audit:changes", _("Change log"), "audit.view_changes"),
    ("audit:archive", _("Year archives"), "audit.view_archive"),
    ("audit:log", _("Audit log"), "audit.view_log"),
    ("gradebook:appeal_list", _("Reports of wrong marks"), "gradebook.view_appeals"),
    ("diary:news_list", _("News"), "diary.manage_news"),
    ("diary:event_list", _("Events calendar"), "diary.manage_news"),
    ("portfolio:report", _("Portfolios"), "portfolio.view_portfolios"),
    ("documents:index", _("School documents"), "documents.view_store"),
    ("diary:home", _("Diary"), "diary.view_own_diaries"),
    ("diary:notifications", _("Notifications"), "diary.change_notifications"),
    ("diary:sms_list", _("SMS"), "diary.view_sms"),
    ("messaging:inbox", _("Messages"), "messaging.use"),
]

# Where each role starts after login (issue: teacher → "my day", guardian → the child's diary, deputy → control,
# admin → set-up). A person with several roles starts at the first of theirs in this order.
START_PAGES = [
    (Role.ADMIN, "setup"),
    (Role.DEPUTY, "reports:control"),
    (Role.DIRECTOR, "reports:control"),
    (Role.TEACHER, "gradebook:my_day"),
    (Role.GUARDIAN, "diary:home"),
    (Role.PUPIL, "diary:home"),
]


def start_page(user) -> str | None:
    roles = access(user).roles_in(None)
    for role, url_name in START_PAGES:
        if role in roles:
            return reverse(url_name)
    return None


def menu(user) -> list[NavItem]:
    items = [NavItem(reverse(name), str(label), name) for name, label, perm in MENU if user.has_perm(perm)]
    # Pupils and parents lead no class: their pages spare the query.
    led = {} if access(user).roles_in(None) <= FAMILY_ROLES else led_classes(user)
    for class_id, class_name in led.items():
        items.append(
            NavItem(
                reverse("schedule:class_detail", args=[class_id]),
                str(_("Class %(name)s") % {"name": class_name}),
                "schedule:class_detail",
            )
        )
    return items
