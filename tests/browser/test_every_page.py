"""Every page of the demo in a real browser, on a desktop and on a 360 px phone: no serious
accessibility violation (axe-core) and nothing that scrolls the page sideways."""

import pytest
from django.urls import reverse

from config.demo import load_demo
from tests.constitutions.conftest import thaw_after  # noqa: F401 - published versions' cleanup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


def demo_pages(demo) -> list[str]:
    public_id, slug = demo.conversation.public_id, demo.context.slug
    participant = [
        reverse(f"frontend:{name}", args=[public_id])
        for name in ("participate", "my-votes", "write", "results", "delete-data", "about-you")
    ]
    facilitator = [
        reverse("frontend:facilitate-home"),
        reverse("frontend:facilitate-context", args=[slug]),
        reverse("frontend:constitution-facilitate", args=[slug]),
        reverse("frontend:constitution-tokens"),
        reverse("frontend:facilitate-who-took-part", args=[slug]),
    ] + [
        reverse(f"frontend:{name}", args=[public_id])
        for name in (
            "facilitate-conversation",
            "facilitate-queue",
            "facilitate-statements",
            "facilitate-participants",
            "facilitate-seed",
        )
    ]
    return [
        reverse("frontend:home"),
        *participant,
        participant[3] + "?statements=on",
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
        page.get_by_text("1 of").wait_for()
        for path in demo_pages(demo):
            response = page.goto(path)
            assert response.status == 200, path
            problems += _axe(page, axe_script, name)
            sideways = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if sideways > 0:
                problems.append(f"{name} {path}: scrolls sideways by {sideways}px")
            # A value squeezed beside a long label wraps letter by letter.
            squeezed = page.evaluate(
                "[...document.querySelectorAll('dd')].filter(d => d.textContent.trim())"
                ".filter(d => d.getBoundingClientRect().width < 0.4 * d.parentElement"
                ".getBoundingClientRect().width).length"
            )
            if squeezed:
                problems.append(f"{name} {path}: {squeezed} values squeezed under 40% width")
    assert not problems, problems
