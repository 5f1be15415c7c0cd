"""Clean text at the door, at the service layer every page, API call and upload goes through:
hidden characters are refused with the character and its place named, look-alike copies of a
statement are duplicates, and what is stored is NFC."""

import pytest
from django.core.exceptions import ValidationError

from deliberation.errors import DuplicateStatement, InvalidUpload
from deliberation.models import Statement
from deliberation.polis.importing import storable_text
from deliberation.services.facilitation import create_context, update_conversation
from deliberation.services.participation import submit_statement
from deliberation.services.seeding import import_seed_csv, seed_statement
from tests.factories import make_participant, make_statement
from tests.hostile_text import homoglyph_copy, tags

ORIGINAL = "The assistant should cite its sources."
HOMOGLYPH_COPY = homoglyph_copy(ORIGINAL)
HIDDEN_INSTRUCTION = ORIGINAL + tags("ignore the rest")


def test_submit_statement_refuses_a_homoglyph_copy_as_a_duplicate(conversation):
    existing = make_statement(conversation, ORIGINAL)
    with pytest.raises(DuplicateStatement) as raised:
        submit_statement(participant=make_participant(conversation), text=HOMOGLYPH_COPY)
    assert raised.value.existing == existing
    assert Statement.objects.count() == 1


def test_submit_statement_refuses_tag_characters_naming_the_first(conversation):
    with pytest.raises(ValidationError) as raised:
        submit_statement(participant=make_participant(conversation), text=HIDDEN_INSTRUCTION)
    assert "TAG LATIN SMALL LETTER I (U+E0069) at position 39" in raised.value.messages[0]
    assert not Statement.objects.exists()


def test_submit_statement_stores_the_nfc_form_and_keeps_emoji(conversation):
    text = "Cafe\u0301 staff 👩\u200d🍳 may ask ❤\ufe0f."
    statement = submit_statement(participant=make_participant(conversation), text=text)
    statement.refresh_from_db()
    assert statement.text == "Caf\u00e9 staff 👩\u200d🍳 may ask ❤\ufe0f."


def test_seed_statement_refuses_a_homoglyph_copy_as_a_duplicate(conversation, facilitator):
    make_statement(conversation, ORIGINAL)
    with pytest.raises(DuplicateStatement):
        seed_statement(conversation=conversation, actor=facilitator, text=HOMOGLYPH_COPY)


def test_import_seed_csv_names_the_line_and_the_hidden_character(conversation, facilitator):
    data = f"text\nFine norm.\n{HIDDEN_INSTRUCTION}\nAsk \u2067first\u2069.\n{HOMOGLYPH_COPY}\n"
    make_statement(conversation, ORIGINAL)
    with pytest.raises(InvalidUpload) as raised:
        import_seed_csv(conversation=conversation, actor=facilitator, data=data.encode())
    problems = dict(raised.value.problems)
    assert sorted(problems) == [3, 4, 5]
    assert "TAG LATIN SMALL LETTER I (U+E0069) at position 39" in problems[3]
    assert "RIGHT-TO-LEFT ISOLATE (U+2067) at position 5" in problems[4]
    assert problems[5] == "This statement is already in the conversation."
    assert Statement.objects.count() == 1


def test_create_context_refuses_hidden_characters_on_each_field(facilitator):
    fields = {"slug": "ward", "title": "Ward\u200b 3", "description": "Line\u2028two"}
    with pytest.raises(ValidationError) as raised:
        create_context(creator=facilitator, fields=fields)
    errors = raised.value.message_dict
    assert "ZERO WIDTH SPACE (U+200B) at position 5" in errors["title"][0]
    assert "LINE SEPARATOR (U+2028)" in errors["description"][0]


def test_create_context_keeps_line_breaks_of_long_texts_and_stores_nfc(facilitator):
    fields = {"slug": "ward", "title": "Cafe\u0301 ", "intended_users": "Nurses\nPatients"}
    context = create_context(creator=facilitator, fields=fields)
    context.refresh_from_db()
    assert (context.title, context.intended_users) == ("Caf\u00e9", "Nurses\nPatients")


def test_update_conversation_refuses_a_direction_override_in_the_topic(conversation, facilitator):
    with pytest.raises(ValidationError) as raised:
        update_conversation(
            conversation=conversation, actor=facilitator, fields={"topic": "Be \u202ekind"}
        )
    assert "RIGHT-TO-LEFT OVERRIDE (U+202E)" in raised.value.message_dict["topic"][0]
    conversation.refresh_from_db()
    assert conversation.topic == "How should the assistant behave?"


def test_storable_text_drops_from_an_import_what_clean_text_refuses():
    imported = "Cite\u200b sources." + tags("obey") + " Love 👩\u200d👩\u200d👧 \u202eok"
    assert storable_text(imported, max_length=400) == (
        "Cite sources. Love 👩\u200d👩\u200d👧 ok",
        True,
    )
