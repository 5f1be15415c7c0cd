"""Data for the fault tests, written by a Django process pointed at the private servers.

Called through bench.servers.django_call: the test run's own Django points at another database.
"""

from django.utils import timezone

from bench.load_participants import seed_conversation
from deliberation.models import Participant, Statement, Vote, VoteEvent
from deliberation.opinions.synthetic import synthetic_conversation


def seed_large_conversation(*, slug: str, participants: int, statements: int) -> dict:
    """An open conversation with planted opinion groups, big enough that its analysis takes
    seconds, so that a worker can be killed in the middle of it."""
    made = seed_conversation(statements=statements, slug=slug)
    statement_ids = list(
        Statement.objects.filter(conversation_id=made["id"])
        .order_by("id")
        .values_list("id", flat=True)
    )
    people = Participant.objects.bulk_create(
        Participant(conversation_id=made["id"], kind=Participant.Kind.ANONYMOUS)
        for _ in range(participants)
    )
    votes = synthetic_conversation(participants, statements, seed=7).conversation.votes
    now = timezone.now()
    rows = [
        dict(
            conversation_id=made["id"],
            participant_id=people[person].pk,
            statement_id=statement_ids[statement],
            value=int(value),
        )
        for person, statement, value in zip(
            votes.participant_ids, votes.statement_ids, votes.values, strict=True
        )
    ]
    Vote.objects.bulk_create(
        (Vote(**row, created_at=now, updated_at=now) for row in rows), batch_size=5000
    )
    VoteEvent.objects.bulk_create(
        (VoteEvent(**row, created_at=now) for row in rows), batch_size=5000
    )
    return {**made, "votes": len(rows)}
