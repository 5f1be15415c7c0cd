"""Voting on a 390x844 phone: the card on the first screen, "recorded" after each vote with the
next card focused, no keyboard hint on a touch screen, and a compact "My votes"."""

import pytest
from playwright.sync_api import expect

from config.demo import load_demo
from deliberation.models import Vote
from tests.browser.conftest import pass_demo_screening, voting_card_on_first_screen
from tests.constitutions.conftest import thaw_after  # noqa: F401 - published versions' cleanup

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.mark.django_db(transaction=True)
def test_voting_card_and_its_three_buttons_fit_a_phone_screen_on_every_card(
    open_page,
    thaw_after,  # noqa: F811
):
    demo = load_demo()
    page = open_page(**PHONE)
    pass_demo_screening(page, demo)
    for step in range(1, 6):
        fits, box = voting_card_on_first_screen(page)
        assert fits, (step, box)
        page.get_by_role("button", name="Pass / unsure", exact=True).click()
        expect(page.locator("#voting-progress")).to_have_attribute("value", str(step))


def test_htmx_vote_announces_recorded_and_focuses_the_next_card(
    open_page, conversation, statements
):
    page = open_page(**PHONE)
    page.goto(conversation.get_absolute_url())
    feedback = page.locator("#vote-feedback")
    expect(feedback).to_have_attribute("aria-live", "polite")
    expect(feedback).to_be_empty()
    first = page.locator("#voting .statement-text").inner_text()
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(feedback).to_have_text("Recorded: Agree (1 of 5).")
    expect(feedback).to_be_visible()
    card = page.locator("#voting .statement-card")
    expect(card).to_be_focused()
    assert card.locator(".statement-text").inner_text() != first
    assert Vote.objects.get(statement__text=first).value == 1


def test_touch_screen_does_not_show_the_keyboard_hint(open_page, conversation, statements):
    phone = open_page(**PHONE)
    phone.goto(conversation.get_absolute_url())
    expect(phone.locator("[data-shortcut-help]")).to_be_hidden()
    desktop = open_page(viewport={"width": 1280, "height": 800})
    desktop.goto(conversation.get_absolute_url())
    expect(desktop.locator("[data-shortcut-help]")).to_be_visible()


def test_my_votes_is_one_compact_row_per_statement_with_the_vote_marked(
    open_page, conversation, statements
):
    page = open_page(**PHONE)
    page.goto(conversation.get_absolute_url())
    for step, name in enumerate(["Agree", "Disagree", "Pass / unsure", "Agree", "Agree"], start=1):
        page.get_by_role("button", name=name, exact=True).click()
        expect(page.locator("#voting-progress")).to_have_attribute("value", str(step))
    page.get_by_role("link", name="My votes", exact=True).click()
    rows = page.locator(".vote-row")
    expect(rows).to_have_count(5)
    for row in rows.all():
        # The text and one line of buttons: far from the three full-width buttons of before.
        assert row.bounding_box()["height"] < 200
        expect(row.locator('button[aria-pressed="true"]')).to_have_count(1)
    chosen = {
        v.statement.text: v.get_value_display() for v in Vote.objects.select_related("statement")
    }
    for row in rows.all():
        text = row.locator(".statement-text").inner_text()
        expect(row.locator('button[aria-pressed="true"]')).to_have_text(chosen[text])
    row = rows.first
    other = row.locator('button[aria-pressed="false"]').first
    name = other.inner_text()
    other.click()
    expect(page.locator(".vote-row").first.locator('button[aria-pressed="true"]')).to_have_text(
        name
    )
    expect(page.locator(".vote-row").first.locator('button[aria-pressed="true"]')).to_be_focused()
