from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox.enums import MailState


class Mail(models.Model):
    """One outgoing message, recorded before anything is sent.

    The row is the truth: a task sends it and records the outcome, and a periodic sweep
    re-queues what the broker never delivered (RELIABILITY 21).
    """

    to = models.JSONField(_("to"), help_text=_("The recipients' addresses."))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MailState.choices, default=MailState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="outbox_mail_state_created"),
            # The admin filters by kind (db_index would add a LIKE index no query uses).
            models.Index(fields=["kind"], name="outbox_mail_kind"),
            # The admin's list, newest first: without it every page sorts the whole table.
            models.Index(fields=["-created_at", "-id"], name="outbox_mail_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
