"""The set-up checklist and its deadlines (DESIGN §6.1, R-B16)."""

import datetime

from django.urls import reverse

from ejournal.checklist import setup_checklist
from schedule.selectors import current_year


def steps(world, day):
    year = current_year(school=world.school, day=day)
    return {s.key: s for s in setup_checklist(school=world.school, year=year, day=day)}


def test_checklist_shows_what_is_done_and_missing(world):
    day = datetime.date(2026, 11, 17)
    s = steps(world, day)
    assert s["year"].done and s["classes"].done and s["class_teachers"].done and s["admins"].done
    assert s["enrolled"].done and s["links"].value == "2 / 2"
    assert not s["periods"].done and not s["bells"].done and not s["subjects"].done
    assert s["consents"].done  # every person of the world was created with a consent
    assert not s["credentials"].done


def test_deadlines_count_from_the_schools_registration(world, clock):
    """R-B16: staff, periods, bells, subjects within 20 days; admins within 5 of the school's registration."""
    registered = world.school.created_at.date()
    s = steps(world, registered)
    assert s["periods"].due == registered + datetime.timedelta(days=20)
    assert s["admins"].due == registered + datetime.timedelta(days=5)
    assert not s["periods"].overdue
    later = registered + datetime.timedelta(days=21)
    s = steps(world, later)
    assert s["periods"].overdue
    assert not s["classes"].overdue  # done steps are never overdue


def test_in_a_later_year_everything_is_due_by_its_first_day(world):
    from schedule.services import years

    next_year = years.academic_year_create(
        actor=None, school=world.school, name="2027/2028", start=datetime.date(2027, 9, 1),
        end=datetime.date(2028, 8, 31),
    )  # fmt: skip
    s = {x.key: x for x in setup_checklist(school=world.school, year=next_year, day=datetime.date(2027, 9, 2))}
    assert s["periods"].due == datetime.date(2027, 9, 1)
    assert s["periods"].overdue


def test_checklist_page_links_each_step(client, world):
    client.force_login(world.admin)
    text = client.get(reverse("setup")).content.decode()
    assert reverse("schedule:class_list") in text
    assert reverse("schedule:people_list") in text
    assert "просрочено" not in text
