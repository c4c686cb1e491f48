"""The demo's families who opted out (issue 9 item 9; R-I04): several classes, the stable class teacher's 5А among
them, some with an email and some on paper only; the previous week's run is done, so that the class teacher's "my
day" offers the bundle and the admin's page lists the run."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import GuardianProfile, User
from ejournal.demo import build_demo_school
from reports.models import ClassBundle, WeeklyDelivery, WeeklyRun

TODAY = datetime.date(2026, 11, 17)


@pytest.mark.django_db
def test_the_demo_has_opted_out_families_and_last_weeks_bundles_r_i04(
    clock, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        build_demo_school(pupils=60, password="demo-pass-1", today=TODAY)
    profiles = GuardianProfile.objects.filter(diary_opt_out=True).select_related("guardian")
    assert profiles.count() == 4
    assert {p.guardian.username for p in profiles}.isdisjoint({"guardian", "guardian1", "guardian3"})
    with_email = [p for p in profiles if p.guardian.email]
    assert 0 < len(with_email) < 4
    run = WeeklyRun.objects.get()
    assert (run.week_start, run.week_end, run.state) == (
        datetime.date(2026, 11, 9),
        datetime.date(2026, 11, 14),
        "done",
    )
    classes = set(ClassBundle.objects.filter(run=run).values_list("school_class__grade", "school_class__letter"))
    assert classes == {(5, "А"), (7, "Б"), (9, "А")}
    assert WeeklyDelivery.objects.filter(run=run, channel="email").count() == len(with_email)
    assert set(WeeklyDelivery.objects.filter(run=run).values_list("state", flat=True)) == {"sent"}
    bundle = ClassBundle.objects.get(run=run, school_class__grade=5, school_class__letter="А")
    assert bundle.pupils == 2 and bundle.file
    client.force_login(User.objects.get(username="class_teacher"))
    page = client.get(reverse("gradebook:my_day")).content.decode()
    assert reverse("reports:weekly_bundle", args=[bundle.pk]) in page
    client.force_login(User.objects.get(username="admin"))
    assert "09.11.2026–14.11.2026" in client.get(reverse("reports:weekly_runs")).content.decode()
