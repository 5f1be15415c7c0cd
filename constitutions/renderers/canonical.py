"""The canonical JSON document of a version: rendered once at publication, hashed and stored.

Every other format is derived from the stored document, never from the database, so a published
version's formats can never drift. Anyone can verify the hash: drop `content_sha256`, serialise
with sorted keys, no whitespace and UTF-8, and take the SHA-256.

The document format is versioned by its `schema` field. v2 (this code) adds the `licence` the
context chose and the letters that name groups on the results page. A v1 document stays exactly
as stored, with its hash: it is never rebuilt, and renderers read both (a v1 document was
published under the then only licence, CC BY 4.0). Putting the licence inside the hashed
document binds it to the content: changing it takes a new version, like any other change.
"""

import hashlib
import json
from typing import Any

from django.db.models import Count, Q

from constitutions.licences import licence_record
from constitutions.models import ConstitutionVersion, EditorialStep, Part, Principle
from constitutions.renderers.common import group_letter
from constitutions.renderers.process_record import process_record_document
from deliberation.models import Context, Conversation, Statement, Vote

SCHEMA = "polity.constitution/v2"
PART_KEYS = {
    Part.CONSENSUS: "consensus_principles",
    Part.GROUP: "group_principles",
    Part.CONTESTED: "contested_statements",
}
CONTEXT_FIELDS = ("slug", *Context.DESCRIPTION_FIELDS)


