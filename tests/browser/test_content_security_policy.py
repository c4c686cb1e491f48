"""The Content-Security-Policy in Chromium (issue 10 item 5): a teacher signs in, enters a mark in the journal grid
and switches the language, and the browser refuses nothing: htmx, the grid's script and the behaviours moved out of
inline handlers (data-autosubmit) all work under a policy without 'unsafe-inline' and without eval."""

import pytest
from playwright.sync_api import Page, expect

from gradebook.models import Mark
from tests.factories import PASSWORD
from tests.matrix.journal import journal_course, work_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any of the page's own scripts and outside its policy: collects every violation the browser reports.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_the_journal_works_under_the_policy_and_nothing_is_refused(page: Page, live_server, world):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.add_init_script(WATCH)
    work_on(world)

    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.get_by_label("Логин").fill("teacher")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()

    page.goto(f"{live_server.url}/courses/{journal_course(world).pk}/journal/")
    cells = page.locator(f'tr[data-pupil="{world.pupil.pk}"] td.jg-cell[data-work]')
    expect(cells).to_have_count(1)
    cells.first.click()
    page.keyboard.type("5")
    expect(cells.first).to_have_text("5")
    page.wait_for_function("() => window.ejJournal.pending() === 0")
    assert Mark.objects.get(pupil=world.pupil).value == "5"
    assert page.evaluate("window.__cspViolations") == []

    # The language switch was an onchange handler; now app.js sends the form.
    page.get_by_label("Язык").select_option("en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []

    refused = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert not refused, refused


def test_the_credentials_list_ticks_everybody_without_an_inline_handler(page: Page, live_server, world):
    """«Choose everybody» was an onclick attribute; now app.js ticks and clears every person of the form."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill("admin")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    page.goto(f"{live_server.url}/credentials/staff/")
    people = page.locator("input[name=people]")
    assert people.count() >= 2
    everybody = page.get_by_label("Выбрать всех")
    everybody.check()
    for i in range(people.count()):
        expect(people.nth(i)).to_be_checked()
    everybody.uncheck()
    for i in range(people.count()):
        expect(people.nth(i)).not_to_be_checked()
    refused = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert not refused, refused
