"""Webhook subscribers of a context and the delivery of "version published" events.

Addresses are checked when added and again before every attempt (DNS may have changed), against
private, loopback, link-local and other non-public ranges, so a facilitator cannot aim Polity's
servers at its own network; each attempt connects to an address it checked
(`webhook_targets.py`). Redirects are not followed for the same reason.
"""

import hashlib
import hmac
import http.client
import json
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from constitutions.errors import InvalidWebhookUrl
from constitutions.models import ConstitutionVersion, WebhookDelivery, WebhookSubscriber
from constitutions.services.webhook_targets import post, resolve_target
from deliberation.models import Context

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Polity-Signature"
# How long a claimed delivery belongs to its sender before the sweep may send it again.
LEASE = timedelta(minutes=5)


def check_url(url: str) -> str:
    """Return `url` if it is http(s) to a public address; raise InvalidWebhookUrl otherwise."""
    resolve_target(url)
    return url.strip()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def add_subscriber(*, context: Context, actor, url: str) -> WebhookSubscriber:
    url = check_url(url)
    return WebhookSubscriber.objects.create(
        context=context, url=url, secret=secrets.token_hex(32), created_by=actor
    )


def remove_subscriber(*, subscriber: WebhookSubscriber) -> None:
    subscriber.delete()


def enqueue_deliveries(*, version_id: int) -> list[WebhookDelivery]:
    """One delivery per active subscriber of the version's context, each sent by a task."""
    from constitutions.tasks import deliver_webhook  # tasks import this module: import late

    version = ConstitutionVersion.objects.select_related("constitution__context").get(pk=version_id)
    context = version.constitution.context
    payload = {
        "event": "constitution.published",
        "context": context.slug,
        "constitution": version.constitution_id,
        "version_id": version.pk,
        "version": version.number,
        "content_sha256": version.content_sha256,
        "url": f"{settings.SITE_URL}/api/v1/contexts/{context.slug}/constitution/versions/"
        f"{version.number}/",
    }
    leased = timezone.now() + LEASE
    with transaction.atomic():
        deliveries = [
            WebhookDelivery.objects.create(
                subscriber=subscriber, version=version, payload=payload, next_attempt_at=leased
            )
            for subscriber in context.webhooks.filter(is_active=True)
        ]
    for delivery in deliveries:
        try:
            # No publish retries: with the broker down this fails at once instead of delaying
            # the publication, and the sweep sends the delivery when the broker is back.
            deliver_webhook.apply_async(args=[delivery.pk], retry=False)
        except Exception:
            logger.warning("webhook delivery %s left to the sweep: broker unavailable", delivery.pk)
            WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    return deliveries


def claim_due_deliveries() -> list[int]:
    """Pending deliveries whose time has come, each claimed for one sender by compare-and-set."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).values_list("pk", "next_attempt_at")[:100]
    return [
        pk
        for pk, seen in due
        if WebhookDelivery.objects.filter(pk=pk, next_attempt_at=seen).update(
            next_attempt_at=now + LEASE
        )
    ]


def schedule_retry(*, delivery_id: int, countdown: int) -> None:
    """The task retries by itself after `countdown`; the sweep steps in only if that is lost."""
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        next_attempt_at=timezone.now() + timedelta(seconds=countdown) + LEASE
    )


def attempt_delivery(*, delivery_id: int) -> bool:
    """POST the signed event once; record the attempt; True when the subscriber answered 2xx."""
    delivery = WebhookDelivery.objects.select_related("subscriber").get(pk=delivery_id)
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return True
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    code, error = None, ""
    try:
        target = resolve_target(delivery.subscriber.url)
    except InvalidWebhookUrl:
        # What the name resolved to stays in the server's log: shown to a facilitator, it
        # would make the delivery log a probe of Polity's network.
        logger.warning("webhook delivery %s refused: not a public address", delivery.pk)
        error = "refused"
    else:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Polity-Webhooks/1",
            "X-Polity-Event": "constitution.published",
            "X-Polity-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(delivery.subscriber.secret, body),
        }
        try:
            code = post(target, body, headers, TIMEOUT_SECONDS)
        except (OSError, http.client.HTTPException) as failure:
            logger.warning("webhook delivery %s failed: %s", delivery.pk, failure)
            error = "failed"
        else:
            error = "" if 200 <= code < 300 else "failed"  # the status is kept beside it
    delivered = code is not None and 200 <= code < 300
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=delivery.attempts + 1,
        response_code=code,
        last_error="" if delivered else error,
        status=WebhookDelivery.Status.DELIVERED if delivered else delivery.status,
        delivered_at=timezone.now() if delivered else None,
    )
    return delivered


def give_up_delivery(*, delivery_id: int) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).exclude(
        status=WebhookDelivery.Status.DELIVERED
    ).update(status=WebhookDelivery.Status.FAILED)
