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

from common.tasks import publish, publish_on_commit
from outbox.enums import MailState
from outbox.models import Mail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


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
    """Record several mails in one insert; sent, as ``queue_mail``'s, after the commit
    (one message to the broker for all of them)."""
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
        enqueue_on_commit(mail_ids=[mail.pk for mail in mails])
    return mails


def enqueue_on_commit(*, mail_ids: Sequence[int]) -> None:
    from outbox.tasks import send_mail, send_mails

    if len(mail_ids) == 1:
        publish_on_commit(send_mail, mail_id=mail_ids[0])
    else:
        publish_on_commit(send_mails, mail_ids=list(mail_ids))


def enqueue(*, mail_id: int) -> bool:
    """Hand a mail to the broker now; False (and the mail stays queued) when that fails."""
    from outbox.tasks import send_mail

    return publish(send_mail, mail_id=mail_id)


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
    if ids:
        enqueue_on_commit(mail_ids=ids)
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
