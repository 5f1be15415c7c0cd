"""Exports never contain e-mail addresses, IP addresses or participants' database ids.

Participants get large, distinctive database ids, so any place an export leaks one shows up as
that number in the text. Covered: the API's raw-data exports (votes, snapshot list and detail),
`manage.py export_polis`, and every format of a published constitution.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from constitutions.renderers import FORMATS
from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.publishing import publish_version
from constitutions.services.tokens import create_token
from deliberation.identity.joining import join_anonymously
from deliberation.models import Participant, Statement, Vote, VoteEvent
from deliberation.services.analysis import analyse_conversation
from tests.constitutions.helpers import CAMP_SIZE, STATEMENTS
from tests.factories import make_statement

FIRST_ID = 987_650_001  # far above anything a test database hands out by itself
EMAIL = "facilitator.private@example.org"
PARTICIPANT_EMAIL = "alice.private@example.org"
IP_ADDRESS = "203.0.113.77"


@pytest.fixture
def world(context, conversation):
    """Two camps of participants with distinctive ids, who wrote some statements and voted;
    the conversation analysed and its constitution published."""
    facilitator = get_user_model().objects.create_user(
        "facilitator", email=EMAIL, password="a-long-facilitator-password"
    )
    context.facilitators.add(facilitator)
    people = [
        Participant.objects.create(
            pk=FIRST_ID + index,
            conversation=conversation,
            kind=Participant.Kind.EXTERNAL if index == 0 else Participant.Kind.ANONYMOUS,
            xid=PARTICIPANT_EMAIL if index == 0 else "",
        )
        for index in range(2 * CAMP_SIZE)
    ]
    statements = [
        make_statement(conversation, text, author=people[index % len(people)])
        for index, (text, _one, _two) in enumerate(STATEMENTS)
    ]
    now = timezone.now()
    rows = [
        dict(
            conversation=conversation,
            participant=person,
            statement=statement,
            value=row[1 if number < CAMP_SIZE else 2],
        )
        for number, person in enumerate(people)
        for statement, row in zip(statements, STATEMENTS, strict=True)
    ]
    Vote.objects.bulk_create(Vote(**row, created_at=now, updated_at=now) for row in rows)
    VoteEvent.objects.bulk_create(VoteEvent(**row, created_at=now) for row in rows)
    # An anonymous join from a known address: the address is a rate-limit key, never stored.
    join_anonymously(conversation=conversation, ip_address=IP_ADDRESS)
    snapshot = analyse_conversation(conversation_id=conversation.pk)
    draft = compile_draft(
        context=context,
        actor=facilitator,
        conversation_ids=[conversation.pk],
        rule=SelectionRule(rule="gic"),
    )
    version = publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")
    return facilitator, people, snapshot, version


def assert_no_identifiers(text: str, people, where: str) -> None:
    for person in people:
        assert str(person.pk) not in text, f"{where} holds participant id {person.pk}"
    for secret in (EMAIL, PARTICIPANT_EMAIL, IP_ADDRESS):
        assert secret not in text, f"{where} holds {secret}"


def test_raw_data_exports_hold_no_identifiers(client, context, conversation, world):
    facilitator, people, snapshot, _version = world
    _token, raw = create_token(user=facilitator, name="research", scope="raw", days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    base = f"/api/v1/contexts/{context.slug}/conversations/{conversation.public_id}/"
    for url in (
        f"{base}votes/",
        f"{base}snapshots/",
        f"{base}snapshots/{snapshot.pk}/",
        base,
        f"/api/v1/contexts/{context.slug}/conversations/",
    ):
        response = client.get(url, **auth)
        assert response.status_code == 200, url
        assert_no_identifiers(response.content.decode(), people, url)
    # The check is not vacuous: the snapshot itself does hold the database ids.
    assert str(people[0].pk) in str(snapshot.result)


def test_polis_export_holds_no_identifiers(conversation, world, tmp_path):
    _facilitator, people, _snapshot, _version = world
    call_command("export_polis", conversation.public_id, str(tmp_path), "--no-progress")
    files = sorted(Path(tmp_path).glob("*.csv"))
    assert {path.name for path in files} >= {"votes.csv", "participants-votes.csv"}
    for path in files:
        assert_no_identifiers(path.read_text(encoding="utf-8"), people, path.name)


@pytest.mark.parametrize("name", list(FORMATS))
def test_constitution_formats_hold_no_identifiers(name, client, context, world):
    _facilitator, people, _snapshot, version = world
    assert Statement.objects.filter(author__in=people).exists()
    assert '"consensus_principles":[{' in version.canonical_json
    response = client.get(
        f"/api/v1/contexts/{context.slug}/constitution/versions/1.0.0/", {"format": name}
    )
    assert response.status_code == 200
    assert_no_identifiers(response.content.decode(), people, name)
    assert_no_identifiers(version.canonical_json, people, "canonical document")
