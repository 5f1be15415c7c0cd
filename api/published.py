"""Published versions as the API serves them: one query per request, each format rendered once.

Alignment jobs poll `versions/latest/` and revalidate with If-None-Match, so this is the API's
hot path (bench/api.py measures it). The version and its context come in one query without the
stored document (constitutions/readers.py); the body in each format is rendered once per process
and kept in memory. Caching by content hash is safe because a published version can never change
(database triggers refuse it) and its formats are derived from the stored document alone.
"""

import json
from functools import lru_cache

from django.utils.translation import get_language

from constitutions.models import ConstitutionVersion
from constitutions.readers import PublishedVersion
from constitutions.renderers import FORMATS
from constitutions.renderers.common import DEFAULT_PARTS

# Bodies of a few dozen versions in seven formats; a constitution document is tens of kilobytes.
RENDERED_CACHE_SIZE = 128


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
