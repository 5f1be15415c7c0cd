"""Who a participant page's request comes from: a participant already, or a visitor who will
join on a POST (anonymously, by invite, or with an external id an embedding site sent, signed
where the conversation requires it).

`visitor_for` is the one answer for every participant page. The signed cookie says who this
browser is; a link for another identity never replaces it on its own: it raises `SwitchAsked`,
and only the switch page's POST (acting.switch_identity) makes the browser someone else.
"""

from dataclasses import dataclass
from http import HTTPStatus

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.hashing import token_hash
from deliberation.errors import DeliberationError, JoinRefused
from deliberation.identity.cookie import current_participant
from deliberation.identity.joining import (
    check_external_id,
    invite_admits,
    page_pass_for,
)
from deliberation.identity.network import client_ip
from deliberation.models import Conversation, Participant


class SwitchAsked(DeliberationError):
    """The request carries a valid link for someone other than the participant this browser
    already is. `link` holds the link's parameters, for the switch page to post."""

    status = HTTPStatus.CONFLICT
    default_message = gettext_lazy(
        "This browser already takes part in this conversation as someone else than the link "
        "you opened names."
    )

    def __init__(self, current: Participant, link: dict[str, str]):
        self.current = current
        self.link = link
        super().__init__()


@dataclass(frozen=True)
class Visitor:
    """Who a request comes from: a participant already, or someone who will join on a POST.

    An external id from the embedding site, with its expiry and signature where the conversation
    requires signed ids, is carried in the forms and links exactly as the site sent it, until
    the participant exists; from then on the signed participant cookie says who this browser
    is, so the signature is never needed again. That is simpler than putting the id itself in
    the cookie, and as safe: the cookie keeps holding only participant ids (created on a POST,
    never on a GET), and every request that carries an id has it checked, signature included,
    once: `checked_xid` is the id as that check returned it, so joining does not check again.
    """

    participant: Participant | None
    xid: str = ""
    expires: str = ""
    signature: str = ""
    page_pass: str = ""  # see signed_xids.py: honours the link past its expiry
    checked_xid: str = ""
    ip_address: str = ""


def visitor_for(request, conversation: Conversation) -> Visitor:
    """Who `request` comes from in `conversation`. Raises JoinRefused (or ValidationError) for a
    link that is not valid here, SwitchAsked for a valid link naming someone else than the
    participant the cookie says this browser is."""
    current = current_participant(request, conversation)
    address = client_ip(request)
    source = request.POST if request.POST.get("xid") else request.GET
    xid = source.get("xid", "")
    if conversation.identity_mode == Conversation.Identity.XID and xid:
        # Where a signature is required, a bare or badly signed id is refused here, before any
        # participant is looked up.
        expires, signature = source.get("expires", ""), source.get("signature", "")
        carried = source.get("page_pass", "")
        checked = check_external_id(
            conversation=conversation,
            xid=xid,
            expires=expires,
            signature=signature,
            page_pass_token=carried,
        )
        page_pass = page_pass_for(
            conversation=conversation, xid=xid, expires=expires, carried=carried
        )
        participant = conversation.participants.filter(xid=checked).first()
        if current is not None and (participant is None or participant.pk != current.pk):
            link = {"xid": xid, "expires": expires, "signature": signature, "page_pass": page_pass}
            raise SwitchAsked(current, {name: value for name, value in link.items() if value})
        if participant is not None:
            participant.conversation = conversation
            return Visitor(participant, ip_address=address)  # the cookie takes over
        return Visitor(None, xid, expires, signature, page_pass, checked, address)
    if conversation.identity_mode == Conversation.Identity.INVITE and current is not None:
        token = request.GET.get("invite", "")
        if token and _another_invite(conversation, current, token):
            raise SwitchAsked(current, {"invite": token})
    return Visitor(current, ip_address=address)


def _another_invite(conversation: Conversation, current: Participant, token: str) -> bool:
    """Whether `token` is a usable invite other than the one `current` joined with."""
    if current.invite_id is not None and current.invite.token_sha256 == token_hash(token):
        return False
    return invite_admits(conversation=conversation, token=token)


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
