from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LeanListAdmin
from members.adminkit import (
    AddedByServiceAdmin,
    EnglishRequiredAdmin,
    copy_languages,
    export_as_csv,
    in_english,
    in_languages,
)
from workinggroups import services
from workinggroups.enums import ApprovalKey
from workinggroups.forms import ConveneForm, ReasonForm
from workinggroups.models import (
    Attendance,
    ExtraSessionRequest,
    GroupMembership,
    Meeting,
    WorkingGroup,
)

APPROVAL_FIELDS = [
    "state",
    "created_on",
    "proposed_by",
    "proposed_at",
    "presidency_approved_by",
    "presidency_approved_at",
    "secretariat_approved_by",
    "secretariat_approved_at",
    "refused_by",
    "refused_key",
    "refused_at",
    "refusal_reason",
    "overdue_since",
]


def _errors(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def form_action(modeladmin, request, queryset, *, form_class, title, done, initial=None, apply):
    """An admin action that asks for a few fields first (a reason, a date) on its own page.

    ``apply(obj, cleaned_data)`` calls the service for each selected object; ``done`` says
    what happened, with ``%(n)d`` the number of objects (an ``ngettext_lazy(…, "n")``).
    """
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            count = 0
            for obj in queryset:
                try:
                    apply(obj, form.cleaned_data)
                except (ValidationError, PermissionDenied) as exc:
                    modeladmin.message_user(request, f"{obj}: {_errors(exc)}", messages.ERROR)
                else:
                    count += 1
            if count:
                modeladmin.message_user(request, done % {"n": count}, messages.SUCCESS)
            return None
    else:
        form = form_class(initial=initial or {})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "workinggroups/admin/action_form.html", context)


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["city", "contact"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(
    AddedByServiceAdmin, EnglishRequiredAdmin, LeanListAdmin, SimpleHistoryAdmin
):
    translated_texts = ("topic",)
    list_display = [
        "name",
        "state",
        "overdue_since",
        "is_permanent",
        "coordinating_city",
        "presidency_approved_at",
        "secretariat_approved_at",
        "created_on",
    ]
    list_filter = ["state", "is_permanent", ("overdue_since", admin.EmptyFieldListFilter)]
    list_select_related = ["coordinating_city"]
    search_fields = ["name", "topic"]
    autocomplete_fields = ["coordinating_city"]
    # The secretariat sees the groups that have gone three months without a meeting first (W3).
    ordering = [F("overdue_since").asc(nulls_last=True), "name"]
    inlines = [GroupMembershipInline]
    actions = ["approve_as_secretariat", "refuse_as_secretariat", "close", export_as_csv]
    fields = [
        "name",
        "slug",
        *in_languages("topic"),
        "is_permanent",
        "coordinating_city",
        *APPROVAL_FIELDS,
    ]

    def get_readonly_fields(self, request, obj=None):
        # Rule W5: state and the two keys move only through the services (actions below).
        return ["slug", *APPROVAL_FIELDS]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A group is closed (the action above), never deleted: deleting would take its
        # memberships and meetings with it (RELIABILITY 7, 26).
        return False

    def create(self, request, form) -> WorkingGroup:
        with translation.override(settings.LANGUAGE_CODE):
            group = services.propose_group(
                name=form.instance.name,
                is_permanent=form.instance.is_permanent,
                by=request.user,
                **in_english(form.cleaned_data, self.translated_texts),
            )
        copy_languages(form.instance, group, "topic")
        if form.instance.coordinating_city_id:
            group.coordinating_city_id = form.instance.coordinating_city_id
            group.save(update_fields=["coordinating_city"])
        return group

    @admin.action(description=_("Approve for the secretariat (rule W5)"))
    def approve_as_secretariat(self, request, queryset):
        done = 0
        for group in queryset:
            try:
                services.approve_group(group=group, by=request.user, key=ApprovalKey.SECRETARIAT)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{group}: {_errors(exc)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "The secretariat approved %(n)d group.",
                    "The secretariat approved %(n)d groups.",
                    done,
                )
                % {"n": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Close the group"))
    def close(self, request, queryset):
        for group in queryset:
            try:
                services.close_group(group=group, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{group}: {_errors(exc)}", messages.ERROR)
            else:
                self.message_user(request, _("Closed: %(group)s") % {"group": group})

    @admin.action(description=_("Refuse for the secretariat, with a reason (rule W5)"))
    def refuse_as_secretariat(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Refuse the proposed working groups"),
            done=ngettext_lazy(
                "The secretariat refused %(n)d proposed group.",
                "The secretariat refused %(n)d proposed groups.",
                "n",
            ),
            apply=lambda group, data: services.refuse_group(
                group=group, by=request.user, key=ApprovalKey.SECRETARIAT, reason=data["reason"]
            ),
        )


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["city"]


@admin.register(Meeting)
class MeetingAdmin(LeanListAdmin, SimpleHistoryAdmin):
    list_display = [
        "group",
        "kind",
        "starts_at",
        "ends_at",
        "minutes_visibility",
        "reminder_sent_at",
    ]
    list_filter = ["kind", "group", "minutes_visibility"]
    list_select_related = ["group"]
    search_fields = ["group__name", "agenda", "minutes"]
    autocomplete_fields = ["group"]
    date_hierarchy = "starts_at"
    readonly_fields = ["reminder_sent_at", "created_at"]
    inlines = [AttendanceInline]
    actions = [export_as_csv]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # online meeting links are https
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(ExtraSessionRequest)
class ExtraSessionRequestAdmin(LeanListAdmin, SimpleHistoryAdmin):
    list_display = ["city", "group", "state", "proposed_start", "created_at", "decided_by"]
    list_filter = ["state", "group"]
    list_select_related = ["city", "group", "decided_by"]
    search_fields = ["city__name", "group__name", "reason"]
    readonly_fields = [
        "group",
        "city",
        "requested_by",
        "reason",
        "proposed_start",
        "proposed_alternative",
        "state",
        "decided_by",
        "decided_at",
        "decline_reason",
        "meeting",
        "created_at",
    ]
    actions = ["convene", "decline"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a city's request (rule W4) is answered, never erased

    def has_add_permission(self, request):
        return False  # requests come from the member cities (rule W4)

    @admin.action(description=_("Convene the extra session"))
    def convene(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Select one request to convene at a time."), messages.WARNING
            )
            return None
        first = queryset.first()
        return form_action(
            self,
            request,
            queryset,
            form_class=ConveneForm,
            title=_("Convene the extra session"),
            done=ngettext_lazy(
                "The extra session is convened: the meeting is in the group's calendar.",
                "%(n)d extra sessions are convened: the meetings are in the groups' calendars.",
                "n",
            ),
            initial={"starts_at": first.proposed_start, "agenda": first.reason},
            apply=lambda req, data: services.convene_extra_session(
                request=req,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                online_link=data["online_link"],
                agenda=data["agenda"],
            ),
        )

    @admin.action(description=_("Decline, with a reason"))
    def decline(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Decline the extra session requests"),
            done=ngettext_lazy(
                "%(n)d request for an extra session declined; the city is told why.",
                "%(n)d requests for an extra session declined; the cities are told why.",
                "n",
            ),
            apply=lambda req, data: services.decline_extra_session(
                request=req, by=request.user, reason=data["reason"]
            ),
        )
