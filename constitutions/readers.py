"""The constitutions app's reads in plain SQL, each a named function (the API's hot path).

Alignment jobs poll `versions/latest/`, so finding a published version runs on every request:
one query for the version and its context, without the stored document.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connection

from constitutions.models import Constitution, ConstitutionVersion
from constitutions.services.publishing import parse_version_number
from deliberation.models import Context


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
