"""Background work of the secretariat's desk."""

import logging

from celery import shared_task

from outbox.locks import single_run
from secretariat.services import applications as services

logger = logging.getLogger(__name__)


@shared_task(name="secretariat.mail_application_receipts", acks_late=True)
def mail_application_receipts(*, application_ids: list[int]) -> int:
    """Write the mails of new applications (each once, whatever the number of runs); one
    that fails is left for the sweep, the others go on."""
    written = 0
    for application_id in application_ids:
        try:
            written += services.mail_receipt(application_id=application_id)
        except Exception:  # logged; the sweep tries it again
            logger.exception("the mails of application %s could not be written", application_id)
    return written


@shared_task(name="secretariat.sweep_application_receipts")
def sweep_application_receipts() -> int:
    with single_run("secretariat.sweep_application_receipts") as acquired:  # RELIABILITY 19
        if not acquired:
            return 0
        return services.sweep_receipts()
