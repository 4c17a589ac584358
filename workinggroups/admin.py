from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LeanListAdmin
from common.adminwidgets import AccessibleFieldsAdmin
from members.adminkit import (
    AddedByServiceAdmin,
    EnglishRequiredAdmin,
    copy_languages,
    export_as_csv,
    form_action,
    in_english,
    in_languages,
    run_action,
)
from workinggroups import services
from workinggroups.checks import check_join_group
from workinggroups.enums import ApprovalKey
from workinggroups.forms import ConveneForm, ReasonForm, RecordMeetingForm
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


class GroupMembershipForm(forms.ModelForm):
    """A row of the membership inline: asks the same check as the site's join button."""

    class Meta:
        model = GroupMembership
        fields = ["city", "contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["city"].disabled = True  # a city leaves and joins, never swaps

    def clean(self):
        cleaned = super().clean()
        city, contact = cleaned.get("city"), cleaned.get("contact")
        if city is None or cleaned.get("DELETE"):
            return cleaned
        try:
            if self.instance.pk:
                if contact is not None and contact.city_id != city.pk:
                    raise ValidationError(
                        {"contact": _("The contact point must be one of the city's people.")}
                    )
            else:
                group = getattr(self.instance, "group", None)  # None on a group being added
                if group is None or group.pk is None:
                    raise ValidationError(_("Only an active working group can be joined."))
                check_join_group(group=group, city=city, contact=contact)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class GroupMembershipInline(AccessibleFieldsAdmin, admin.TabularInline):
    """Cities join and leave through the same services as on the site (``join_group``)."""

    model = GroupMembership
    form = GroupMembershipForm
    extra = 0
    autocomplete_fields = ["city", "contact"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(
    AccessibleFieldsAdmin,
    AddedByServiceAdmin,
    EnglishRequiredAdmin,
    LeanListAdmin,
    SimpleHistoryAdmin,
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

    def save_formset(self, request, form, formset, change):
        if formset.model is not GroupMembership:
            return super().save_formset(request, form, formset, change)
        group = form.instance
        # The formset's own lists (and the admin's change message) without its writes:
        # each row goes through the service the site's buttons use.
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.leave_group(group=group, city=membership.city, by=request.user)
        for membership, _changed in formset.changed_objects:
            services.change_group_contact(
                membership=membership, contact=membership.contact, by=request.user
            )
        for membership in formset.new_objects:
            services.join_group(
                group=group, city=membership.city, contact=membership.contact, by=request.user
            )
        return None

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
        run_action(
            self,
            request,
            queryset,
            lambda group: services.approve_group(
                group=group, by=request.user, key=ApprovalKey.SECRETARIAT
            ),
            ngettext_lazy(
                "The secretariat approved %(n)d group.",
                "The secretariat approved %(n)d groups.",
                "n",
            ),
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
    """Attendance is recorded with the meeting's minutes (the "held" action)."""

    model = Attendance
    extra = 0
    fields = ["city", "present"]
    readonly_fields = ["city", "present"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(AccessibleFieldsAdmin, LeanListAdmin, SimpleHistoryAdmin):
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
    # The state moves through the actions below (the services), with the minutes.
    readonly_fields = [
        "state",
        "minutes",
        "minutes_visibility",
        "cancellation_reason",
        "cancelled_by",
        "cancelled_at",
        "reminder_sent_at",
        "created_at",
    ]
    inlines = [AttendanceInline]
    actions = ["cancel", "record_held", export_as_csv]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            # A new meeting is planned: its state, minutes and cancellation come later,
            # through the actions (and an unsaved row shows its database defaults as objects).
            return [name for name in fields if name not in self.readonly_fields]
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # A meeting is cancelled, never deleted: a deleted quarterly slot would be planned
        # again by the daily job (rule W3).
        return False

    @admin.action(description=_("Cancel, with a reason mailed to the member cities"))
    def cancel(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Cancel the meetings"),
            done=ngettext_lazy(
                "%(n)d meeting cancelled; its member cities are told why.",
                "%(n)d meetings cancelled; their member cities are told why.",
                "n",
            ),
            apply=lambda meeting, data: services.cancel_meeting(
                meeting=meeting, by=request.user, reason=data["reason"]
            ),
        )

    @admin.action(description=_("Record as held: attendance and minutes"))
    def record_held(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Select one meeting to record at a time."), messages.WARNING
            )
            return None
        meeting = queryset.select_related("group").first()
        cities = meeting.group.cities.order_by("name")
        return form_action(
            self,
            request,
            queryset,
            form_class=partial(RecordMeetingForm, cities=cities),
            title=_("Record the meeting as held"),
            done=ngettext_lazy(
                "%(n)d meeting recorded as held, with its attendance and minutes.",
                "%(n)d meetings recorded as held, with their attendance and minutes.",
                "n",
            ),
            apply=lambda meeting, data: services.record_meeting(
                meeting=meeting,
                by=request.user,
                present=list(data["present"]),
                minutes=data["minutes"],
                minutes_visibility=data["minutes_visibility"],
            ),
        )

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
