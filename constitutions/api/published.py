"""Published versions as the API serves them: one query per request, each format rendered once.

Alignment jobs poll `versions/latest/` and revalidate with If-None-Match, so this is the API's
hot path (bench/api.py measures it). The version and its context come in one query without the
stored document; the body in each format is rendered once per process and kept in memory.
Caching by content hash is safe because a published version can never change (database triggers
refuse it) and its formats are derived from the stored document alone.
"""

import json
from dataclasses import dataclass
from functools import cache, lru_cache

from django.db import connection
from django.utils.translation import get_language

from constitutions.models import Constitution, ConstitutionVersion
from constitutions.renderers import FORMATS
from constitutions.renderers.common import DEFAULT_PARTS
from constitutions.services.publishing import parse_version_number
from deliberation.models import Context

# Bodies of a few dozen versions in six formats; a constitution document is tens of kilobytes.
RENDERED_CACHE_SIZE = 128


@dataclass(frozen=True)
class PublishedVersion:
    """What the version endpoint needs of a published version. `context` carries only its pk,
    slug and is_public: enough for the access check and the file name, nothing else."""

    pk: int
    number: str
    content_sha256: str
    constitution_id: int
    context: Context


@cache
def _lookup_sql() -> str:
    # Plain SQL, built once: compiling the equivalent ORM query took about 1 ms of CPU per
    # request, most of the endpoint's own time, and running it a twentieth of that.
    quote = connection.ops.quote_name
    version, constitution, context = (
        quote(model._meta.db_table) for model in (ConstitutionVersion, Constitution, Context)
    )
    select = "SELECT v.id, v.number, v.content_sha256, v.constitution_id, c.id, c.is_public"
    joins = (
        f"FROM {version} v JOIN {constitution} k ON k.id = v.constitution_id "
        f"JOIN {context} c ON c.id = k.context_id"
    )
    where = "WHERE c.slug = %s AND v.published_at IS NOT NULL"
    # Only table names are interpolated; the slug is a query parameter.
    return f"{select} {joins} {where}"


def published_version(slug: str, number: str) -> PublishedVersion | None:
    """Version `number` (or "latest": the highest number) of context `slug`, or None when the
    context has no such published version."""
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), [slug])
        rows = cursor.fetchall()
    if number == "latest":
        row = max(rows, key=lambda r: parse_version_number(r[1]), default=None)
    else:
        row = next((r for r in rows if r[1] == number), None)
    if row is None:
        return None
    pk, found, sha256, constitution_id, context_id, is_public = row
    return PublishedVersion(
        pk=pk,
        number=found,
        content_sha256=sha256,
        constitution_id=constitution_id,
        context=Context(pk=context_id, slug=slug, is_public=bool(is_public)),
    )


def rendered(
    version: PublishedVersion | ConstitutionVersion, format_name: str, parts=DEFAULT_PARTS
) -> str:
    """The version's body in `format_name` (a key of FORMATS), with `parts` for training formats."""
    return _rendered(version.pk, version.content_sha256, format_name, tuple(parts), get_language())


@lru_cache(maxsize=RENDERED_CACHE_SIZE)
def _rendered(
    version_id: int, content_sha256: str, format_name: str, parts: tuple, language: str
) -> str:
    # The hash and language are part of the key: a body is only ever reused for the same content
    # (and, for formats with translated wording, the same language).
    stored = ConstitutionVersion.objects.values_list("canonical_json", flat=True).get(pk=version_id)
    if format_name == "json":
        return stored
    return FORMATS[format_name].body(json.loads(stored), parts)
