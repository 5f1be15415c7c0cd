"""Acting as a visitor: joining and the first vote or statement are one transaction, and a
browser becomes another participant only through the switch page's POST, audited.

A refused action (a hidden statement, a duplicate text, a rate limit) leaves no participant
behind. A returning participant's action runs in its own transaction alone: nesting it in one
more would cost two more round trips on every vote.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction

from deliberation.identity.cookie import current_participant
from deliberation.identity.joining import (
    check_external_id,
    join_anonymously,
    join_by_invite,
    join_checked_external_id,
)
from deliberation.identity.network import client_ip
from deliberation.identity.resolver import Visitor, join_refused
from deliberation.models import Conversation, ModerationAction, Participant, Statement
from deliberation.services.participation import cast_vote, submit_statement

T = TypeVar("T")


def _join(conversation: Conversation, visitor: Visitor) -> Participant:
    if conversation.identity_mode == Conversation.Identity.ANONYMOUS:
        return join_anonymously(conversation=conversation, ip_address=visitor.ip_address)
    if conversation.identity_mode == Conversation.Identity.XID and visitor.checked_xid:
        return join_checked_external_id(
            conversation=conversation, xid=visitor.checked_xid, ip_address=visitor.ip_address
        )
    raise join_refused(conversation)


def join_as(*, conversation: Conversation, visitor: Visitor) -> Participant:
    """The visitor's participant, joining now if they have not: for an action of another app
    (screening, issue 13) that makes a participant. Call inside that action's transaction."""
    return visitor.participant or _join(conversation, visitor)


def _as_visitor(
    conversation: Conversation, visitor: Visitor, action: Callable[[Participant], T]
) -> tuple[Participant, T]:
    if visitor.participant is not None:
        return visitor.participant, action(visitor.participant)
    with transaction.atomic():
        participant = _join(conversation, visitor)
        return participant, action(participant)


def vote_as(
    *, conversation: Conversation, visitor: Visitor, statement_id: int, value: int
) -> Participant:
    """Cast the visitor's vote, joining first if they have not; returns who voted."""
    participant, _vote = _as_visitor(
        conversation,
        visitor,
        lambda participant: cast_vote(
            participant=participant, statement_id=statement_id, value=value
        ),
    )
    return participant


def write_as(
    *, conversation: Conversation, visitor: Visitor, text: str
) -> tuple[Participant, Statement]:
    """Submit the visitor's statement, joining first if they have not."""
    return _as_visitor(
        conversation,
        visitor,
        lambda participant: submit_statement(participant=participant, text=text),
    )


def switch_identity(*, request, conversation: Conversation) -> Participant:
    """The switch page's POST: from now on this browser takes part as the identity of the link
    it posts (an external id, checked as on any page, or an invite), joining as it if need be.
    A change of participant is written to the conversation's audit log with the one before, so
    facilitators can see a browser going from identity to identity."""
    previous_participant = current_participant(request, conversation)
    address = client_ip(request)
    form = request.POST
    with transaction.atomic():
        if form.get("xid"):  # check_external_id refuses it outside external-id mode
            xid = check_external_id(
                conversation=conversation,
                xid=form.get("xid", ""),
                expires=form.get("expires", ""),
                signature=form.get("signature", ""),
                page_pass_token=form.get("page_pass", ""),
            )
            participant = join_checked_external_id(
                conversation=conversation, xid=xid, ip_address=address
            )
        elif form.get("invite"):  # as the join page: an invite admits in any open mode
            participant = join_by_invite(
                conversation=conversation, token=form.get("invite", ""), ip_address=address
            )
        else:
            raise join_refused(conversation)
        if previous_participant is not None and previous_participant.pk != participant.pk:
            ModerationAction.objects.create(
                conversation=conversation,
                actor=None,
                action=ModerationAction.Action.SWITCH,
                participant=participant,
                reason=f"This browser took part as participant {previous_participant.pk} before.",
            )
    participant.conversation = conversation
    return participant
