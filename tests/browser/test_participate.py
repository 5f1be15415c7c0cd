"""A participant in a real browser: votes by button and by keyboard, changes a vote, writes, and
is asked before another person's link switches the browser."""

import pytest
from playwright.sync_api import expect

from deliberation.models import (
    Conversation,
    ModerationAction,
    Participant,
    Statement,
    Vote,
    VoteEvent,
)
from tests.factories import make_conversation, make_statement

pytestmark = pytest.mark.browser


@pytest.fixture
def conversation_url(conversation, statements):
    return conversation.get_absolute_url()


def _progress(page):
    return page.locator("#voting-progress")


def test_participant_votes_three_statements_with_buttons_without_reloading(
    page, conversation_url, conversation
):
    page.goto(conversation_url)
    expect(_progress(page)).to_have_attribute("value", "0")
    # A full page load would lose this; htmx swaps only the voting region.
    page.evaluate("window.pageWasNotReloaded = true")
    shown = []
    for step, name in enumerate(["Agree", "Disagree", "Pass / unsure"], start=1):
        shown.append(page.locator("#voting .statement-text").inner_text())
        page.get_by_role("button", name=name, exact=True).click()
        expect(_progress(page)).to_have_attribute("value", str(step))
    assert page.evaluate("window.pageWasNotReloaded") is True
    assert len(set(shown)) == 3
    votes = Vote.objects.filter(conversation=conversation).select_related("statement")
    assert {vote.statement.text: vote.value for vote in votes} == dict(
        zip(shown, [1, -1, 0], strict=True)
    )


def test_participant_votes_with_the_keyboard(page, conversation_url, conversation):
    page.goto(conversation_url)
    expect(_progress(page)).to_have_attribute("value", "0")
    for step, key in enumerate("adp", start=1):
        page.keyboard.press(key)
        expect(_progress(page)).to_have_attribute("value", str(step))
    events = VoteEvent.objects.filter(conversation=conversation).order_by("id")
    assert [event.value for event in events] == [1, -1, 0]


def test_participant_changes_a_vote_on_my_votes(page, conversation_url, conversation):
    page.goto(conversation_url)
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(_progress(page)).to_have_attribute("value", "1")
    page.get_by_role("link", name="My votes").click()
    row = page.locator(".vote-row")
    expect(row.locator(".current-vote")).to_contain_text("Agree")
    row.get_by_role("button", name="Disagree", exact=True).click()
    expect(page.locator(".vote-row .current-vote")).to_contain_text("Disagree")
    vote = Vote.objects.get(conversation=conversation)
    assert vote.value == -1
    assert [event.value for event in VoteEvent.objects.order_by("id")] == [1, -1]


def test_participant_writes_a_statement_that_waits_for_moderation(
    page, conversation_url, conversation
):
    page.goto(conversation_url)
    page.get_by_role("link", name="Write a statement").click()
    text = "The assistant should explain why it cannot answer a question."
    page.get_by_label("Your statement").fill(text)
    page.get_by_role("button", name="Submit statement").click()
    expect(page.get_by_role("status")).to_contain_text("once a facilitator has reviewed it")
    statement = Statement.objects.get(conversation=conversation, text=text)
    assert statement.state == Statement.State.PENDING
    assert statement.author is not None


def test_participant_page_fits_a_360_px_phone(open_page, conversation, statements):
    Statement.objects.filter(pk=statements[0].pk).update(
        text="The assistant should always explain, in words a patron understands, "
        "why it recommends a particular book, article or service over the alternatives "
        "that the library also offers, including interlibrary loans and e-resources."
    )
    page = open_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    for path in (conversation.get_absolute_url(), f"{conversation.get_absolute_url()}write/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    page.goto(conversation.get_absolute_url())
    expect(page.get_by_role("button", name="Agree", exact=True)).to_be_in_viewport()


def test_participant_is_asked_before_another_persons_link_switches_the_browser(page, context):
    conversation = make_conversation(context, identity_mode=Conversation.Identity.XID)
    for number in range(3):
        make_statement(conversation, f"The assistant should do thing number {number}.")
    url = conversation.get_absolute_url()
    page.goto(f"{url}?xid=member-1")
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(_progress(page)).to_have_attribute("value", "1")

    page.goto(f"{url}?xid=member-2")
    expect(page.get_by_role("alert")).to_contain_text("as someone else")
    page.get_by_role("link", name="Keep taking part as before").click()
    expect(_progress(page)).to_have_attribute("value", "1")  # still member-1, one vote in
    assert not Participant.objects.filter(xid="member-2").exists()

    page.goto(f"{url}?xid=member-2")
    page.get_by_role("button", name="Switch to the identity in the link").click()
    expect(_progress(page)).to_have_attribute("value", "0")  # member-2 has not voted yet
    switched = ModerationAction.objects.get(action=ModerationAction.Action.SWITCH)
    assert switched.participant.xid == "member-2"
