"""Conversations with a known opinion structure, analysed by the real analysis service."""

from django.utils import timezone

from constitutions.rules import SelectionRule
from constitutions.services.compile import compile_draft
from constitutions.services.curation import reword_principle
from constitutions.services.publishing import publish_version
from deliberation.models import Vote, VoteEvent
from deliberation.services.analysis import analyse_conversation
from tests.factories import make_participant, make_statement

A, D, P = 1, -1, 0
# Two camps of twelve. Each row: statement text, vote of camp one, vote of camp two.
STATEMENTS = [
    ("The assistant should say when it is unsure.", A, A),
    ("The assistant should cite the library catalogue.", A, A),
    ("The assistant should recommend only local events.", A, P),
    ("The assistant should refuse to discuss politics.", A, D),
    ("The assistant should collect reading histories to personalise advice.", D, A),
    ("The assistant should suggest banned books on request.", A, D),
    ("The assistant should speak informally.", D, A),
    ("The assistant should use emoji.", P, P),
]
CAMP_SIZE = 12


def analysed_conversation(conversation, statements=STATEMENTS, camp_size=CAMP_SIZE):
    """Seed the statements, let two camps vote, run the analysis; return the snapshot."""
    made = [make_statement(conversation, text) for text, _one, _two in statements]
    now = timezone.now()
    votes, events = [], []
    for camp in (1, 2):
        for _ in range(camp_size):
            participant = make_participant(conversation)
            for statement, row in zip(made, statements, strict=True):
                value = row[camp]
                common = dict(
                    conversation=conversation,
                    participant=participant,
                    statement=statement,
                    value=value,
                )
                votes.append(Vote(**common, created_at=now, updated_at=now))
                events.append(VoteEvent(**common, created_at=now))
    Vote.objects.bulk_create(votes)
    VoteEvent.objects.bulk_create(events)
    return analyse_conversation(conversation_id=conversation.pk)


def compiled_draft(context, conversation, actor, rule="gic", **rule_options):
    if not conversation.snapshots.exists():
        analysed_conversation(conversation)
    return compile_draft(
        context=context,
        actor=actor,
        conversation_ids=[conversation.pk],
        rule=SelectionRule(rule=rule, **rule_options),
    )


def published_version(context, conversation, actor, number="1.0.0", reword=True):
    draft = compiled_draft(context, conversation, actor)
    if reword:
        first = draft.principles.order_by("part", "position").first()
        reword_principle(
            principle=first,
            actor=actor,
            text="Choose the response that admits uncertainty.",
            reason="Clearer as a preference.",
        )
    return publish_version(version=draft, actor=actor, number=number, changelog="First version.")
