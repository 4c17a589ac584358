from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.adminlist import LeanListAdmin
from outbox import services
from outbox.enums import MailState
from outbox.models import Mail


@admin.register(Mail)
class MailAdmin(LeanListAdmin, admin.ModelAdmin):
    list_display = ["subject", "recipients", "kind", "state", "attempts", "created_at", "sent_at"]
    # The date filter, not a date hierarchy: that reads every row's year on each page.
    list_filter = ["state", "kind", "created_at"]
    search_fields = ["subject", "to"]
    readonly_fields = [
        "to",
        "subject",
        "body",
        "kind",
        "language",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
    actions = ["send_again"]

    @admin.display(description=_("to"))
    def recipients(self, obj: Mail) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request) -> bool:
        return False  # mail is written by the portal, never by hand

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of what was sent is kept

    @admin.action(description=_("Send the selected failed mails again"), permissions=["change"])
    def send_again(self, request, queryset) -> None:
        skipped = queryset.exclude(state=MailState.FAILED).count()
        count = services.retry_failed(mail_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(n)d mail queued again.", "%(n)d mails queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("Only failed mails are sent again; the others were left alone."),
                messages.WARNING,
            )
