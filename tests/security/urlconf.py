"""Every route of the site, read from the URLconf, so that a table keyed by route name cannot
silently miss a new endpoint: the tests fail on any route the table does not classify."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Routes that belong to Django itself and are tested by Django (the admin has its own CSRF and
# staff checks); static files are not routes here.
FOREIGN_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the bare name outside any namespace
    pattern: str  # the full route, e.g. "c/<str:public_id>/vote/"
    callback: object


def _walk(resolvers, prefix: str = "", namespace: str = ""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in FOREIGN_NAMESPACES:
                continue
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            pattern = prefix + str(entry.pattern)
            yield Route(name=name or "", pattern=pattern, callback=entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))
