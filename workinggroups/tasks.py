import logging

from celery import shared_task

from common.locks import single_run
from workinggroups import services

logger = logging.getLogger(__name__)


@shared_task(name="workinggroups.plan_meetings", acks_late=True)
def plan_meetings() -> dict[str, int]:
    """Daily (rule W3): plan next regular meetings, mark overdue groups, send reminders.

    Idempotent: running it twice, or on two workers, plans one meeting per slot and
    sends one reminder per meeting; and a lock keeps a second copy from running at the
    same time at all (RELIABILITY 19).
    """
    with single_run("workinggroups.plan_meetings") as acquired:
        if not acquired:
            return {"skipped": 1}
        result = services.run_cadence()
    logger.info("workinggroups: cadence %s", result)
    return result
