import logging
import smtplib

from celery import shared_task

from common.locks import single_run
from outbox import services
from outbox.models import Mail

logger = logging.getLogger(__name__)

TRANSIENT = (smtplib.SMTPException, OSError, TimeoutError)


@shared_task(
    name="outbox.send_mail",
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=60 * 30,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS - 1,
    acks_late=True,
)
def send_mail(self, *, mail_id: int) -> None:
    try:
        services.deliver(mail_id=mail_id)
    except Mail.DoesNotExist:
        logger.warning("outbox: mail %s no longer exists", mail_id)


@shared_task(name="outbox.send_mails", acks_late=True)
def send_mails(*, mail_ids: list[int]) -> int:
    """Fan a transaction's mails out to one task each. Run twice (a worker lost mid-way),
    it queues them again: ``deliver`` sends each mail once whatever the number of tasks."""
    queued = 0
    for mail_id in mail_ids:
        queued += services.enqueue(mail_id=mail_id)
    return queued


@shared_task(name="outbox.sweep_mails")
def sweep_mails() -> int:
    with single_run("outbox.sweep_mails") as acquired:  # RELIABILITY 19
        if not acquired:
            return 0
        count = services.sweep()
    if count:
        logger.info("outbox: re-queued %s stale mails", count)
    return count
