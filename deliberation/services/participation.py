"""What participants do: join a conversation, vote, write statements.

Each action is one function and one transaction. Checks that refuse an action raise a
`DeliberationError` before anything is written, so a refused action changes nothing.
"""

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.errors import (
    ConversationClosed,
    DuplicateStatement,
    InvalidVote,
    JoinRefused,
    ParticipantExcluded,
    StatementUnavailable,
    WritingNotAllowed,
)
from deliberation.models import (
    STATEMENT_MAX_LENGTH,
    Conversation,
    Invite,
    Participant,
    Statement,
    Vote,
    VoteEvent,
    VoteValue,
)
from deliberation.ratelimit import check_rate
from deliberation.services.routing import choose_by_priority
from deliberation.text import clean_text, is_near_duplicate, normalise_for_comparison


def visible_statements(conversation: Conversation) -> QuerySet[Statement]:
    """The statements participants see and vote on, under the conversation's moderation mode."""
    statements = conversation.statements.all()
    if conversation.moderation == Conversation.Moderation.STRICT:
        return statements.filter(state=Statement.State.ACCEPTED)
    return statements.exclude(state=Statement.State.REJECTED)


def invite_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def join_anonymously(*, conversation: Conversation, ip_address: str) -> Participant:
    if conversation.identity_mode != Conversation.Identity.ANONYMOUS:
        raise JoinRefused()
    check_rate("join", f"ip:{ip_address}")
    return Participant.objects.create(conversation=conversation, kind=Participant.Kind.ANONYMOUS)


def join_by_invite(*, conversation: Conversation, token: str) -> Participant:
    """Join with an invite token; a single-use token admits exactly one participant, ever."""
    if not conversation.is_open:
        # Checked first so that a single-use invitation is not spent on a closed conversation.
        raise ConversationClosed()
    with transaction.atomic():
        # Compare-and-set on `uses` so two people racing on one single-use link cannot both join.
        claimed = (
            Invite.objects.filter(
                conversation=conversation,
                token_sha256=invite_token_hash(token),
                revoked_at__isnull=True,
            )
            .filter(Q(single_use=False) | Q(uses=0))
            .update(uses=F("uses") + 1)
        )
        if not claimed:
            raise JoinRefused()
        invite = Invite.objects.get(token_sha256=invite_token_hash(token))
        return Participant.objects.create(
            conversation=conversation, kind=Participant.Kind.INVITED, invite=invite
        )


def check_external_id(*, conversation: Conversation, xid: str) -> str:
    """Return `xid` cleaned if this conversation admits it, else raise JoinRefused.

    Pages call this before anyone joins, so a refused id is told so at once, not at the first vote.
    """
    xid = clean_text(xid, max_length=200, field=_("External id"))
    if conversation.identity_mode != Conversation.Identity.XID:
        raise JoinRefused()
    allowed = conversation.allowed_xids()
    if allowed and xid not in allowed:
        raise JoinRefused()
    return xid


def join_by_external_id(*, conversation: Conversation, xid: str) -> Participant:
    """The embedding site vouches for `xid`; the same xid is always the same participant."""
    xid = check_external_id(conversation=conversation, xid=xid)
    participant, _created = Participant.objects.get_or_create(
        conversation=conversation, xid=xid, defaults={"kind": Participant.Kind.EXTERNAL}
    )
    return participant


def _check_can_act(participant: Participant) -> Conversation:
    conversation = participant.conversation
    if not conversation.is_open:
        raise ConversationClosed()
    if participant.is_excluded:
        raise ParticipantExcluded()
    return conversation


def cast_vote(*, participant: Participant, statement_id: int, value: int) -> Vote:
    """Record `participant`'s vote on a statement, replacing an earlier one.

    The current vote is written with one INSERT ... ON CONFLICT DO UPDATE, so concurrent double
    submissions can neither create two rows nor lose one; every call also appends a VoteEvent.
    """
    if value not in VoteValue.values:
        raise InvalidVote()
    conversation = _check_can_act(participant)
    check_rate("vote", f"participant:{participant.pk}")
    if not visible_statements(conversation).filter(pk=statement_id).exists():
        raise StatementUnavailable()
    now = timezone.now()
    with transaction.atomic():
        Vote.objects.bulk_create(
            [
                Vote(
                    conversation=conversation,
                    participant=participant,
                    statement_id=statement_id,
                    value=value,
                    created_at=now,
                    updated_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["participant", "statement"],
            update_fields=["value", "updated_at"],
        )
        VoteEvent.objects.create(
            conversation=conversation,
            participant=participant,
            statement_id=statement_id,
            value=value,
            created_at=now,
        )
    return Vote.objects.get(participant=participant, statement_id=statement_id)


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
    duplicate = find_duplicate(conversation, normalised)
    if duplicate is not None:
        raise DuplicateStatement(duplicate)
    check_rate("statement", f"participant:{participant.pk}")
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


def progress(conversation: Conversation, participant: Participant | None = None) -> Progress:
    """Counts only visible statements: a later rejection takes a statement out of both counts."""
    visible = visible_statements(conversation)
    voted = 0
    if participant is not None:
        voted = Vote.objects.filter(participant=participant, statement__in=visible).count()
    return Progress(voted=voted, available=visible.count())


def unseen_statements(
    conversation: Conversation, participant: Participant | None
) -> QuerySet[Statement]:
    """Visible statements the participant has not voted on (all of them for a visitor)."""
    statements = visible_statements(conversation)
    if participant is not None:
        statements = statements.exclude(votes__participant=participant)
    return statements


def choose_statement(
    candidates: QuerySet[Statement], *, seed: int | None = None
) -> Statement | None:
    """The routing rule, alone so that analysis-based priorities can replace it.

    Until an analysis exists: meta statements first (as Polis shows them early), then the statement
    fewest people have seen, so new statements gather votes; ties go to the oldest. This rule is
    deterministic, so `seed` (for a weighted random draw) is not used by it.
    """
    return candidates.annotate(seen=Count("votes")).order_by("-is_meta", "seen", "id").first()


def next_statement_for(
    conversation: Conversation, participant: Participant | None = None, *, seed: int | None = None
) -> Statement | None:
    """The statement to show next, or None when there is nothing left to vote on.

    `participant` is None for a visitor who has not joined yet: participants are created on their
    first vote, not when a page (or a crawler) merely looks.
    """
    candidates = unseen_statements(conversation, participant)
    # Once an analysis exists its routing priorities decide; before that, fewest seen.
    chosen = choose_by_priority(conversation, candidates, seed=seed)
    return chosen if chosen is not None else choose_statement(candidates, seed=seed)
