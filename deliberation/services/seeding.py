"""Seeding a conversation: a facilitator's statements, one at a time or from a CSV file.

Seeds are accepted at once and logged in the audit log like every other facilitator action; a
file is written completely or not at all, with every bad row reported by its line.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_text, is_near_duplicate
from deliberation.errors import DuplicateStatement, InvalidUpload
from deliberation.models import (
    STATEMENT_MAX_LENGTH,
    Conversation,
    ModerationAction,
    Statement,
    statement_key,
)
from deliberation.services.participation import find_duplicate

SEED_CSV_MAX_BYTES = 1_000_000
# Seeds start a conversation; Polis advises a few dozen. Each row is compared with every earlier
# row and existing statement for near-duplicates, so the limit also bounds that quadratic work.
SEED_CSV_MAX_ROWS = 200
TRUE_WORDS = {"1", "true", "yes", "y", "t"}
FALSE_WORDS = {"", "0", "false", "no", "n", "f"}


def seed_statement(
    *, conversation: Conversation, actor, text: str, is_meta: bool = False
) -> Statement:
    """Add a facilitator's statement, accepted at once."""
    text = clean_text(text, max_length=STATEMENT_MAX_LENGTH, field=_("Statement"))
    normalised = statement_key(text)
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
            ModerationAction.objects.create(
                conversation=conversation,
                actor=actor,
                action=ModerationAction.Action.SEED,
                statement=statement,
            )
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
            folded = statement_key(text)
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
            _create_seed(conversation, actor, text, statement_key(text), is_meta)
            for text, is_meta in rows
        ]
