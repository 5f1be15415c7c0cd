"""Webhook targets: every address checked, the checked one used (issue 16, findings 3 and 4).

The URL check resolved the host, then the delivery resolved it again, so a name answering a
public address first and 127.0.0.1 next reached loopback, and the delivery log echoed the
network's answers to the facilitator. IPv6 spellings of IPv4 loopback ([64:ff9b::7f00:1],
[2002:7f00:1::], [::127.0.0.1]) passed Python's `is_global`, which judges the IPv6 address itself.

Name resolution is the standard library's `socket.getaddrinfo`, replaced here by a resolver
that answers what the test says; connections off this machine are refused before they leave
(`socket.create_connection` lets only loopback through), so no test traffic leaves it.
"""

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from constitutions.errors import InvalidWebhookUrl
from constitutions.models import WebhookDelivery, WebhookSubscriber
from constitutions.services.webhooks import attempt_delivery, check_url

PUBLIC = "93.184.216.34"  # never connected to: see `_loopback_only`


class Target:
    """A real HTTP server on loopback that records what reaches it."""

    def __init__(self):
        self.requests: list[dict] = []
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                target.requests.append({"host": self.headers["Host"], "path": self.path})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def target():
    made = Target()
    yield made
    made.close()


class Resolver:
    """Answers `answers[n]` to the n-th lookup of a name ending in `.test` (the last one after)."""

    def __init__(self, monkeypatch, *answers: list[str]):
        self.answers, self.lookups = answers, 0
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if not str(host).endswith(".test"):
                return real(host, port, *args, **kwargs)
            addresses = self.answers[min(self.lookups, len(self.answers) - 1)]
            self.lookups += 1
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, int(port)),
                )
                for address in addresses
            ]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def connections(monkeypatch):
    """Every address a connection was opened to; only loopback is really connected."""
    opened: list[str] = []
    real = socket.create_connection

    def create_connection(address, *args, **kwargs):
        host, port = address[0], address[1]
        resolved = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]
        opened.append(resolved)
        if resolved not in {"127.0.0.1", "::1"}:
            raise ConnectionRefusedError(f"the test refuses to connect to {resolved}")
        return real((resolved, port), *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return opened


def _delivery(world, url: str) -> WebhookDelivery:
    # Created directly: the add-time check is not what these tests are about.
    subscriber = WebhookSubscriber.objects.create(context=world.a.context, url=url, secret="s" * 64)
    return WebhookDelivery.objects.create(
        subscriber=subscriber, version=world.a.published, payload={"event": "test"}
    )


def test_webhook_rebinding_name_never_reaches_loopback(
    world, db, settings, target, monkeypatch, connections
):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = False
    resolver = Resolver(monkeypatch, [PUBLIC], ["127.0.0.1"])
    delivery = _delivery(world, f"http://rebind.test:{target.port}/hook")
    assert attempt_delivery(delivery_id=delivery.pk) is False
    assert target.requests == []  # loopback was never reached
    assert resolver.lookups == 1  # resolved once, and that answer was used
    assert connections == [PUBLIC]
    delivery.refresh_from_db()
    assert delivery.last_error == "failed"


def test_webhook_name_with_one_private_address_among_public_ones_is_refused(
    world, db, settings, target, monkeypatch, connections
):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = False
    Resolver(monkeypatch, [PUBLIC, "127.0.0.1"])
    with pytest.raises(InvalidWebhookUrl):
        check_url(f"http://mixed.test:{target.port}/hook")
    delivery = _delivery(world, f"http://mixed.test:{target.port}/hook")
    assert attempt_delivery(delivery_id=delivery.pk) is False
    assert connections == [] and target.requests == []
    delivery.refresh_from_db()
    assert delivery.last_error == "refused"  # no address, no resolver answer echoed


def test_webhook_delivery_connects_to_the_checked_address_with_the_hosts_name(
    world, db, settings, target, monkeypatch, connections
):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = True  # a loopback receiver, as in development
    Resolver(monkeypatch, ["127.0.0.1"], [PUBLIC])
    delivery = _delivery(world, f"http://hooks.test:{target.port}/hook?x=1")
    assert attempt_delivery(delivery_id=delivery.pk) is True
    assert connections == ["127.0.0.1"]
    assert target.requests == [{"host": f"hooks.test:{target.port}", "path": "/hook?x=1"}]


def test_webhook_delivery_error_names_no_network_detail(
    world, db, settings, monkeypatch, connections
):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = True
    Resolver(monkeypatch, ["127.0.0.1"])
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    delivery = _delivery(world, f"http://closed.test:{port}/")
    assert attempt_delivery(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.last_error == "failed"


@pytest.mark.parametrize(
    "host",
    [
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[64:ff9b:1::7f00:1]",  # local-use NAT64 (RFC 8215)
        "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
        "[2002:a9fe:a9fe::]",  # 6to4 of 169.254.169.254
        "[::127.0.0.1]",  # IPv4-compatible
        "[::a9fe:a9fe]",
        "[::ffff:127.0.0.1]",  # IPv4-mapped
        "[::ffff:10.1.2.3]",
    ],
)
def test_webhook_ipv6_forms_of_private_ipv4_are_refused(settings, host):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(InvalidWebhookUrl):
        check_url(f"http://{host}/hook")


@pytest.mark.parametrize(
    "host", ["[64:ff9b::5db8:d822]", "[2002:5db8:d822::1]", "[2606:4700::1111]"]
)
def test_webhook_ipv6_forms_of_public_ipv4_are_accepted(settings, host):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = False
    assert check_url(f"http://{host}/hook") == f"http://{host}/hook"


@pytest.fixture
def tls_target(tmp_path):
    """An HTTPS server on loopback whose certificate names only `hooks.test`."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=hooks.test", "-addext", "subjectAltName=DNS:hooks.test"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    made = Target()
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    made.server.socket = server_context.wrap_socket(made.server.socket, server_side=True)
    made.cert = cert
    yield made
    made.close()


def test_webhook_delivery_over_tls_checks_the_certificate_for_the_hosts_name(
    world, db, settings, tls_target, monkeypatch, connections
):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = True
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_target.cert))  # trust the test's certificate
    Resolver(monkeypatch, ["127.0.0.1"])
    delivery = _delivery(world, f"https://hooks.test:{tls_target.port}/hook")
    assert attempt_delivery(delivery_id=delivery.pk) is True
    assert connections == ["127.0.0.1"]  # to the address, yet the certificate matched the name
    assert tls_target.requests == [{"host": f"hooks.test:{tls_target.port}", "path": "/hook"}]
    # A name the certificate does not carry fails the check, as it must.
    Resolver(monkeypatch, ["127.0.0.1"])
    other = _delivery(world, f"https://other.test:{tls_target.port}/hook")
    assert attempt_delivery(delivery_id=other.pk) is False
    other.refresh_from_db()
    assert other.last_error == "failed"
