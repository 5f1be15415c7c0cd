"""Celery tasks of the constitutions app: take ids, call a service."""

from celery import shared_task

from constitutions.services.webhooks import attempt_delivery, give_up_delivery

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
    raise self.retry(countdown=BACKOFF_SECONDS * 2**self.request.retries)
