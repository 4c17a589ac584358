"""The secretariat's review of membership applications (rules M2, M3).

Every move goes through services.applications.transition_application: the change form's
"Move the application to" field and the actions below call it, nothing else writes ``state``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LabelledRelatedFilter, LeanListAdmin
from common.adminwidgets import AccessibleFieldsAdmin
from presidency.models import Summit
from secretariat.enums.applications import OPEN_STATES, ApplicationState
from secretariat.forms.applications import ApplicationAdminForm
from secretariat.models.applications import Application, ApplicationEvent
from secretariat.selectors import applications as selectors
from secretariat.services import applications as services

APPLICANT_FIELDS = [
    "city_name",
    "country",
    "mayor_name",
    "website",
    "population",
    "latitude",
    "longitude",
    "contact_name",
    "contact_position",
    "contact_email",
    "contact_phone",
    "working_groups",
    "motivation",
]

APPLICANT_COLUMNS = frozenset(APPLICANT_FIELDS) - {"working_groups"}  # saved by save_related


class ApplicationActionForm(ActionForm):
    """The actions' extra inputs, next to the action menu (no JavaScript needed)."""

    summit = forms.ModelChoiceField(
        label=_("Summit"),
        queryset=Summit.objects.select_related("host_city"),
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summit"].queryset = selectors.summits_open_for_proposals()


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_state", "to_state", "by", "summit", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("History: who moved the application, when and why")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NeedsActionFilter(admin.SimpleListFilter):
    title = _("needs action")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Open: needs action")), ("no", _("Decided or withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=sorted(OPEN_STATES))
        if self.value() == "no":
            return queryset.exclude(state__in=sorted(OPEN_STATES))
        return queryset


@admin.register(Application)
class ApplicationAdmin(AccessibleFieldsAdmin, LeanListAdmin, SimpleHistoryAdmin):
    form = ApplicationAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default
    action_form = ApplicationActionForm
    list_display = ["reference", "city_name", "country", "state", "summit", "submitted_at"]
    list_filter = [NeedsActionFilter, "state", ("summit", LabelledRelatedFilter), "country"]
    list_select_related = ["country", "summit", "summit__host_city"]
    show_facets = admin.ShowFacets.ALWAYS  # the counts next to every filter
    search_fields = ["reference", "city_name", "search_name", "contact_name", "contact_email"]
    date_hierarchy = "submitted_at"
    autocomplete_fields = ["country"]
    filter_horizontal = ["working_groups"]
    inlines = [ApplicationEventInline]
    actions = ["start_review", "propose_to_summit", "admit", "decline", "withdraw"]
    readonly_fields = [
        "reference",
        "state",
        "summit",
        "city",
        "decision_reason",
        "submitted_at",
        "updated_at",
        "status_link",
        "language",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "state",
                    "summit",
                    "city",
                    "decision_reason",
                    "submitted_at",
                    "updated_at",
                    "status_link",
                    "language",  # the applicant's mails are written in it
                ]
            },
        ),
        (
            _("Move the application"),
            {"fields": ["next_state", "transition_summit", "transition_reason"]},
        ),
        (_("The city"), {"fields": APPLICANT_FIELDS[:7]}),
        (_("The contact person"), {"fields": APPLICANT_FIELDS[7:11]}),
        (_("The application"), {"fields": APPLICANT_FIELDS[11:]}),
    ]

    @admin.display(description=_("applicant's status page"))
    def status_link(self, obj: Application) -> str:
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_status_url(), _("open"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_open:
            fields += APPLICANT_FIELDS  # a decided application is a record
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not obj.is_open:
            return [fs for fs in fieldsets if "next_state" not in fs[1]["fields"]]
        return fieldsets

    def has_add_permission(self, request) -> bool:
        return False  # applications come through the public form (rule M3)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of an application is kept

    def save_model(self, request, obj, form, change) -> None:
        obj._history_user = request.user
        # Only the applicant's data the secretariat corrected: never write back ``state``
        # (or the summit, the city) from a form that may be older than the last move.
        changed = [name for name in form.changed_data if name in APPLICANT_COLUMNS]
        if changed:
            obj.save(update_fields=[*changed, "search_name", "updated_at"])
        to_state = form.cleaned_data.get("next_state")
        if not to_state:
            return
        try:
            services.transition_application(
                application=obj,
                to_state=to_state,
                by=request.user,
                reason=form.cleaned_data.get("transition_reason") or "",
                summit=form.cleaned_data.get("transition_summit"),
            )
        except ValidationError as exc:  # a race with another door: the form had checked
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(reference)s is now: %(state)s.")
                % {"reference": obj.reference, "state": ApplicationState(to_state).label},
                messages.SUCCESS,
            )

    def _move(self, request, queryset, to_state: str, *, reason: str = "", summit=None) -> None:
        moved, refused = 0, []
        for application in queryset.select_related("country", "summit"):
            try:
                services.transition_application(
                    application=application,
                    to_state=to_state,
                    by=request.user,
                    reason=reason,
                    summit=summit,
                )
            except ValidationError as exc:
                refused.append(f"{application.reference}: {' '.join(exc.messages)}")
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(n)d application is now: %(state)s.",
                    "%(n)d applications are now: %(state)s.",
                    moved,
                )
                % {"n": moved, "state": ApplicationState(to_state).label},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    def _action_inputs(self, request) -> tuple[str, Summit | None]:
        reason = (request.POST.get("reason") or "").strip()[:2000]
        summit_id = request.POST.get("summit") or ""
        summit = Summit.objects.filter(pk=summit_id).first() if summit_id.isdigit() else None
        return reason, summit

    @admin.action(description=_("Start the review"), permissions=["change"])
    def start_review(self, request, queryset) -> None:
        reason, _summit = self._action_inputs(request)
        self._move(request, queryset, ApplicationState.UNDER_REVIEW, reason=reason)

    @admin.action(description=_("Propose to the summit chosen below"), permissions=["change"])
    def propose_to_summit(self, request, queryset) -> None:
        reason, summit = self._action_inputs(request)
        self._move(request, queryset, ApplicationState.PROPOSED, reason=reason, summit=summit)

    @admin.action(
        description=_("Admit at its summit (creates the member city)"), permissions=["change"]
    )
    def admit(self, request, queryset) -> None:
        reason, _summit = self._action_inputs(request)
        self._move(request, queryset, ApplicationState.ADMITTED, reason=reason)

    @admin.action(description=_("Decline, with the reason given below"), permissions=["change"])
    def decline(self, request, queryset) -> None:
        reason, _summit = self._action_inputs(request)
        self._move(request, queryset, ApplicationState.DECLINED, reason=reason)

    @admin.action(description=_("Withdraw, with the reason given below"), permissions=["change"])
    def withdraw(self, request, queryset) -> None:
        reason, _summit = self._action_inputs(request)
        self._move(request, queryset, ApplicationState.WITHDRAWN, reason=reason)
