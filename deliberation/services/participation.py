"""What participants do: vote and write statements (joining is deliberation/identity/).

Each action is one function and one transaction. Checks that refuse an action raise a
`DeliberationError` before anything is written, so a refused action changes nothing.
"""

from dataclasses import dataclass
from functools import cache

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.errors import (
    ConversationClosed,
    DuplicateStatement,
    InvalidVote,
    ParticipantExcluded,
    StatementUnavailable,
    WritingNotAllowed,
)
from deliberation.models import (
    STATEMENT_MAX_LENGTH,
    Conversation,
    Participant,
    Statement,
    Vote,
    VoteEvent,
    VoteValue,
)
from deliberation.ratelimit import check_rate
from deliberation.readers import statement_by_id, statements_with_voted
from deliberation.services.routing import Row, choose_next_id
from deliberation.text import clean_text, is_near_duplicate, normalise_for_comparison


def _visibility(conversation: Conversation) -> tuple[bool, str]:
    """The moderation rule as (only, state): only statements in `state` are visible, or (when
    `only` is false) all statements but those in `state`."""
    if conversation.moderation == Conversation.Moderation.STRICT:
        return True, Statement.State.ACCEPTED
    return False, Statement.State.REJECTED


def visible_statements(conversation: Conversation) -> QuerySet[Statement]:
    """The statements participants see and vote on, under the conversation's moderation mode."""
    only, state = _visibility(conversation)
    statements = conversation.statements.all()
    return statements.filter(state=state) if only else statements.exclude(state=state)


def _check_can_act(participant: Participant) -> Conversation:
    conversation = participant.conversation
    if not conversation.is_open:
        raise ConversationClosed()
    if participant.is_excluded:
        raise ParticipantExcluded()
    return conversation


# Ids are 64-bit (BigAutoField).
BIGGEST_ID = 2**63 - 1


@cache
def _vote_sql(only_state: bool) -> str:
    # Plain SQL, built once per moderation rule: the ORM's visibility check, upsert and re-read
    # compiled three queries per vote, most of a vote's CPU time. One statement checks that the
    # statement is visible and writes the vote (ON CONFLICT and RETURNING: PostgreSQL, SQLite
    # 3.35+). Only table names are interpolated; every value is a query parameter.
    vote, statement = (
        connection.ops.quote_name(model._meta.db_table) for model in (Vote, Statement)
    )
    columns = "(conversation_id, participant_id, statement_id, value, created_at, updated_at)"
    select = "SELECT conversation_id, %s, id, %s, %s, %s"
    where = f"WHERE id = %s AND conversation_id = %s AND state {'=' if only_state else '<>'} %s"
    upsert = (
        "ON CONFLICT (participant_id, statement_id)"
        " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at RETURNING id"
    )
    return f"INSERT INTO {vote} {columns} {select} FROM {statement} {where} {upsert}"


@cache
def _vote_event_sql() -> str:
    # Plain SQL for the same reason: the ORM's create() spent more CPU building the INSERT than
    # the database spent on it.
    table = connection.ops.quote_name(VoteEvent._meta.db_table)
    columns = "(conversation_id, participant_id, statement_id, value, created_at)"
    return f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, %s)"  # noqa: S608 (a table name)


def cast_vote(*, participant: Participant, statement_id: int, value: int) -> Vote:
    """Record `participant`'s vote on a statement, replacing an earlier one.

    The current vote is written with one INSERT ... ON CONFLICT DO UPDATE, so concurrent double
    submissions can neither create two rows nor lose one; every call also appends a VoteEvent.
    Returns the current vote; its `created_at` is read from the database only if asked for.
    """
    if value not in VoteValue.values:
        raise InvalidVote()
    conversation = _check_can_act(participant)
    check_rate("vote", f"participant:{participant.pk}")
    if not 0 < statement_id <= BIGGEST_ID:  # the database would refuse it with an error
        raise StatementUnavailable()
    only, state = _visibility(conversation)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _vote_sql(only),
            [participant.pk, value, stamp, stamp, statement_id, conversation.pk, state],
        )
        written = cursor.fetchone()
        if written is None:  # not in this conversation, or hidden by moderation
            raise StatementUnavailable()
        cursor.execute(
            _vote_event_sql(), [conversation.pk, participant.pk, statement_id, value, stamp]
        )
    fields = ["id", "conversation_id", "participant_id", "statement_id", "value", "updated_at"]
    vote = Vote.from_db(
        connection.alias,
        fields,
        [written[0], conversation.pk, participant.pk, statement_id, value, now],
    )
    vote.participant = participant
    return vote


