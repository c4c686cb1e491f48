"""The class teacher's panel on "my day" (gradebook/signals.py): the latest weeks' printable bundles of the summary
sheets of their own classes (R-I04, DESIGN §6.3). One query; each bundle is shown only if the permission layer lets
the user download it."""

from gradebook.signals import Panel
from schedule.selectors import led_classes

from .weekly import latest_bundles


def my_day_bundles(sender, request, day, **kwargs) -> Panel | None:
    classes = list(led_classes(request.user))
    if not classes:
        return None
    bundles = [
        bundle
        for bundle in latest_bundles(school=request.school, class_ids=classes)
        if request.user.has_perm("reports.view_weekly_bundle", bundle)
    ]
    if not bundles:
        return None
    return Panel(template="reports/weekly/_my_day_panel.html", context={"bundles": bundles})
