"""Where a webhook may be sent: resolve the name once, check every address, connect to one of them.

Resolving to check and resolving again to connect let a name answer a public address to the
check and 127.0.0.1 to the connection (DNS rebinding). Here the connection goes to an address the
check saw, with the URL's host name kept in the Host header and as the TLS server name (SNI and
certificate check), so the receiver sees an ordinary request.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from constitutions.errors import InvalidWebhookUrl

# IPv6 ranges that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052) and the
# deprecated IPv4-compatible form (RFC 4291 2.5.5.1). Python's `is_global` judges the IPv6
# address itself, so [64:ff9b::7f00:1] (loopback through a NAT64 gateway) counted as public.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# Local-use NAT64 (RFC 8215): translated inside the operator's own network.
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def is_public_address(address: str) -> bool:
    """A globally reachable address, also when it is an IPv6 spelling of an IPv4 one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if not ip.is_global:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in LOCAL_NAT64:
            return False
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1]
        if embedded is None and (ip in NAT64 or ip in IPV4_COMPATIBLE):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return embedded.is_global
    return True


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]  # every one checked


def resolve_target(url: str) -> Target:
    """Resolve `url`'s host once; InvalidWebhookUrl unless http(s) with every address public."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidWebhookUrl()
    if parts.username or parts.password:
        raise InvalidWebhookUrl(_("Webhook addresses cannot contain a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError):
        raise InvalidWebhookUrl(_("The webhook host name does not resolve.")) from None
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise InvalidWebhookUrl(_("The webhook host name does not resolve."))
    checked = settings.POLITY_WEBHOOKS_ALLOW_PRIVATE or all(map(is_public_address, addresses))
    if not checked:
        raise InvalidWebhookUrl()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses)


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to `address`; `host` stays the URL's name (the Host header)."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """As `_PinnedHTTP`, with the URL's name as TLS server name and certificate name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to the first checked address that accepts a connection; the status code.

    Redirects are answered as they are (http.client never follows them). Raises OSError or
    http.client.HTTPException when no address can be reached or the answer is not HTTP.
    """
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    failure: Exception | None = None
    for address in target.addresses:
        connection = kind(target.host, target.port, address, timeout)
        try:
            try:
                connection.connect()
            except OSError as error:  # try the name's next address, as a browser would
                failure = error
                continue
            connection.request("POST", target.path, body=body, headers=headers)
            return connection.getresponse().status
        finally:
            connection.close()
    raise failure or OSError("no address")
