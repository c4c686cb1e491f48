"""The demo's portfolios and document store (issue 11 item 6): made through the services, idempotent."""

import datetime

from documents.models import Document, Folder
from ejournal.demo_portfolio import add_portfolios_and_documents
from portfolio.models import Achievement


def test_the_demo_adds_portfolios_of_5a_and_the_school_documents_once_R_I14_R_G06(world):
    day = datetime.date(2026, 11, 17)
    achievements, documents = add_portfolios_and_documents(school=world.school, year=world.school_class.year, today=day)
    assert achievements >= 6 and documents >= 10
    mine = Achievement.objects.filter(pupil=world.pupil)
    assert mine.count() == 6
    assert mine.exclude(scan="").exists()
    assert all(a.date <= day for a in mine)
    assert {a.author for a in mine} == {world.class_teacher}  # nobody else teaches 5А in this world
    assert Folder.objects.filter(school=world.school, parent__isnull=False).exists()
    assert Folder.objects.get(name="Кадровые документы").reader_roles == {"admin", "director", "deputy"}
    replaced = [d for d in Document.objects.all() if d.history.count() > 1]
    assert len(replaced) == 1
    assert Document.objects.first().file.open("rb").read(4) == b"%PDF"
    assert add_portfolios_and_documents(school=world.school, year=world.school_class.year, today=day) == (0, 0)
