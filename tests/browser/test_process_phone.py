"""On a 390 px phone: screening before the first vote, the optional self-description questions
after it, and ratifying a draft (issue 13)."""

import pytest
from playwright.sync_api import expect

from constitutions.models import RatificationVote
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.ratification import open_ratification
from deliberation.models import Answer, Participant, ScreeningTally
from deliberation.services.process import set_process_record
from deliberation.services.questions import ChoiceSpec, define_question
from tests.constitutions.helpers import analysed_conversation

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def screened_conversation(context, conversation):
    set_process_record(context=context, self_description_after=1)
    define_question(
        context=context,
        kind="screening",
        key="patron",
        text="Do you hold a library card?",
        choices=[ChoiceSpec("yes", "Yes"), ChoiceSpec("no", "No", eligible=False)],
    )
    define_question(
        context=context,
        kind="self",
        key="age",
        text="How old are you?",
        choices=[
            ChoiceSpec("young", "Under 35"),
            ChoiceSpec("old", "35 or over"),
            ChoiceSpec("prefer-not-to-say", "Prefer not to say"),
        ],
    )
    analysed_conversation(conversation)
    return conversation


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_phone_participant_is_screened_describes_themself_and_ratifies(
    open_page, screened_conversation, facilitator
):
    conversation = screened_conversation
    page = open_page(**PHONE)
    page.goto(conversation.get_absolute_url())
    page.get_by_role("link", name="Answer the questions").click()
    page.get_by_label("Yes").check()
    _fits(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".statement-text")).to_be_visible()
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(page.locator("#voting-progress")).to_have_attribute("value", "1")
    page.get_by_role("link", name="Answer a few questions").click()
    page.get_by_label("35 or over").check()
    _fits(page)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you for telling us.")).to_be_visible()
    me = Participant.objects.filter(conversation=conversation).order_by("-id").first()
    assert sorted(Answer.objects.filter(participant=me).values_list("choice__key", flat=True)) == [
        "old",
        "yes",
    ]
    assert ScreeningTally.objects.get().eligible == 1

    draft = compile_draft(
        context=conversation.context,
        actor=facilitator,
        conversation_ids=[conversation.pk],
        rule=SelectionRule(rule="gic"),
    )
    open_ratification(version=draft, actor=facilitator)
    page.goto(conversation.get_absolute_url())
    page.get_by_role("link", name="Ratify it").click()
    page.locator(".ratify-list input[value=reject]").first.check()
    page.get_by_label("I approve the constitution as a whole").check()
    _fits(page)
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is recorded")).to_be_visible()
    votes = RatificationVote.objects.filter(participant=me)
    assert votes.get(principle=None).approve is True
    assert votes.filter(principle__isnull=False, approve=False).count() == 1


def test_phone_ineligible_person_is_told_kindly(open_page, screened_conversation):
    page = open_page(**PHONE)
    page.goto(f"/c/{screened_conversation.public_id}/screening/")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Thank you for your interest")).to_be_visible()
    assert ScreeningTally.objects.get().screened_out == 1
    assert not Participant.objects.filter(answers__isnull=False).exists()
