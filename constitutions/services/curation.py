"""Editorial work on a draft: merge, reword, write requests, order, categorise, drop, restore.

Every step is recorded as an `EditorialStep` (who, when, what before and after, why) in the same
transaction as the change, and each function first locks the version row and checks it is still
a draft, so a step can never land on a version published a moment earlier.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from constitutions.errors import InvalidCuration, VersionPublished
from constitutions.models import ConstitutionVersion, EditorialStep, Part, Principle, text_sha256
from constitutions.wording import default_critique, default_revision
from deliberation.text import clean_text

PRINCIPLE_MAX_LENGTH = 1000
REQUEST_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000


def _lock_draft(version_id: int) -> ConstitutionVersion:
    version = ConstitutionVersion.objects.select_for_update().get(pk=version_id)
    if version.is_published:
        raise VersionPublished()
    return version


def _step(principle, actor, action, *, before="", after="", reason=""):
    EditorialStep.objects.create(
        principle=principle,
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        before=before,
        after=after,
        reason=reason,
    )


def _reason(reason: str, *, required: bool) -> str:
    if not reason.strip():
        if required:
            raise ValidationError(_("Say why; the reason is published with the principle."))
        return ""
    return clean_text(reason, max_length=REASON_MAX_LENGTH, field=_("Reason"), multiline=True)


def merge_principles(
    *, version: ConstitutionVersion, principle_ids: list[int], actor, text: str, reason: str = ""
) -> Principle:
    """Merge principles into the first one: it keeps every source (and its vote evidence) and the
    editorial history of all of them; the others disappear from the draft."""
    text = clean_text(text, max_length=PRINCIPLE_MAX_LENGTH, field=_("Principle"))
    reason = _reason(reason, required=False)
    ids = list(dict.fromkeys(int(pk) for pk in principle_ids))
    if len(ids) < 2:
        raise InvalidCuration(_("Choose at least two principles to merge."))
    with transaction.atomic():
        _lock_draft(version.pk)
        principles = {p.pk: p for p in version.principles.filter(pk__in=ids, is_dropped=False)}
        if len(principles) != len(ids):
            raise InvalidCuration(_("Some of those principles are not in this draft."))
        parts = {p.part for p in principles.values()}
        if len(parts) != 1 or Part.CONTESTED in parts:
            raise InvalidCuration(
                _("Only principles of one part can be merged, and contested statements cannot.")
            )
        target, others = principles[ids[0]], [principles[pk] for pk in ids[1:]]
        before = "\n".join(principles[pk].text for pk in ids)
        for other in others:
            other.sources.update(principle=target)
            other.steps.update(principle=target)
        Principle.objects.filter(pk__in=[o.pk for o in others]).delete()
        if {p.group for p in principles.values()} != {target.group}:
            target.group = None
        target.text = text
        target.save(update_fields=["text", "group"])
        _step(target, actor, EditorialStep.Action.MERGE, before=before, after=text, reason=reason)
    return target


def reword_principle(*, principle: Principle, actor, text: str, reason: str = "") -> Principle:
    """Change a principle's wording; its sources keep the statements' original texts."""
    text = clean_text(text, max_length=PRINCIPLE_MAX_LENGTH, field=_("Principle"))
    reason = _reason(reason, required=False)
    with transaction.atomic():
        _lock_draft(principle.version_id)
        before = principle.text
        if before == text:
            return principle
        principle.text = text
        principle.save(update_fields=["text"])
        _step(
            principle, actor, EditorialStep.Action.REWORD, before=before, after=text, reason=reason
        )
    return principle


def _request(text: str, *, field: str, default: str) -> str:
    """A facilitator's request, or "" (the default) when left empty or equal to the default."""
    if not text.strip():
        return ""
    text = clean_text(text, max_length=REQUEST_MAX_LENGTH, field=field, multiline=True)
    return "" if text == default else text


def set_requests(*, principle: Principle, actor, critique: str, revision: str) -> Principle:
    """Write a principle's own critique and revision requests for its current text; an empty
    request goes back to the default. They count only while the text stays as it is now."""
    with transaction.atomic():
        _lock_draft(principle.version_id)
        principle.refresh_from_db(fields=["text"])
        critique = _request(
            critique, field=_("Critique request"), default=default_critique(principle.text)
        )
        revision = _request(
            revision, field=_("Revision request"), default=default_revision(principle.text)
        )
        before = f"{principle.critique_request}\n---\n{principle.revision_request}"
        principle.critique_request, principle.revision_request = critique, revision
        principle.requests_text_sha256 = (
            text_sha256(principle.text) if critique or revision else None
        )
        principle.save(
            update_fields=["critique_request", "revision_request", "requests_text_sha256"]
        )
        _step(
            principle,
            actor,
            EditorialStep.Action.REQUESTS,
            before=before,
            after=f"{critique}\n---\n{revision}",
        )
    return principle


def categorise_principle(*, principle: Principle, actor, category: str) -> Principle:
    category = clean_text(category, max_length=100, field=_("Category")) if category.strip() else ""
    with transaction.atomic():
        _lock_draft(principle.version_id)
        before = principle.category
        principle.category = category
        principle.save(update_fields=["category"])
        _step(principle, actor, EditorialStep.Action.CATEGORISE, before=before, after=category)
    return principle


def move_principle(*, principle: Principle, actor, offset: int) -> Principle:
    """Move a principle up (negative offset) or down within its part."""
    with transaction.atomic():
        version = _lock_draft(principle.version_id)
        siblings = list(version.principles.filter(part=principle.part).order_by("position", "id"))
        index = next(i for i, p in enumerate(siblings) if p.pk == principle.pk)
        new_index = min(max(index + offset, 0), len(siblings) - 1)
        if new_index == index:
            return principle
        siblings.insert(new_index, siblings.pop(index))
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        _step(
            principle,
            actor,
            EditorialStep.Action.ORDER,
            before=str(index + 1),
            after=str(new_index + 1),
        )
    principle.refresh_from_db()
    return principle


def drop_principle(*, principle: Principle, actor, reason: str) -> Principle:
    reason = _reason(reason, required=True)
    with transaction.atomic():
        _lock_draft(principle.version_id)
        principle.is_dropped, principle.dropped_reason = True, reason
        principle.save(update_fields=["is_dropped", "dropped_reason"])
        _step(principle, actor, EditorialStep.Action.DROP, before=principle.text, reason=reason)
    return principle


def restore_principle(*, principle: Principle, actor) -> Principle:
    with transaction.atomic():
        _lock_draft(principle.version_id)
        principle.is_dropped, principle.dropped_reason = False, ""
        principle.save(update_fields=["is_dropped", "dropped_reason"])
        _step(principle, actor, EditorialStep.Action.RESTORE, after=principle.text)
    return principle
