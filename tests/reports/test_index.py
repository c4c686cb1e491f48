"""The reports' index shows each person the reports the permission layer lets them open."""

from django.urls import reverse


def test_a_class_teacher_sees_their_class_reports_and_no_school_wide_control(client, world):
    client.force_login(world.class_teacher)
    page = client.get(reverse("reports:index")).content.decode()
    assert "Мой класс 5А" in page
    assert reverse("reports:class_sheets", args=[world.school_class.pk]) in page
    assert reverse("reports:class_performance", args=[world.school_class.pk]) in page
    assert reverse("reports:control") not in page  # journal control is the readers'
    assert reverse("reports:class_sheets", args=[world.other_class.pk]) not in page


def test_the_deputy_sees_every_school_wide_report(client, world):
    client.force_login(world.deputy)
    page = client.get(reverse("reports:index")).content.decode()
    for name in ("reports:control", "reports:class_reports", "reports:risk", "reports:year_reports"):
        assert reverse(name) in page, name
    assert "Мой класс" not in page
