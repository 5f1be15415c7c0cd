"""What facilitators do: set up contexts and conversations, moderate, exclude participants,
open and close, invite links and the signing of external ids (seeding: `seeding.py`).

Every action on a conversation writes a `ModerationAction` in the same transaction, so the audit
log can never miss a change nor record one that did not happen. Functions take values already
shaped by a form or serializer, and still refuse (with `ValidationError` or a `DeliberationError`)
anything that would break the domain's rules, before writing anything.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.hashing import token_hash
from deliberation.models import (
    Context,
    Conversation,
    Invite,
    ModerationAction,
    Participant,
    Statement,
    new_xid_key,
    parse_xid_allowlist,
)
from deliberation.text import clean_text

# The fields a facilitator may set; anything else (facilitators, public ids) is never taken
# from user input, whatever a form or request body carries.
CONTEXT_FIELDS = (
    "slug",
    *Context.DESCRIPTION_FIELDS,
    "valid_from",
    "valid_until",
    "is_public",
    "constitution_licence",
)
CONVERSATION_FIELDS = (
    "topic",
    "description",
    "state",
    "moderation",
    "participants_can_write",
    "identity_mode",
    "xid_allowlist",
)
# Settings that change who may take part, or how their statements are treated: each change is
# written to the audit log with its old and new value.
AUDITED_CONVERSATION_FIELDS = (
    "moderation",
    "participants_can_write",
    "identity_mode",
    "xid_allowlist",
)
REASON_MAX_LENGTH = 1000


def _log(conversation, actor, action, *, statement=None, participant=None, reason=""):
    ModerationAction.objects.create(
        conversation=conversation,
        actor=actor,
        action=action,
        statement=statement,
        participant=participant,
        reason=reason,
    )


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    return fields


def _check_validity_window(valid_from, valid_until) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The validity window ends before it starts.")})


def create_context(*, creator, fields: dict) -> Context:
    """Create a context of use; its creator becomes its first facilitator."""
    fields = _only(fields, CONTEXT_FIELDS)
    _check_validity_window(fields.get("valid_from"), fields.get("valid_until"))
    try:
        with transaction.atomic():
            context = Context.objects.create(**fields)
            context.facilitators.add(creator)
    except IntegrityError:
        # Another facilitator took the slug a moment ago; the form's own check came too early.
        raise ValidationError({"slug": _("A context with this slug exists already.")}) from None
    return context


def update_context(*, context: Context, fields: dict) -> Context:
    """Change a context's description. The slug is in every link to it, so it stays."""
    fields = _only(fields, tuple(name for name in CONTEXT_FIELDS if name != "slug"))
    _check_validity_window(
        fields.get("valid_from", context.valid_from), fields.get("valid_until", context.valid_until)
    )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(context, name, value)
        context.save(update_fields=[*fields, "updated_at"])
    return context


def create_conversation(*, context: Context, actor, fields: dict) -> Conversation:
    fields = _only(fields, CONVERSATION_FIELDS)
    state = fields.pop("state", Conversation.State.DRAFT)
    with transaction.atomic():
        conversation = Conversation.objects.create(context=context, **fields)
        if state != Conversation.State.DRAFT:
            set_conversation_state(conversation=conversation, actor=actor, state=state)
    return conversation


def update_conversation(*, conversation: Conversation, actor, fields: dict) -> Conversation:
    """Change a conversation's settings; opening or closing it is logged as such."""
    fields = _only(fields, CONVERSATION_FIELDS)
    state = fields.pop("state", conversation.state)
    if state == Conversation.State.DRAFT and conversation.state != Conversation.State.DRAFT:
        # Participants may have voted already; "draft" would pretend they had not.
        raise ValidationError(
            {"state": _("A conversation that has been opened cannot be a draft again.")}
        )
    changes = _audited_changes(conversation, fields)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(conversation, name, value)
        conversation.save(update_fields=[*fields, "updated_at"])
        if changes:
            _log(conversation, actor, ModerationAction.Action.SETTINGS, reason=changes)
        if state != conversation.state:
            set_conversation_state(conversation=conversation, actor=actor, state=state)
    return conversation


def _audited_changes(conversation: Conversation, fields: dict) -> str:
    """ "identity_mode: anonymous -> xid; ..." for the audited settings that change."""
    changes = []
    for name in AUDITED_CONVERSATION_FIELDS:
        before = getattr(conversation, name)
        if name in fields and fields[name] != before:
            if name == "xid_allowlist":  # the ids themselves stay out of the log
                old, new = (len(parse_xid_allowlist(text)) for text in (before, fields[name]))
                changes.append(f"{name}: {old} -> {new} ids")
            else:
                changes.append(f"{name}: {before} -> {fields[name]}")
    return "; ".join(changes)


