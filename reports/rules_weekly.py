"""Permissions of the weekly summary sheets for families who opted out (issue 9 item 3; R-I04, DESIGN §6.3): a class's
printable bundle for the class teacher of its class and the readers (admin, director, deputy); the runs, their
deliveries and their mail errors for the readers; queuing the failed emails again for the admin, who runs the mail."""

import rules

from accounts.predicates import is_admin, is_class_teacher_of, is_school_member, is_school_reader


@rules.predicate
def leads_bundle_class(user, bundle) -> bool:
    """The class teacher of the bundle's class."""
    return bundle is not None and is_class_teacher_of(user, bundle.school_class)


rules.add_perm("reports.view_weekly_bundle", is_school_member & (is_school_reader | leads_bundle_class))
rules.add_perm("reports.view_weekly_runs", is_school_member & is_school_reader)
rules.add_perm("reports.retry_weekly", is_school_member & is_admin)
