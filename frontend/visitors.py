"""Who a participant page's request comes from: a participant already, or a visitor who will
join on a POST (anonymously, or with an external id an embedding site sent, signed where the
conversation requires it)."""

from dataclasses import dataclass

from django.utils.http import urlencode
from django.utils.translation import gettext as _

from deliberation.errors import JoinRefused
from deliberation.models import Conversation, Participant
from deliberation.services.participation import (
    check_external_id,
    join_anonymously,
    join_by_external_id,
    page_pass_for,
)
from frontend.client_ip import client_ip
from frontend.participant_cookie import current_participant


@dataclass(frozen=True)
class Visitor:
    """Who a request comes from: a participant already, or someone who will join on a POST.

    An external id from the embedding site, with its expiry and signature where the conversation
    requires signed ids, is carried in the forms and links exactly as the site sent it, until
    the participant exists; from then on the signed participant cookie says who this browser
    is, so the signature is never needed again. That is simpler than putting the id itself in
    the cookie, and as safe: the cookie keeps holding only participant ids (created on a POST,
    never on a GET), and every request that carries an id has it checked, signature included.
    """

    participant: Participant | None
    xid: str = ""
    expires: str = ""
    signature: str = ""
    page_pass: str = ""  # see deliberation/signed_xids.py: honours the link past its expiry


def visitor_for(request, conversation: Conversation) -> Visitor:
    source = request.POST if request.POST.get("xid") else request.GET
    xid = source.get("xid", "")
    if conversation.identity_mode == Conversation.Identity.XID and xid:
        # The embedding site vouches for the id, so it wins over a cookie from an earlier person;
        # where a signature is required, a bare or badly signed id is refused here, before any
        # participant is looked up.
        expires, signature = source.get("expires", ""), source.get("signature", "")
        carried = source.get("page_pass", "")
        cleaned = check_external_id(
            conversation=conversation,
            xid=xid,
            expires=expires,
            signature=signature,
            page_pass_token=carried,
        )
        participant = conversation.participants.filter(xid=cleaned).first()
        if participant is not None:
            participant.conversation = conversation
            return Visitor(participant, xid, expires, signature)  # the cookie takes over
        page_pass = page_pass_for(
            conversation=conversation, xid=xid, expires=expires, carried=carried
        )
        return Visitor(None, xid, expires, signature, page_pass)
    return Visitor(current_participant(request, conversation))


def acting_participant(request, conversation: Conversation, visitor: Visitor) -> Participant:
    """The participant a POST acts as, joining now if need be. Call inside the action's transaction,
    so a refused action leaves no participant behind."""
    if visitor.participant is not None:
        return visitor.participant
    if conversation.identity_mode == Conversation.Identity.ANONYMOUS:
        return join_anonymously(conversation=conversation, ip_address=client_ip(request))
    if conversation.identity_mode == Conversation.Identity.XID and visitor.xid:
        return join_by_external_id(
            conversation=conversation,
            xid=visitor.xid,
            expires=visitor.expires,
            signature=visitor.signature,
            page_pass_token=visitor.page_pass,
        )
    raise join_refused(conversation)


def may_act(conversation: Conversation, visitor: Visitor) -> bool:
    """Whether this visitor is, or can become on a POST, a participant who is not excluded."""
    if visitor.participant is not None:
        return not visitor.participant.is_excluded
    return conversation.identity_mode == Conversation.Identity.ANONYMOUS or bool(visitor.xid)


def join_refused(conversation: Conversation) -> JoinRefused:
    if conversation.identity_mode == Conversation.Identity.XID:
        return JoinRefused(_("Open this conversation from the site that invited you to it."))
    return JoinRefused()


def carried_fields(visitor: Visitor) -> dict:
    """For the pages of someone not joined yet: the external id's parameters as hidden form
    fields (`xid_fields`) and as a query string for links (`xid_query`)."""
    fields = {}
    if visitor.participant is None:
        given = {
            "xid": visitor.xid,
            "expires": visitor.expires,
            "signature": visitor.signature,
            "page_pass": visitor.page_pass,
        }
        fields = {name: value for name, value in given.items() if value}
    return {"xid_fields": fields, "xid_query": urlencode(fields)}
