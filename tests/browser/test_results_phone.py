"""The demo's results on a 390 px phone: half the height they had, nothing clipped."""

import pytest

from config.demo import load_demo
from tests.browser.conftest import pass_demo_screening
from tests.constitutions.conftest import thaw_after  # noqa: F401 - published versions' cleanup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo's results page at 390 px before issue 14 (bench/page_heights.py printed it).
HEIGHT_BEFORE = 18_813


def test_results_on_a_phone_are_under_half_their_former_height_and_unclipped(
    open_page,
    thaw_after,  # noqa: F811
):
    demo = load_demo()
    page = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pass_demo_screening(page, demo)
    page.get_by_role("button", name="Agree", exact=True).click()
    page.locator("#vote-feedback").get_by_text("Recorded").wait_for()
    for query in ("", "?statements=on"):
        page.goto(demo.conversation.get_absolute_url() + "results/" + query)
        page.locator("#summary").wait_for()
        if not query:  # the page as opened; statements on the map add their numbered list
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height < HEIGHT_BEFORE / 2, height
        clipped = page.evaluate(
            "[...document.querySelectorAll('.table-scroll')]"
            ".filter(e => e.scrollWidth > e.clientWidth).length"
        )
        assert clipped == 0, query
    # The summary comes first, then you and the groups, then the map.
    tops = [
        page.locator(selector).bounding_box()["y"]
        for selector in ("#summary", "#you", "#map-heading", "#statements")
    ]
    assert tops == sorted(tops)
