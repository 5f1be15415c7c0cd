"""A conversation where the young and the old disagree inside both opinion groups, so weighting
the (mostly young) participants to an older population flips a verdict."""

from django.utils import timezone

from deliberation.models import Vote, VoteEvent
from deliberation.services.analysis import analyse_conversation
from deliberation.services.questions import ChoiceSpec, define_question, describe_self, set_targets
from tests.factories import make_participant, make_statement

A, D, P = 1, -1, 0
SPLIT = "The assistant should answer in plain language without jargon."
# (text, camp one, camp two); SPLIT is voted by age instead (young agree, old disagree).
CAMP_STATEMENTS = [
    ("The assistant should refuse to discuss politics.", A, D),
    ("The assistant should suggest banned books on request.", A, D),
    ("The assistant should speak informally.", D, A),
    ("The assistant should collect reading histories to personalise advice.", D, A),
    ("The assistant should say when it is unsure.", A, A),
]
AGES = [
    ChoiceSpec("young", "Under 35"),
    ChoiceSpec("old", "35 or over"),
    ChoiceSpec("prefer-not-to-say", "Prefer not to say"),
]


def age_split_conversation(context, conversation, *, young_per_camp=9, old_per_camp=3):
    """Two camps, each mostly young; the population is 30% young. Returns the snapshot."""
    age = define_question(context=context, kind="self", key="age", text="Age?", choices=AGES)
    set_targets(question=age, shares={"young": 0.3, "old": 0.7}, source="Census 2021")
    split = make_statement(conversation, SPLIT)
    made = [make_statement(conversation, text) for text, _one, _two in CAMP_STATEMENTS]
    now = timezone.now()
    votes, events = [], []
    for camp in (1, 2):
        for index in range(young_per_camp + old_per_camp):
            young = index < young_per_camp
            participant = make_participant(conversation)
            describe_self(participant=participant, answers={"age": "young" if young else "old"})
            pairs = [(split, A if young else D)] + [
                (statement, row[camp]) for statement, row in zip(made, CAMP_STATEMENTS, strict=True)
            ]
            for statement, value in pairs:
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
