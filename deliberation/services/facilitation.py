"""What facilitators do: seed statements, moderate, exclude participants, open and close.

Every action writes a `ModerationAction` in the same transaction, so the audit log can never
miss a change nor record one that did not happen.
"""

import csv
import io
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.errors import DuplicateStatement, InvalidUpload
from deliberation.models import (
    STATEMENT_MAX_LENGTH,
    Conversation,
    Invite,
    ModerationAction,
    Participant,
    Statement,
)
from deliberation.services.participation import find_duplicate, invite_token_hash
from deliberation.text import clean_text, normalise_for_comparison

SEED_CSV_MAX_BYTES = 1_000_000
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


def seed_statement(*, conversation: Conversation, actor, text: str, is_meta: bool = False) -> Statement:
    """Add a facilitator's statement, accepted at once."""
    text = clean_text(text, max_length=STATEMENT_MAX_LENGTH, field=_("Statement"))
    normalised = normalise_for_comparison(text)
    duplicate = find_duplicate(conversation, normalised)
    if duplicate is not None:
        raise DuplicateStatement(duplicate)
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
    return statement


def _parse_flag(raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(_("is_meta must be true or false, not “%(value)s”.") % {"value": raw})


def parse_seed_csv(*, conversation: Conversation, data: bytes) -> list[tuple[str, bool]]:
    """Read a seed CSV (`text` column, optional `is_meta`); raise InvalidUpload listing every bad row."""
    if len(data) > SEED_CSV_MAX_BYTES:
        raise InvalidUpload([(0, _("The file is larger than 1 MB."))])
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidUpload([(0, _("The file is not UTF-8 text."))]) from None
    reader = csv.DictReader(io.StringIO(content, newline=""))
    if not reader.fieldnames or "text" not in [name.strip() for name in reader.fieldnames]:
        raise InvalidUpload([(1, _("The first line must be a header with a “text” column."))])
    reader.fieldnames = [name.strip() for name in reader.fieldnames]
    rows, problems, seen = [], [], {}
    existing = set(conversation.statements.values_list("normalised_text", flat=True))
    try:
        for record in reader:
            line = reader.line_num
            try:
                if None in record:
                    raise ValidationError(_("This row has more cells than the header."))
                text = clean_text(record.get("text") or "", max_length=STATEMENT_MAX_LENGTH, field=_("Text"))
                is_meta = _parse_flag(record.get("is_meta") or "")
            except ValidationError as error:
                problems.append((line, " ".join(error.messages)))
                continue
            normalised = normalise_for_comparison(text)
            if normalised in existing:
                problems.append((line, _("This statement is already in the conversation.")))
            elif normalised in seen:
                problems.append((line, _("Repeats line %(line)d.") % {"line": seen[normalised]}))
            else:
                seen[normalised] = line
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
    with transaction.atomic():
        return [
            seed_statement(conversation=conversation, actor=actor, text=text, is_meta=is_meta)
            for text, is_meta in rows
        ]


def moderate_statement(*, statement: Statement, actor, accept: bool, reason: str = "") -> Statement:
    if not accept and not reason.strip():
        raise ValidationError(_("Say why the statement is rejected; the author may ask."))
    reason = clean_text(reason, max_length=1000, field=_("Reason"), multiline=True) if reason.strip() else ""
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
    reason = clean_text(reason, max_length=1000, field=_("Reason"), multiline=True)
    with transaction.atomic():
        participant.excluded_at = timezone.now()
        participant.excluded_reason = reason
        participant.save(update_fields=["excluded_at", "excluded_reason"])
        _log(participant.conversation, actor, ModerationAction.Action.EXCLUDE, participant=participant, reason=reason)
    return participant


def readmit_participant(*, participant: Participant, actor) -> Participant:
    with transaction.atomic():
        participant.excluded_at = None
        participant.excluded_reason = ""
        participant.save(update_fields=["excluded_at", "excluded_reason"])
        _log(participant.conversation, actor, ModerationAction.Action.READMIT, participant=participant)
    return participant


def set_conversation_state(*, conversation: Conversation, actor, state: str) -> Conversation:
    if state not in (Conversation.State.OPEN, Conversation.State.CLOSED):
        raise ValidationError(_("A conversation can be opened or closed."))
    with transaction.atomic():
        conversation.state = state
        conversation.save(update_fields=["state", "updated_at"])
        action = ModerationAction.Action.OPEN if state == Conversation.State.OPEN else ModerationAction.Action.CLOSE
        _log(conversation, actor, action)
    return conversation


def create_invite(*, conversation: Conversation, actor, single_use: bool, label: str = "") -> str:
    """Create an invite link and return its token; only the hash is stored, so show it now."""
    token = secrets.token_urlsafe(18)
    Invite.objects.create(
        conversation=conversation,
        token_sha256=invite_token_hash(token),
        single_use=single_use,
        label=label[:100],
        created_by=actor,
    )
    return token
