"""Published versions as the API serves them: one query per request, each format rendered once.

Alignment jobs poll `versions/latest/` and revalidate with If-None-Match, so this is the API's
hot path (bench/api.py measures it). The version and its context come in one query without the
stored document; the body in each format is rendered once per process and kept in memory.
Caching by content hash is safe because a published version can never change (database triggers
refuse it) and its formats are derived from the stored document alone.
"""

import json
from functools import lru_cache

from django.utils.translation import get_language

from constitutions.models import ConstitutionVersion
from constitutions.renderers import FORMATS
from constitutions.services.publishing import parse_version_number

# Bodies of a few dozen versions in six formats; a constitution document is tens of kilobytes.
RENDERED_CACHE_SIZE = 128
VERSION_FIELDS = (
    "number",
    "content_sha256",
    "constitution__context__slug",
    "constitution__context__is_public",
)


def published_version(slug: str, number: str) -> ConstitutionVersion | None:
    """Version `number` (or "latest": the highest number) of context `slug`, with
    `constitution.context` loaded and the large JSON fields left out; None if not published."""
    # Only the columns the view reads and no ordering: compiling the SQL of a wider query costs
    # more than running it.
    versions = (
        ConstitutionVersion.objects.published()
        .filter(constitution__context__slug=slug)
        .select_related("constitution__context")
        .only(*VERSION_FIELDS)
        .order_by()
    )
    if number != "latest":
        return next(iter(versions.filter(number=number)), None)
    return max(versions, key=lambda v: parse_version_number(v.number), default=None)


def rendered(version: ConstitutionVersion, format_name: str) -> str:
    """The version's body in `format_name` (a key of FORMATS)."""
    return _rendered(version.pk, version.content_sha256, format_name, get_language())


@lru_cache(maxsize=RENDERED_CACHE_SIZE)
def _rendered(version_id: int, content_sha256: str, format_name: str, language: str) -> str:
    # The hash and language are part of the key: a body is only ever reused for the same content
    # (and, for formats with translated wording, the same language).
    stored = ConstitutionVersion.objects.values_list("canonical_json", flat=True).get(pk=version_id)
    if format_name == "json":
        return stored
    return FORMATS[format_name].render(json.loads(stored))
