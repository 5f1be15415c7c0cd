"""Webhook subscribers of a context and the delivery of "version published" events.

Addresses are checked when added and again before every attempt (DNS may have changed), against
private, loopback, link-local and other non-public ranges, so a facilitator cannot aim Polity's
servers at its own network. Redirects are not followed for the same reason.
"""

import hashlib
import hmac
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constitutions.errors import InvalidWebhookUrl
from constitutions.models import ConstitutionVersion, WebhookDelivery, WebhookSubscriber
from constitutions.services.webhook_targets import is_public_address
from deliberation.models import Context

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Polity-Signature"
# How long a claimed delivery belongs to its sender before the sweep may send it again.
LEASE = timedelta(minutes=5)


def check_url(url: str) -> str:
    """Return `url` if it is http(s) to a public address; raise InvalidWebhookUrl otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidWebhookUrl()
    if parts.username or parts.password:
        raise InvalidWebhookUrl(_("Webhook addresses cannot contain a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    except (OSError, ValueError):
        raise InvalidWebhookUrl(_("The webhook host name does not resolve.")) from None
    if not settings.POLITY_WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if not is_public_address(address):
                raise InvalidWebhookUrl()
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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def attempt_delivery(*, delivery_id: int) -> bool:
    """POST the signed event once; record the attempt; True when the subscriber answered 2xx."""
    delivery = WebhookDelivery.objects.select_related("subscriber").get(pk=delivery_id)
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return True
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    code, error = None, ""
    try:
        url = check_url(delivery.subscriber.url)
        request = urllib.request.Request(  # noqa: S310 - check_url allows http(s) only
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Polity-Webhooks/1",
                "X-Polity-Event": "constitution.published",
                "X-Polity-Delivery": str(delivery.pk),
                SIGNATURE_HEADER: signature(delivery.subscriber.secret, body),
            },
        )
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            code = response.status
    except urllib.error.HTTPError as failure:
        code, error = failure.code, f"HTTP {failure.code}"
    except (OSError, InvalidWebhookUrl) as failure:
        error = str(failure)[:500]
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
