"""A facilitator in a real browser: signs in, works the moderation queue, seeds from a CSV."""

import pytest
from playwright.sync_api import expect

from deliberation.models import ModerationAction, Statement
from tests.factories import make_participant, make_statement

pytestmark = pytest.mark.browser

PASSWORD = "a-long-facilitator-password"  # the shared `facilitator` fixture's


@pytest.fixture
def signed_in(page, facilitator):
    page.goto("/facilitate/login/")
    page.get_by_label("Username").fill(facilitator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def test_facilitator_accepts_and_rejects_statements_from_the_queue(signed_in, conversation):
    author = make_participant(conversation)
    waiting = [
        make_statement(conversation, text, state=Statement.State.PENDING, author=author)
        for text in (
            "The assistant should remind patrons when their loans are due.",
            "The assistant should share patrons' questions with advertisers.",
        )
    ]
    page = signed_in
    page.goto(f"/facilitate/conversations/{conversation.public_id}/moderation/")
    expect(page.get_by_role("link", name="Waiting (2)")).to_be_visible()

    accepted_row = page.locator(f"#statement-{waiting[0].pk}")
    accepted_row.get_by_role("button", name="Accept").click()
    expect(page.locator(f"#statement-{waiting[0].pk}")).to_contain_text("Accepted")
    # The tabs' counts follow, without reloading the page.
    expect(page.get_by_role("link", name="Waiting (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Accepted (1)")).to_be_visible()

    rejected_row = page.locator(f"#statement-{waiting[1].pk}")
    rejected_row.get_by_label("Reason").fill("Asks for patrons' data to be shared.")
    rejected_row.get_by_role("button", name="Reject").click()
    expect(page.locator(f"#statement-{waiting[1].pk}")).to_contain_text("Rejected")

    states = dict(
        Statement.objects.filter(pk__in=[s.pk for s in waiting]).values_list("pk", "state")
    )
    assert states == {waiting[0].pk: "accepted", waiting[1].pk: "rejected"}
    log = ModerationAction.objects.filter(conversation=conversation).order_by("id")
    assert [(entry.action, entry.reason) for entry in log] == [
        ("accept", ""),
        ("reject", "Asks for patrons' data to be shared."),
    ]


def test_facilitator_moderates_from_a_360_px_phone_without_scrolling_sideways(
    open_page, facilitator, conversation
):
    waiting = make_statement(
        conversation,
        "The assistant should remind patrons when their loans are due.",
        state=Statement.State.PENDING,
        author=make_participant(conversation),
    )
    page = open_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page.goto("/facilitate/login/")
    page.get_by_label("Username").fill(facilitator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/facilitate/conversations/{conversation.public_id}/moderation/")
    hidden = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')]"
        ".map(e => e.scrollWidth - e.clientWidth).reduce((a, b) => Math.max(a, b), 0)"
    )
    assert hidden <= 0, f"the queue hides {hidden}px to the side at 360px"
    row = page.locator(f"#statement-{waiting.pk}")
    expect(row.get_by_role("button", name="Accept")).to_be_in_viewport()
    row.get_by_role("button", name="Accept").tap()
    expect(page.locator(f"#statement-{waiting.pk}")).to_contain_text("Accepted")
    waiting.refresh_from_db()
    assert waiting.state == Statement.State.ACCEPTED


def test_facilitator_csv_upload_with_a_bad_row_reports_its_line_and_imports_nothing(
    signed_in, conversation
):
    page = signed_in
    page.goto(f"/facilitate/conversations/{conversation.public_id}/seed/")
    rows = (
        "text,is_meta\n"
        "The assistant should say when it is unsure.,false\n"
        "The assistant should help patrons renew their loans.,perhaps\n"
        "I am a library patron.,true\n"
    )
    csv_section = page.get_by_role("region", name="Import a CSV file")
    csv_section.get_by_label("CSV file").set_input_files(
        files=[{"name": "seeds.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.get_by_role("button", name="Import").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was changed")
    expect(alert.get_by_role("listitem")).to_have_count(1)
    expect(alert.get_by_role("listitem")).to_contain_text("Line 3:")
    expect(alert.get_by_role("listitem")).to_contain_text("perhaps")
    assert not Statement.objects.filter(conversation=conversation).exists()


def test_facilitator_excludes_a_participant_after_confirming(signed_in, conversation):
    participant = make_participant(conversation)
    page = signed_in
    page.goto(f"/facilitate/conversations/{conversation.public_id}/participants/")
    page.locator(f"#participant-{participant.pk}").get_by_role("link", name="Exclude…").click()
    page.get_by_label("Reason").fill("Vote flooding.")
    page.get_by_role("button", name="Exclude").click()
    expect(page.locator(f"#participant-{participant.pk}")).to_contain_text("Vote flooding.")
    expect(
        page.locator(f"#participant-{participant.pk}").get_by_role("button", name="Readmit")
    ).to_be_visible()
    participant.refresh_from_db()
    assert participant.excluded_reason == "Vote flooding."


def test_facilitator_copies_the_participant_link(signed_in, conversation):
    page = signed_in
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/facilitate/conversations/{conversation.public_id}/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/c/{conversation.public_id}/") and copied.startswith("http")
