"""Publish a draft: number it, render and hash its canonical document once, freeze it, and tell
the context's webhook subscribers after the transaction commits."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constitutions.errors import InvalidCuration, InvalidVersionNumber, VersionPublished
from constitutions.models import ConstitutionVersion
from constitutions.renderers.canonical import build_document, canonical_bytes, content_hash
from constitutions.services.ratification import check_ratified
from constitutions.services.webhooks import enqueue_deliveries
from core.text import clean_text

# Semantic Versioning 2.0.0, core only (no pre-release or build metadata: a published version is
# a release by definition).
SEMVER = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")


def parse_version_number(number: str) -> tuple[int, int, int]:
    match = SEMVER.match(number.strip())
    if not match:
        raise InvalidVersionNumber()
    return tuple(int(part) for part in match.groups())


def latest_published(constitution_id: int) -> ConstitutionVersion | None:
    """The published version with the highest number (not merely the most recent publication)."""
    versions = ConstitutionVersion.objects.published().filter(constitution_id=constitution_id)
    return max(versions, key=lambda v: parse_version_number(v.number), default=None)


def suggest_next_number(constitution_id: int) -> str:
    latest = latest_published(constitution_id)
    if latest is None:
        return "1.0.0"
    major, minor, _patch = parse_version_number(latest.number)
    return f"{major}.{minor + 1}.0"


def _refuse_stale_requests(principles) -> None:
    """Custom requests written before a reword or merge would train on another text than the
    one published: the facilitator rewrites or clears them first."""
    stale = [p.text for p in principles if p.requests_are_stale]
    if stale:
        raise InvalidCuration(
            _(
                "The critique and revision requests of these principles were written for an "
                "earlier wording; rewrite or clear them before publishing: %(principles)s"
            )
            % {"principles": "; ".join(f"“{text}”" for text in stale)}
        )


def publish_version(
    *, version: ConstitutionVersion, actor, number: str, changelog: str
) -> ConstitutionVersion:
    """Freeze a draft as version `number`, above every published number of its constitution."""
    parsed = parse_version_number(number)
    number = ".".join(str(part) for part in parsed)
    changelog = (
        clean_text(changelog, max_length=5000, field=_("Changelog"), multiline=True)
        if changelog.strip()
        else ""
    )
    with transaction.atomic():
        version = ConstitutionVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise VersionPublished()
        parent = latest_published(version.constitution_id)
        if parent is not None and parsed <= parse_version_number(parent.number):
            raise InvalidVersionNumber(
                _("The version number must be higher than %(latest)s.") % {"latest": parent.number}
            )
        principles = list(version.principles.filter(is_dropped=False))
        if not principles:
            raise InvalidCuration(_("A version needs at least one principle."))
        _refuse_stale_requests(principles)
        check_ratified(version)
        if parent is None and not changelog:
            changelog = _("First version.")
        if not changelog:
            raise InvalidCuration(
                _("Say what changed since %(parent)s.") % {"parent": parent.number}
            )
        now = timezone.now()
        version.parent, version.number, version.changelog = parent, number, changelog
        document = build_document(version, number=number, published_at=now)
        document["content_sha256"] = content_hash(document)
        version.canonical_json = canonical_bytes(document).decode("utf-8")
        version.content_sha256 = document["content_sha256"]
        version.published_at, version.published_by = now, actor
        version.save()
        # Subscribers hear of it only once it is really published, and never delay publishing.
        transaction.on_commit(lambda: enqueue_deliveries(version_id=version.pk))
    return version
