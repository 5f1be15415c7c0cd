"""first_row: the instance the ORM would have built, from plain SQL."""

from datetime import UTC, datetime

from deliberation.models import Conversation, Participant, Statement
from deliberation.readers import first_row
from tests.factories import make_participant, make_statement


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_first_row_builds_the_instance_the_orm_builds(conversation):
    # A boolean and an aware datetime: SQLite returns 1 and a naive datetime without the ORM's
    # converters.
    statement = make_statement(conversation, "Cite your sources.", is_meta=True)
    excluded = make_participant(conversation, excluded_at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    for model, pk in ((Statement, statement.pk), (Participant, excluded.pk)):
        read = first_row(model, "id = %s", [pk])
        expected = model.objects.get(pk=pk)
        assert field_values(read) == field_values(expected)
        assert {type(value) for value in field_values(read).values()} == {
            type(value) for value in field_values(expected).values()
        }
    assert first_row(Statement, "id = %s", [statement.pk]).is_meta is True
    assert first_row(Participant, "id = %s", [excluded.pk]).excluded_at.tzinfo is not None


def test_first_row_instance_saves_as_an_update(conversation):
    read = first_row(Conversation, "public_id = %s", [conversation.public_id])
    read.topic = "Renamed"
    read.save()
    assert Conversation.objects.get().topic == "Renamed"


def test_first_row_is_none_when_no_row_matches(conversation):
    assert first_row(Conversation, "public_id = %s", ["no-such-id"]) is None