def find_duplicate(conversation: Conversation, normalised: str) -> Statement | None:
    """An existing statement that says the same thing: the same folded text, or nearly."""
    candidates = conversation.statements.exclude(state=Statement.State.REJECTED)
    exact = candidates.filter(normalised_text=normalised).first()
    if exact is not None:
        return exact
    for statement in candidates.only("id", "text", "normalised_text"):
        if is_near_duplicate(normalised, statement.normalised_text):
            return statement
    return None


def submit_statement(*, participant: Participant, text: str) -> Statement:
    """A participant proposes a statement; in strict moderation it waits for a facilitator.

    As in Polis, the author is counted as agreeing with their own statement.
    """
    conversation = _check_can_act(participant)
    if not conversation.participants_can_write:
        raise WritingNotAllowed()
    text = clean_text(text, max_length=STATEMENT_MAX_LENGTH, field=_("Statement"))
    normalised = normalise_for_comparison(text)
    # Counted before the duplicate check: a refused duplicate tells whether a text exists
    # (pending ones included), so asking that is a submission like any other.
    check_rate("statement", f"participant:{participant.pk}")
    duplicate = find_duplicate(conversation, normalised)
    if duplicate is not None:
        raise DuplicateStatement(duplicate)
    now = timezone.now()
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                conversation=conversation, text=text, normalised_text=normalised, author=participant
            )
            Vote.objects.create(
                conversation=conversation,
                participant=participant,
                statement=statement,
                value=VoteValue.AGREE,
                created_at=now,
                updated_at=now,
            )
            VoteEvent.objects.create(
                conversation=conversation,
                participant=participant,
                statement=statement,
                value=VoteValue.AGREE,
                created_at=now,
            )
    except IntegrityError:
        # Someone submitted the same text a moment earlier; the database caught it.
        existing = conversation.statements.filter(normalised_text=normalised).first()
        raise DuplicateStatement(existing) from None
    return statement


@dataclass(frozen=True)
class Progress:
    """How far a participant is: statements voted on out of those open for votes."""

    voted: int
    available: int

    @property
    def is_complete(self) -> bool:
        return self.available > 0 and self.voted >= self.available


@dataclass(frozen=True)
class VotingStep:
    """What the voting page shows: how far the participant is, and the statement to vote on
    next (None when they cannot vote or nothing is left)."""

    progress: Progress
    statement: Statement | None


def _unseen_and_progress(
    conversation: Conversation, participant: Participant | None
) -> tuple[list[Row], Progress]:
    """Visible statements the participant has not voted on (all of them for a visitor), as
    (id, is_meta) rows in id order, and their progress."""
    only, state = _visibility(conversation)
    participant_id = participant.pk if participant is not None else None
    rows = statements_with_voted(conversation, participant_id, only=only, state=state)
    unseen = [(pk, is_meta) for pk, is_meta, voted in rows if not voted]
    # Counts only visible statements: a later rejection takes a statement out of both counts.
    return unseen, Progress(voted=len(rows) - len(unseen), available=len(rows))


def progress(conversation: Conversation, participant: Participant | None = None) -> Progress:
    return _unseen_and_progress(conversation, participant)[1]


def _statement(statement_id: int | None) -> Statement | None:
    return None if statement_id is None else statement_by_id(statement_id)


def next_statement_for(
    conversation: Conversation, participant: Participant | None = None, *, seed: int | None = None
) -> Statement | None:
    """The statement to show next, or None when there is nothing left to vote on.

    `participant` is None for a visitor who has not joined yet: participants are created on their
    first vote, not when a page (or a crawler) merely looks. `seed` makes a draw by the
    analysis' priorities reproducible.
    """
    unseen, _done = _unseen_and_progress(conversation, participant)
    return _statement(choose_next_id(conversation, unseen, seed=seed))


def voting_step(*, conversation: Conversation, participant: Participant | None) -> VotingStep:
    """Progress and next statement for the voting page, reading the participant's votes once."""
    unseen, done = _unseen_and_progress(conversation, participant)
    can_vote = conversation.is_open and not (participant is not None and participant.is_excluded)
    if not can_vote:
        return VotingStep(progress=done, statement=None)
    # Seeded by who and how far, so reloading the page shows the same statement again.
    seed = hash((participant.pk, done.voted)) if participant is not None else None
    return VotingStep(
        progress=done, statement=_statement(choose_next_id(conversation, unseen, seed=seed))
    )
