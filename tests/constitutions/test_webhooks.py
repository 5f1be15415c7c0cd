import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from celery.exceptions import Retry

from constitutions.errors import InvalidWebhookUrl
from constitutions.models import WebhookDelivery
from constitutions.services.webhooks import add_subscriber, attempt_delivery, check_url
from constitutions.tasks import deliver_webhook
from tests.constitutions.helpers import published_version


class Receiver:
    """A real HTTP server in a thread that verifies signatures, and fails the first `failures`."""

    def __init__(self, failures=0):
        self.failures, self.received, self.secret = failures, [], None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = (
                    "sha256=" + hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
                )
                valid = hmac.compare_digest(expected, self.headers["X-Polity-Signature"])
                receiver.received.append((json.loads(body), valid))
                status = 500 if receiver.failures else (204 if valid else 401)
                receiver.failures = max(receiver.failures - 1, 0)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = True
    created = []

    def make(failures=0):
        created.append(Receiver(failures))
        return created[-1]

    yield make
    for one in created:
        one.close()


def publish_with_subscriber(context, conversation, facilitator, receiver, monkeypatch, capture):
    subscriber = add_subscriber(context=context, actor=facilitator, url=receiver.url)
    receiver.secret = subscriber.secret
    # The test delivers by calling the task's function itself, so it works with or without a broker.
    monkeypatch.setattr(deliver_webhook, "apply_async", lambda *args, **kwargs: None)
    with capture(execute=True):
        version = published_version(context, conversation, facilitator)
    return version, WebhookDelivery.objects.get(subscriber=subscriber)


@pytest.mark.django_db
def test_webhook_delivery_is_signed_and_verified_by_the_receiver(
    context, conversation, facilitator, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    hook = receiver()
    version, delivery = publish_with_subscriber(
        context, conversation, facilitator, hook, monkeypatch, django_capture_on_commit_callbacks
    )
    assert attempt_delivery(delivery_id=delivery.pk)
    payload, valid = hook.received[0]
    assert valid
    assert (payload["version_id"], payload["version"], payload["content_sha256"]) == (
        version.pk,
        "1.0.0",
        version.content_sha256,
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 204)


@pytest.mark.django_db
def test_webhook_delivery_retries_after_a_failure(
    context, conversation, facilitator, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    hook = receiver(failures=1)
    _version, delivery = publish_with_subscriber(
        context, conversation, facilitator, hook, monkeypatch, django_capture_on_commit_callbacks
    )
    with pytest.raises(Retry):
        deliver_webhook.run(delivery.pk)  # called directly: not eager, so it asks for a retry
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert deliver_webhook.run(delivery.pk) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(hook.received) == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.0.0.8/",
        "http://169.254.169.254/latest",
        "ftp://example.org/",
        "http://[::1]/",
        "http://user:pw@example.org/",
    ],
)
def test_check_url_refuses_private_addresses_and_other_schemes(url, settings):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(InvalidWebhookUrl):
        check_url(url)


@pytest.mark.django_db
def test_webhook_delivery_left_by_a_broker_outage_is_sent_by_the_sweep(
    context, conversation, facilitator, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    from constitutions.services.webhooks import claim_due_deliveries

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unavailable")

    hook = receiver()
    subscriber = add_subscriber(context=context, actor=facilitator, url=hook.url)
    hook.secret = subscriber.secret
    monkeypatch.setattr(deliver_webhook, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        version = published_version(context, conversation, facilitator)
    assert version.published_at is not None  # the outage did not undo the publication
    delivery = WebhookDelivery.objects.get(subscriber=subscriber)
    assert delivery.status == "pending"
    claimed = claim_due_deliveries()
    assert claimed == [delivery.pk]
    assert claim_due_deliveries() == []  # claimed once: a second sweep leaves it to the first
    assert deliver_webhook.run(delivery.pk) is True
    assert len(hook.received) == 1
