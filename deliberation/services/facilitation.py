"""What facilitators do: set up contexts and conversations, seed statements, moderate, exclude
participants, open and close, invite links and the signing of external ids.

Every action on a conversation writes a `ModerationAction` in the same transaction, so the audit
log can never miss a change nor record one that did not happen. Functions take values already
shaped by a form or serializer, and still refuse (with `ValidationError` or a `DeliberationError`)
anything that would break the domain's rules, before writing anything.
"""

import csv
import io
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.errors import DuplicateStatement, InvalidUpload
from deliberation.models import (
    STATEMENT_MAX_LENGTH,
    Context,
    Conversation,
    Invite,
    ModerationAction,
    Participant,
    Statement,
    new_xid_key,
    parse_xid_allowlist,
)
from deliberation.services.participation import find_duplicate, invite_token_hash
from deliberation.text import (
    clean_text,
    is_near_duplicate,
    normalise_for_comparison,
)

# The fields a facilitator may set; anything else (facilitators, public ids) is never taken
# from user input, whatever a form or request body carries.
CONTEXT_FIELDS = ("slug", *Context.DESCRIPTION_FIELDS, "valid_from", "valid_until", "is_public")
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
SEED_CSV_MAX_BYTES = 1_000_000
# Seeds start a conversation; Polis advises a few dozen. Each row is compared with every earlier
# row and existing statement for near-duplicates, so the limit also bounds that quadratic work.
SEED_CSV_MAX_ROWS = 200
TRUE_WORDS = {"1", "true", "yes", "y", "t"}
FALSE_WORDS = {"", "0", "false", "no", "n", "f"}


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


def seed_statement(
    *, conversation: Conversation, actor, text: str, is_meta: bool = False
) -> Statement:
    """Add a facilitator's statement, accepted at once."""
    text = clean_text(text, max_length=STATEMENT_MAX_LENGTH, field=_("Statement"))
    normalised = normalise_for_comparison(text)
    duplicate = find_duplicate(conversation, normalised)
    if duplicate is not None:
        raise DuplicateStatement(duplicate)
    return _create_seed(conversation, actor, text, normalised, is_meta)


def _create_seed(conversation, actor, text: str, normalised: str, is_meta: bool) -> Statement:
    """Write a seed whose text was cleaned and checked for duplicates by the caller."""
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                conversation=conversation,
                text=text,
                normalised_text=normalised,
                state=Statement.State.ACCEPTED,
                is_seed=True,
                is_meta=is_meta,
                moderated_by=actor,
                moderated_at=timezone.now(),
            )
            _log(conversation, actor, ModerationAction.Action.SEED, statement=statement)
    except IntegrityError:
        # The same text was rejected earlier (find_duplicate skips those) or written a moment ago.
        existing = conversation.statements.filter(normalised_text=normalised).first()
        raise DuplicateStatement(existing) from None
    return statement


def _parse_flag(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(_("is_meta must be true or false, not “%(value)s”.") % {"value": raw})


def _duplicate_problem(folded: str, existing: set[str], shown: list[str], seen: dict) -> str | None:
    """Why a row repeats what exists or an earlier row, or None. Same rules as seed_statement."""
    if folded in existing:
        return _("This statement is already in the conversation.")
    if folded in seen:
        return _("Repeats line %(line)d.") % {"line": seen[folded]}
    if any(is_near_duplicate(folded, other) for other in shown):
        return _("Nearly the same as a statement already in the conversation.")
    for other, line in seen.items():
        if is_near_duplicate(folded, other):
            return _("Nearly the same as line %(line)d.") % {"line": line}
    return None


def parse_seed_csv(*, conversation: Conversation, data: bytes) -> list[tuple[str, bool]]:
    """Read a seed CSV (`text` column, optional `is_meta`); InvalidUpload lists every bad row."""
    if len(data) > SEED_CSV_MAX_BYTES:
        raise InvalidUpload([(0, _("The file is larger than 1 MB."))])
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidUpload([(0, _("The file is not UTF-8 text."))]) from None
    reader = csv.DictReader(io.StringIO(content, newline=""))
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise InvalidUpload([(1, _("Not valid CSV: %(error)s") % {"error": error})]) from None
    if "text" not in header:
        raise InvalidUpload([(1, _("The first line must be a header with a “text” column."))])
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    # Exact matches count rejected statements too: the database refuses those texts as well.
    existing = set(conversation.statements.values_list("normalised_text", flat=True))
    shown = list(
        conversation.statements.exclude(state=Statement.State.REJECTED).values_list(
            "normalised_text", flat=True
        )
    )
    try:
        for record in reader:
            line = reader.line_num
            if len(rows) + len(problems) >= SEED_CSV_MAX_ROWS:
                problems.append(
                    (
                        line,
                        _("A file may hold at most %(count)d statements.")
                        % {"count": SEED_CSV_MAX_ROWS},
                    )
                )
                break
            try:
                if None in record:
                    raise ValidationError(_("This row has more cells than the header."))
                text = clean_text(
                    record.get("text") or "", max_length=STATEMENT_MAX_LENGTH, field=_("Text")
                )
                is_meta = _parse_flag(record.get("is_meta") or "")
            except ValidationError as error:
                problems.append((line, " ".join(error.messages)))
                continue
            folded = normalise_for_comparison(text)
            problem = _duplicate_problem(folded, existing, shown, seen)
            if problem:
                problems.append((line, problem))
            else:
                seen[folded] = line
                rows.append((text, is_meta))
    except csv.Error as error:
        problems.append((reader.line_num, _("Not valid CSV: %(error)s") % {"error": error}))
    if problems:
        raise InvalidUpload(problems)
    if not rows:
        raise InvalidUpload([(0, _("The file has no statements."))])
    return rows


def import_seed_csv(*, conversation: Conversation, actor, data: bytes) -> list[Statement]:
    """Seed every statement of a CSV, or none of them."""
    rows = parse_seed_csv(conversation=conversation, data=data)
    # parse_seed_csv compared every row with the others and the conversation already; a
    # statement written meanwhile still meets the unique constraint and undoes the whole file.
    with transaction.atomic():
        return [
            _create_seed(conversation, actor, text, normalise_for_comparison(text), is_meta)
            for text, is_meta in rows
        ]


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
            token_sha256=invite_token_hash(token),
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
