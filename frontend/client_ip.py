"""The address a request came from, for per-IP rate limits.

Behind a reverse proxy every request arrives from the proxy, so per-IP limits would become one
site-wide limit. `POLITY_TRUSTED_PROXIES` says how many proxies in front of Polity append to
X-Forwarded-For; the client is the address that many hops from the right. Headers a client adds
itself sit further left and are never trusted.
"""

from django.conf import settings


def client_ip(request) -> str:
    hops = settings.POLITY_TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
