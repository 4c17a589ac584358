"""Sending mail: record first, send after commit, retry, keep the state visible."""

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from outbox import relay
from outbox.enums import MailState
from outbox.models import Mail
from outbox.signals import mails_queued

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RELAY = "outbox.mails"  # the web processes' batched hand-over of committed mails


@dataclass(frozen=True)
class Message:
    """A mail to record; its language is the one active when it is written."""

    to: Sequence[str]
    subject: str
    body: str
    kind: str = ""
    language: str = field(default_factory=lambda: get_language() or "")


def queue_mail(*, to: Sequence[str], subject: str, body: str, kind: str = "") -> Mail:
    """Record a mail and have it sent once the surrounding transaction commits.

    If the broker is down the mail stays queued in the database; the sweep sends it later.
    """
    return queue_mails([Message(to=to, subject=subject, body=body, kind=kind)])[0]


def queue_mails(messages: Sequence[Message]) -> list[Mail]:
    """Record several mails in one insert; sent, as ``queue_mail``'s, after the commit."""
    mails = Mail.objects.bulk_create(
        Mail(
            to=sorted({address.strip() for address in message.to if address and address.strip()}),
            subject=message.subject[:255],
            body=message.body,
            kind=message.kind,
            language=message.language,
        )
        for message in messages
    )
    if mails:
        mails_queued.send(sender=Mail, mails=mails, using=Mail.objects.db)
        _enqueue_on_commit([mail.pk for mail in mails])
    return mails


def _enqueue_on_commit(mail_ids: list[int]) -> None:
    """One hand-over to the broker per transaction, however many mails it queues (an
    announcement to every member city is one message, not a thousand, in the request).

    The mail joins the batch its atomic block already has (found among the connection's
    pending callbacks with the same savepoints), so a batch rolled back with its savepoint
    is never joined; a mail in a nested savepoint starts its own batch.
    """
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    for savepoints, func, _robust in connection.run_on_commit:
        batch = getattr(func, "outbox_batch", None)
        if batch is not None and savepoints == here:  # this very atomic block's batch
            batch.extend(mail_ids)
            return
    batch = list(mail_ids)

    def hand_over() -> None:
        hand_over.outbox_batch = None  # handed over: a later mail starts a new batch
        relay.hand_over(RELAY, batch, _publish)  # batched with other commits' in web processes

    hand_over.outbox_batch = batch
    transaction.on_commit(hand_over)


def hand_over_in_batches() -> None:
    """Batch this process's hand-overs (``outbox.relay``); the web server's entry point,
    ``b40/wsgi.py``, asks. Without a broker, mails are sent in-process at the commit."""
    relay.start_in_web_process(RELAY, _publish)


def _publish(mail_ids: list[int]) -> None:
    enqueue_many(mail_ids=mail_ids)


def enqueue(*, mail_id: int) -> bool:
    """Hand a mail to the broker; return False (and leave it queued) when that fails."""
    from outbox.tasks import send_mail

    try:
        send_mail.delay(mail_id=mail_id)
    except Exception:  # broker down: the row stays queued and the sweep retries it
        logger.warning(
            "outbox: could not enqueue mail %s; the sweep will retry", mail_id, exc_info=True
        )
        return False
    return True


def enqueue_many(*, mail_ids: Sequence[int]) -> bool:
    """Hand several mails to the broker in one message; the worker gives each its own task
    (its own retries). False, and the mails stay queued for the sweep, when that fails."""
    if len(mail_ids) == 1:
        return enqueue(mail_id=mail_ids[0])
    from outbox.tasks import send_mails

    try:
        send_mails.delay(mail_ids=list(mail_ids))
    except Exception:  # broker down: the rows stay queued and the sweep retries them
        logger.warning(
            "outbox: could not enqueue %s mails; the sweep will retry", len(mail_ids), exc_info=True
        )
        return False
    return True


def deliver(*, mail_id: int) -> Mail:
    """Send one mail now. Idempotent: a mail already sent is not sent again.

    The row is locked while sending, so two workers never send it twice. A transport
    error is recorded on the row, then raised again so that the task retries.
    """
    error: Exception | None = None
    with transaction.atomic():
        mail = Mail.objects.select_for_update().get(pk=mail_id)
        if mail.state == MailState.SENT:
            return mail
        mail.attempts += 1
        mail.last_attempt_at = timezone.now()
        try:
            EmailMessage(
                subject=mail.subject,
                body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=mail.to,
            ).send()
        except Exception as exc:  # any transport failure is recorded, then retried
            error = exc
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            mail.state = MailState.FAILED if mail.attempts >= MAX_ATTEMPTS else MailState.QUEUED
        else:
            mail.state = MailState.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save()
    if error is not None:
        raise error
    return mail


def retry_failed(*, mail_ids: Sequence[int]) -> int:
    """The secretariat sends failed mails again (an admin action)."""
    ids = list(
        Mail.objects.filter(pk__in=mail_ids, state=MailState.FAILED).values_list("pk", flat=True)
    )
    for mail in Mail.objects.filter(pk__in=ids):
        mail.state = MailState.QUEUED
        mail.attempts = 0
        mail.save(update_fields=["state", "attempts"])
    for mail_id in ids:
        transaction.on_commit(lambda mail_id=mail_id: enqueue(mail_id=mail_id))
    return len(ids)


def sweep(*, older_than: datetime.timedelta = datetime.timedelta(minutes=5)) -> int:
    """Re-queue mails still queued after a while (the broker lost them or was down)."""
    cutoff = timezone.now() - older_than
    stale = list(
        Mail.objects.filter(state=MailState.QUEUED, created_at__lt=cutoff)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=cutoff))
        .values_list("pk", flat=True)[:500]
    )
    for mail_id in stale:
        enqueue(mail_id=mail_id)
    return len(stale)
