"""Webhook receivers that are slow or down: publishing never waits for them; deliveries retry
with backoff (constitutions/tasks.py) and every attempt is logged on the WebhookDelivery.

Nothing is stopped here, so this uses the run's own database and broker with a real Celery
worker in threads (`task_worker`), and a receiver on a loopback port of this process.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.servers import free_port, wait_until
from constitutions.models import WebhookDelivery, WebhookSubscriber
from constitutions.services.publishing import publish_version
from constitutions.tasks import BACKOFF_SECONDS
from tests.constitutions.helpers import compiled_draft

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.django_db(transaction=True)]
SLOW_SECONDS = 5


class Receiver:
    """Answers 204 to every POST after `delay` seconds; records when each one arrived."""

    def __init__(self, port: int, delay: float = 0):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                received.append(time.monotonic())
                time.sleep(delay)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def subscribed(settings, context, conversation, facilitator):
    """A draft ready to publish, and a subscriber on a free loopback port."""
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on loopback
    port = free_port()
    WebhookSubscriber.objects.create(
        context=context, url=f"http://127.0.0.1:{port}/hook", secret="s" * 64
    )
    return compiled_draft(context, conversation, facilitator), port


def _publish(draft, facilitator) -> float:
    started = time.monotonic()
    publish_version(version=draft, actor=facilitator, number="1.0.0", changelog="First.")
    return time.monotonic() - started


def _delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


def test_webhooks_slow_receiver_does_not_delay_publishing(subscribed, facilitator, task_worker):
    draft, port = subscribed
    receiver = Receiver(port, delay=SLOW_SECONDS)
    try:
        seconds = _publish(draft, facilitator)
        wait_until(
            lambda: _delivery().status == WebhookDelivery.Status.DELIVERED,
            timeout=30,
            what="the delivery",
        )
    finally:
        receiver.close()
    # Publishing returned before the receiver could have answered: it never waited for it.
    assert seconds < SLOW_SECONDS, f"publishing took {seconds:.2f} s"
    delivery = _delivery()
    assert (delivery.attempts, delivery.response_code, len(receiver.received)) == (1, 204, 1)


def test_webhooks_receiver_down_retries_with_backoff_and_logs(subscribed, facilitator, task_worker):
    draft, port = subscribed
    _publish(draft, facilitator)
    wait_until(lambda: _delivery().attempts == 1, timeout=30, what="the first attempt")
    failed_at = time.monotonic()
    first = _delivery()
    assert first.status == WebhookDelivery.Status.PENDING
    assert first.last_error  # the refused connection, logged on the delivery
    assert first.response_code is None

    receiver = Receiver(port)  # the receiver comes back
    try:
        wait_until(
            lambda: _delivery().status == WebhookDelivery.Status.DELIVERED,
            timeout=BACKOFF_SECONDS + 30,
            what="the retried delivery",
        )
    finally:
        receiver.close()
    delivered = _delivery()
    assert (delivered.attempts, delivered.response_code, delivered.last_error) == (2, 204, "")
    # The retry waited for the backoff instead of hammering the receiver.
    assert receiver.received[0] - failed_at >= BACKOFF_SECONDS - 2
