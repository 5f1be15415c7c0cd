"""Celery tasks of the constitutions app: take ids, call a service."""

from celery import shared_task

from constitutions.services.webhooks import (
    attempt_delivery,
    claim_due_deliveries,
    give_up_delivery,
    schedule_retry,
)

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 30


@shared_task(name="constitutions.deliver_webhook", bind=True, max_retries=MAX_ATTEMPTS - 1)
def deliver_webhook(self, delivery_id: int) -> bool:
    """Deliver one webhook; on failure retry after 30 s, 1, 2, 4, 8 minutes, then give up."""
    if attempt_delivery(delivery_id=delivery_id):
        return True
    # Without a worker (embedded mode) a retry would block the request that published.
    if self.request.is_eager or self.request.retries >= self.max_retries:
        give_up_delivery(delivery_id=delivery_id)
        return False
    countdown = BACKOFF_SECONDS * 2**self.request.retries
    schedule_retry(delivery_id=delivery_id, countdown=countdown)
    raise self.retry(countdown=countdown)


@shared_task(name="constitutions.sweep_pending_webhooks", ignore_result=True)
def sweep_pending_webhooks() -> list[int]:
    """Send pending deliveries whose task never reached a worker or was lost with one."""
    claimed = claim_due_deliveries()
    for delivery_id in claimed:
        deliver_webhook.delay(delivery_id)
    return claimed
