"""Every page of the demo in a real browser, on a desktop and on a phone: no serious
accessibility violation (axe-core), nothing that scrolls the page sideways (at 390 and at 360
px), the voting card on the first screen, and a full-page screenshot of each page at 1280 and
390 px for people to look at (visual regression by eye: CI keeps the folder, git ignores it).
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from config.demo import load_demo
from tests.browser.conftest import voting_card_on_first_screen
from tests.constitutions.conftest import thaw_after  # noqa: F401 - published versions' cleanup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# Phones are also checked at this narrower width for sideways scrolling.
SMALL_PHONE = {"width": 360, "height": 740}
# Where the screenshots go: POLITY_SCREENSHOTS, else bench/screenshots/ (in .gitignore; .ci/run
# prints the path).
SCREENSHOTS = Path(
    os.environ.get("POLITY_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / "bench" / "screenshots"
)


def screenshot_name(viewport: str, path: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    return f"{slug}-{VIEWPORTS[viewport]['width']}.png"


def sideways(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def demo_pages(demo) -> list[str]:
    public_id, slug = demo.conversation.public_id, demo.context.slug
    participant = [
        reverse(f"frontend:{name}", args=[public_id])
        for name in (
            "participate",
            "how-it-works",
            "my-votes",
            "write",
            "results",
            "delete-data",
            "about-you",
        )
    ]
    facilitator = [
        reverse("frontend:facilitate-home"),
        reverse("frontend:facilitate-context", args=[slug]),
        reverse("frontend:constitution-facilitate", args=[slug]),
        reverse("frontend:constitution-tokens"),
        reverse("frontend:facilitate-context-create"),
        reverse("frontend:facilitate-who-took-part", args=[slug]),
    ] + [
        reverse(f"frontend:{name}", args=[public_id])
        for name in (
            "facilitate-conversation",
            "facilitate-queue",
            "facilitate-statements",
            "facilitate-participants",
            "facilitate-seed",
            "facilitate-conversation-preview",
        )
    ]
    return [
        reverse("frontend:home"),
        *participant,
        participant[4] + "?statements=on",
        reverse("frontend:constitution", args=[slug]),
        reverse("frontend:who-took-part", args=[slug]),
        *facilitator,
    ]


def _axe(page, axe_script, name) -> list[str]:
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{name} {page.url}: {violation['id']} ({len(violation['nodes'])} elements)"
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_every_page_is_accessible_and_fits_a_phone(open_page, axe_script, thaw_after):  # noqa: F811
    demo = load_demo()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, viewport in VIEWPORTS.items():
        # axe is injected as a script, which our CSP rightly blocks: bypass it for this check.
        page = open_page(viewport=viewport, bypass_csp=True, is_mobile=name == "phone")
        page.goto(reverse("frontend:login"))
        page.get_by_label("Username").fill(demo.facilitator_username)
        page.get_by_label("Password").fill(demo.facilitator_password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Sign out").wait_for()
        # The demo screens people before their first vote (issue 13); its page is checked too.
        page.goto(reverse("frontend:screening", args=[demo.conversation.public_id]))
        problems += _axe(page, axe_script, name)
        for question in page.locator("fieldset").all():
            question.get_by_label("Yes").check()
        page.get_by_role("button", name="Continue").click()
        # One vote makes the visitor a participant, who has their own data page too.
        page.get_by_role("button", name="Agree", exact=True).click()
        page.locator("#vote-feedback").get_by_text("Recorded").wait_for()
        for path in demo_pages(demo):
            response = page.goto(path)
            assert response.status == 200, path
            problems += _axe(page, axe_script, name)
            if sideways(page) > 0:
                problems.append(f"{name} {path}: scrolls sideways by {sideways(page)}px")
            if name == "phone":
                page.set_viewport_size(SMALL_PHONE)
                if sideways(page) > 0:
                    problems.append(f"360px {path}: scrolls sideways by {sideways(page)}px")
                page.set_viewport_size(viewport)
            if path == demo.conversation.get_absolute_url():
                fits, box = voting_card_on_first_screen(page)
                if not fits:
                    problems.append(f"{name} {path}: voting card not on the first screen {box}")
            stable = path.replace(demo.conversation.public_id, "demo")  # same names every run
            page.screenshot(path=SCREENSHOTS / screenshot_name(name, stable), full_page=True)
            # A value squeezed beside a long label wraps letter by letter.
            squeezed = page.evaluate(
                "[...document.querySelectorAll('dd')].filter(d => d.textContent.trim())"
                ".filter(d => d.getBoundingClientRect().width < 0.4 * d.parentElement"
                ".getBoundingClientRect().width).length"
            )
            if squeezed:
                problems.append(f"{name} {path}: {squeezed} values squeezed under 40% width")
    assert not problems, problems