def canonical_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical serialisation of the document without its `content_sha256`."""
    unhashed = {key: value for key, value in document.items() if key != "content_sha256"}
    return hashlib.sha256(canonical_bytes(unhashed)).hexdigest()


def _context(version: ConstitutionVersion) -> dict[str, Any]:
    context = version.constitution.context
    data = {name: getattr(context, name) for name in CONTEXT_FIELDS}
    data["valid_from"] = context.valid_from.isoformat() if context.valid_from else None
    data["valid_until"] = context.valid_until.isoformat() if context.valid_until else None
    return data


def _process(version: ConstitutionVersion) -> dict[str, Any]:
    public_ids = [entry["conversation"] for entry in version.snapshots]
    conversations = []
    for conversation in Conversation.objects.filter(public_id__in=public_ids).order_by("public_id"):
        statements = Statement.objects.filter(conversation=conversation).aggregate(
            total=Count("id"),
            accepted=Count("id", filter=Q(state=Statement.State.ACCEPTED)),
            rejected=Count("id", filter=Q(state=Statement.State.REJECTED)),
            seed=Count("id", filter=Q(is_seed=True)),
            meta=Count("id", filter=Q(is_meta=True)),
        )
        participants = conversation.participants.aggregate(
            total=Count("id"), excluded=Count("id", filter=Q(excluded_at__isnull=False))
        )
        conversations.append(
            {
                "conversation": conversation.public_id,
                "topic": conversation.topic,
                "moderation": conversation.moderation,
                "identity_mode": conversation.identity_mode,
                "participants_can_write": conversation.participants_can_write,
                "participants": participants["total"],
                "excluded_participants": participants["excluded"],
                "statements": statements,
                "votes": Vote.objects.filter(conversation=conversation).count(),
            }
        )
    return {
        "conversations": conversations,
        "judgement_calls": _judgement_calls(version),
        **process_record_document(version),
    }


def _judgement_calls(version: ConstitutionVersion) -> list[dict[str, Any]]:
    """Every editorial step beyond compilation, in order: the human choices behind the text."""
    steps = (
        EditorialStep.objects.filter(principle__version=version)
        .exclude(action=EditorialStep.Action.COMPILE)
        .select_related("principle")
        .order_by("id")
    )
    return [{"principle": step.principle_id, **_step(step)} for step in steps]


def _step(step: EditorialStep) -> dict[str, Any]:
    return {
        "action": step.action,
        "actor": step.actor_name,
        "at": step.created_at.isoformat(),
        "before": step.before,
        "after": step.after,
        "reason": step.reason,
    }


def _source(source) -> dict[str, Any]:
    evidence = source.evidence
    return {
        "statement": source.statement_id
        if source.statement_id is not None
        else evidence["statement_id"],
        "conversation": source.conversation_public_id,
        "snapshot": source.snapshot_id,
        "text": source.statement_text,
        "votes": {
            "agree": evidence["n_agree"],
            "disagree": evidence["n_disagree"],
            "pass": evidence["n_pass"],
            "total": evidence["n_votes"],
        },
        "groups": [
            {
                "group": g["group"],
                "letter": group_letter(g["group"]),
                "size": g["size"],
                "agree": g["agree"],
                "disagree": g["disagree"],
                "pass": g["passes"],
                "agree_share": round(g["agree_share"], 6),
                "disagree_share": round(g["disagree_share"], 6),
            }
            for g in evidence["groups"]
        ],
        "gic": round(evidence["gic"], 6),
        "bridging": round(evidence["bridging"], 6),
    }


def _position(group: dict[str, Any]) -> str:
    if group["agree_share"] > group["disagree_share"]:
        return "agree"
    if group["disagree_share"] > group["agree_share"]:
        return "disagree"
    return "divided"


def _scenario(scenario) -> dict[str, Any]:
    return {
        "id": scenario.pk,
        "turns": scenario.turns,
        "following": scenario.following,
        "following_why": scenario.following_why,
        "breaking": scenario.breaking,
        "breaking_why": scenario.breaking_why,
    }


def principle_key(part: str, index: int) -> str:
    return f"{part}-{index}"


def _principle(principle: Principle, key: str) -> dict[str, Any]:
    sources = [_source(source) for source in principle.sources.all()]
    data = {
        "key": key,
        "id": principle.pk,
        "text": principle.text,
        "category": principle.category,
        "scores": principle.scores,
        "sources": sources,
        "edits": [_step(step) for step in principle.steps.all()],
    }
    if principle.part != Part.CONTESTED:
        # Resolved here, once, from the text being published (see Principle.effective_requests),
        # so every derived format quotes the same wording and the hash covers it.
        data["critique_request"], data["revision_request"] = principle.effective_requests()
    if principle.part == Part.GROUP:
        data["group"] = principle.group
        data["group_letter"] = (
            group_letter(principle.group) if principle.group is not None else None
        )
    # Only when there are some: versions published before scenarios existed keep their bytes.
    if scenarios := [_scenario(scenario) for scenario in principle.scenarios.all()]:
        data["scenarios"] = scenarios
    if principle.part == Part.CONTESTED:
        data["positions"] = [
            {
                **{k: group[k] for k in ("group", "letter", "agree_share", "disagree_share")},
                "position": _position(group),
            }
            for group in (sources[0]["groups"] if sources else [])
        ]
    return data


def build_document(
    version: ConstitutionVersion, *, number: str | None = None, published_at=None
) -> dict[str, Any]:
    """The version as a plain document (drafts too: with no number, date or hash)."""
    principles = version.principles.prefetch_related("sources", "steps", "scenarios").order_by(
        "part", "position", "id"
    )
    parts: dict[str, list] = {key: [] for key in PART_KEYS.values()}
    dropped = []
    for principle in principles:
        if principle.is_dropped:
            dropped.append(
                {"id": principle.pk, "text": principle.text, "reason": principle.dropped_reason}
            )
            continue
        items = parts[PART_KEYS[principle.part]]
        items.append(_principle(principle, principle_key(principle.part, len(items) + 1)))
    parent = version.parent
    return {
        "schema": SCHEMA,
        "constitution": {
            "id": version.constitution_id,
            "context": version.constitution.context.slug,
        },
        "version": number if number is not None else version.number,
        "parent": {"version": parent.number, "content_sha256": parent.content_sha256}
        if parent
        else None,
        "changelog": version.changelog,
        "published_at": published_at.isoformat() if published_at else None,
        "licence": licence_record(version.constitution.context.constitution_licence),
        "context": _context(version),
        "process": _process(version),
        "analysis": version.analyses,
        "selection_rule": {"rule": version.rule, "parameters": version.rule_parameters},
        **parts,
        "dropped_principles": dropped,
        "failed_statements": version.failures,
    }


def stored_document(version: ConstitutionVersion) -> dict[str, Any]:
    return json.loads(version.canonical_json)