def _clean_reason(reason: str, *, required: bool) -> str:
    if not required and not reason.strip():
        return ""
    return clean_text(reason, max_length=REASON_MAX_LENGTH, field=_("Reason"), multiline=True)


def moderate_statement(*, statement: Statement, actor, accept: bool, reason: str = "") -> Statement:
    if not accept and not reason.strip():
        raise ValidationError(_("Say why the statement is rejected; the author may ask."))
    reason = _clean_reason(reason, required=not accept)
    with transaction.atomic():
        statement.state = Statement.State.ACCEPTED if accept else Statement.State.REJECTED
        statement.moderated_by = actor
        statement.moderated_at = timezone.now()
        statement.moderation_reason = reason
        statement.save(update_fields=["state", "moderated_by", "moderated_at", "moderation_reason"])
        action = ModerationAction.Action.ACCEPT if accept else ModerationAction.Action.REJECT
        _log(statement.conversation, actor, action, statement=statement, reason=reason)
    return statement


def set_meta(*, statement: Statement, actor, is_meta: bool) -> Statement:
    with transaction.atomic():
        statement.is_meta = is_meta
        statement.save(update_fields=["is_meta"])
        action = ModerationAction.Action.META if is_meta else ModerationAction.Action.UNMETA
        _log(statement.conversation, actor, action, statement=statement)
    return statement


def exclude_participant(*, participant: Participant, actor, reason: str) -> Participant:
    """Exclude a participant: their votes stay stored but leave the maths and they cannot act."""
    reason = _clean_reason(reason, required=True)
    with transaction.atomic():
        participant.excluded_at = timezone.now()
        participant.excluded_reason = reason
        participant.save(update_fields=["excluded_at", "excluded_reason"])
        _log(
            participant.conversation,
            actor,
            ModerationAction.Action.EXCLUDE,
            participant=participant,
            reason=reason,
        )
    return participant


def readmit_participant(*, participant: Participant, actor) -> Participant:
    with transaction.atomic():
        participant.excluded_at = None
        participant.excluded_reason = ""
        participant.save(update_fields=["excluded_at", "excluded_reason"])
        _log(
            participant.conversation,
            actor,
            ModerationAction.Action.READMIT,
            participant=participant,
        )
    return participant


def set_conversation_state(*, conversation: Conversation, actor, state: str) -> Conversation:
    """Open or close a conversation; asking for the state it is in already changes nothing."""
    if state not in (Conversation.State.OPEN, Conversation.State.CLOSED):
        raise ValidationError(_("A conversation can be opened or closed."))
    if state == conversation.state:
        return conversation
    with transaction.atomic():
        conversation.state = state
        conversation.save(update_fields=["state", "updated_at"])
        opened = state == Conversation.State.OPEN
        _log(
            conversation,
            actor,
            ModerationAction.Action.OPEN if opened else ModerationAction.Action.CLOSE,
        )
    return conversation


def create_invite(*, conversation: Conversation, actor, single_use: bool, label: str = "") -> str:
    """Create an invite link and return its token; only the hash is stored, so show it now."""
    if label.strip():
        label = clean_text(label, max_length=100, field=_("Label"))
    token = secrets.token_urlsafe(18)
    with transaction.atomic():
        Invite.objects.create(
            conversation=conversation,
            token_sha256=token_hash(token),
            single_use=single_use,
            label=label.strip(),
            created_by=actor,
        )
        _log(conversation, actor, ModerationAction.Action.INVITE, reason=label.strip())
    return token


def revoke_invite(*, invite: Invite, actor) -> Invite:
    """Stop an invite link admitting anyone new; people who joined with it stay."""
    if invite.revoked_at is not None:
        return invite
    with transaction.atomic():
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
        _log(invite.conversation, actor, ModerationAction.Action.REVOKE_INVITE, reason=invite.label)
    return invite


def set_xid_signing(*, conversation: Conversation, actor, required: bool) -> Conversation:
    """Require external ids signed with the conversation's key, or stop requiring them; asking
    for the setting in force already changes nothing and logs nothing."""
    with transaction.atomic():
        # Compare-and-set, so two facilitators pressing the same button log one change.
        changed = Conversation.objects.filter(pk=conversation.pk, xid_signed=not required).update(
            xid_signed=required, updated_at=timezone.now()
        )
        if changed:
            action = (
                ModerationAction.Action.XID_SIGNED
                if required
                else ModerationAction.Action.XID_UNSIGNED
            )
            _log(conversation, actor, action)
    conversation.xid_signed = required
    return conversation


def regenerate_xid_key(*, conversation: Conversation, actor) -> Conversation:
    """Replace the signing key: links signed with the old one stop working at once. People who
    joined with one stay participants, recognised by their browser's cookie."""
    with transaction.atomic():
        conversation.xid_key = new_xid_key()
        conversation.save(update_fields=["xid_key", "updated_at"])
        _log(conversation, actor, ModerationAction.Action.XID_REKEY)
    return conversation
