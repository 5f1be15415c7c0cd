"""The address a request came from, and the network a per-address limit counts it under.

Behind a reverse proxy every request arrives from the proxy, so per-IP limits would become one
site-wide limit. `POLITY_TRUSTED_PROXIES` says how many proxies in front of Polity append to
X-Forwarded-For; the client is the address that many hops from the right. Headers a client adds
itself sit further left and are never trusted.
"""

import ipaddress

from django.conf import settings

# An IPv6 subscriber is usually given a whole /64 (RFC 6177), so one person can use 2^64
# addresses: limits count the /64, as an IPv4 address is counted alone.
IPV6_PREFIX = 64


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


def network_key(address: str) -> str:
    """The key a per-address rate limit counts `address` under: an IPv4 address itself (also
    when written IPv4-mapped, ::ffff:a.b.c.d), an IPv6 address's /64."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return f"ip:{address}"  # not an address (a misconfigured proxy): counted as given
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return f"ip:{ip}"
    return f"net:{ipaddress.ip_network((ip, IPV6_PREFIX), strict=False)}"
