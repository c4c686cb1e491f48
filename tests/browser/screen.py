"""Shared checks of the phone-sized browser tests."""

from playwright.sync_api import Page


def fits_the_screen(page: Page) -> None:
    """No horizontal scrolling on a phone.

    The URL changes as soon as a navigation commits, before the page's own stylesheets have arrived; measured then,
    a page is laid out without them (the lesson page without lessons.css is 421 px wide on a 390 px screen), so the
    check waits for the load event first.
    """
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
