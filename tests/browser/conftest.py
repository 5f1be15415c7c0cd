"""Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Tests here are marked `browser` (skipped without /usr/bin/chromium, failed in CI). Playwright is
never asked to download a browser of its own.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import CHROMIUM

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# As this machine's documentation runs it: as root (no sandbox), headless, and with no background
# connections, which a closed network refuses many at a time.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The voting card's statement and its three buttons: how many, their top and bottom edges, the
# viewport's height and how far the page is scrolled (the first-screen rule of issue 14).
_VOTING_CARD_BOX = """() => {
  const parts = [...document.querySelectorAll(
    '#voting .statement-text, #voting .vote-buttons button')].map(e => e.getBoundingClientRect());
  return {count: parts.length, bottom: Math.max(...parts.map(r => r.bottom)),
          top: Math.min(...parts.map(r => r.top)),
          height: window.innerHeight, scrolled: window.scrollY};
}"""


def voting_card_on_first_screen(page) -> tuple[bool, dict]:
    """Whether the statement and all three vote buttons are visible without scrolling."""
    box = page.evaluate(_VOTING_CARD_BOX)
    fits = (
        box["count"] == 4
        and box["scrolled"] == 0
        and box["top"] >= 0
        and box["bottom"] <= box["height"]
    )
    return fits, box


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses
    # database access from a thread with a running loop. The test code is synchronous, so the
    # check is lifted while a browser is up, and restored after.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(chromium, live_server):
    """Open a page in a fresh browser context (own cookies); options go to `new_context`.

    Every page also checks our strict Content Security Policy: a blocked inline script or style
    shows up as a console message, and fails the test.
    """
    contexts, violations = [], []

    def open_page(**options):
        context = chromium.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not violations, violations


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def axe_script():
    if not AXE_SCRIPT.exists():
        message = f"needs axe-core at {AXE_SCRIPT} (make test installs it with npm)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE_SCRIPT


def pass_demo_screening(page, demo) -> None:
    """Answer the demo's screening questions eligibly (issue 13), landing on its voting page."""
    page.goto(reverse("frontend:screening", args=[demo.conversation.public_id]))
    for question in page.locator("fieldset").all():
        question.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Agree", exact=True).wait_for()
