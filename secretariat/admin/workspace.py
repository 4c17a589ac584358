"""The secretariat's workspace in the admin: roster, goals, recommendations, announcements.

Additions go through the services (the same rules as every other door); edits afterwards
are kept as history (django-simple-history).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LabelledRelatedFilter, LeanListAdmin
from common.adminwidgets import AccessibleFieldsAdmin
from members.adminkit import (
    AddedByServiceAdmin,
    EnglishRequiredAdmin,
    copy_languages,
    export_as_csv,
    in_english,
    in_languages,
)
from outbox.enums import MailState
from secretariat.enums.workspace import FollowUpState, GoalStatus
from secretariat.models.workspace import (
    Announcement,
    AnnouncementDelivery,
    FollowUp,
    Goal,
    GoalProgress,
    OpeningMeeting,
    Recommendation,
    RosterMember,
)
from secretariat.selectors import workspace as selectors
from secretariat.services import workspace as services

# The texts written in several languages (secretariat/translation.py).
GOAL_TEXTS = ("title", "description")
RECOMMENDATION_TEXTS = ("title", "text")


def _per_row(rows: QuerySet, key: str) -> Coalesce:
    """How many of ``rows`` point to each listed row (through ``key``): a subquery, so that
    the count is made for the page's rows only, and counting the page is one plain COUNT."""
    counts = rows.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n")), 0)


# --- roster (T2) -----------------------------------------------------------------------


@admin.register(RosterMember)
class RosterMemberAdmin(AccessibleFieldsAdmin, LeanListAdmin, SimpleHistoryAdmin):
    list_display = ["user", "role", "languages", "english_fluent", "active_from", "active_to"]
    list_filter = ["role", "english_fluent", ("active_to", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "languages"]
    autocomplete_fields = ["user"]
    actions = [export_as_csv]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            for warning in selectors.roster_warnings():  # rule T2, also `manage.py check`
                self.message_user(request, warning, messages.WARNING)
        return super().changelist_view(request, extra_context)


# --- annual goals (G1, S8) -------------------------------------------------------------


class OpeningMeetingForm(forms.ModelForm):
    class Meta:
        model = OpeningMeeting
        fields = ["mandate", "held_on", "minutes"]


@admin.register(OpeningMeeting)
class OpeningMeetingAdmin(AddedByServiceAdmin, LeanListAdmin, SimpleHistoryAdmin):
    """Rule G1: the meeting at the start of a mandate where the goals are set."""

    form = OpeningMeetingForm
    list_display = ["mandate", "held_on", "recorded_by"]
    list_select_related = ["mandate", "mandate__city", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["mandate", "held_on", *self.readonly_fields]  # the minutes may be corrected
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def create(self, request, form) -> OpeningMeeting:
        # The form's clean runs the same checks first; the service holds them for every door.
        return services.record_opening_meeting(
            mandate=form.cleaned_data["mandate"],
            held_on=form.cleaned_data["held_on"],
            minutes=form.cleaned_data["minutes"],
            by=request.user,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form_class
        user = request.user

        class CheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                mandate, held_on = cleaned.get("mandate"), cleaned.get("held_on")
                if mandate is not None and held_on is not None:
                    try:
                        services.check_opening_meeting(
                            mandate=mandate,
                            held_on=held_on,
                            minutes=cleaned.get("minutes") or "",
                            by=user,
                        )
                    except (ValidationError, PermissionDenied) as exc:
                        self.add_error(None, getattr(exc, "messages", [str(exc)]))
                return cleaned

        return CheckedForm


class AgreementFilter(admin.SimpleListFilter):
    title = _("agreement (rule S8)")
    parameter_name = "agreement"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", _("Awaiting agreement")),
            ("president", _("Awaiting the president")),
            ("secretariat", _("Awaiting the secretariat")),
            ("set", _("Set (both agreed)")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "awaiting":
                return queryset.filter(
                    Q(presidency_agreed_at__isnull=True) | Q(secretariat_agreed_at__isnull=True)
                )
            case "president":
                return queryset.filter(presidency_agreed_at__isnull=True)
            case "secretariat":
                return queryset.filter(secretariat_agreed_at__isnull=True)
            case "set":
                return queryset.filter(
                    presidency_agreed_at__isnull=False, secretariat_agreed_at__isnull=False
                )
        return queryset


class GoalProgressInline(admin.TabularInline):
    """Progress is recorded through its own form (the service checks the goal is set)."""

    model = GoalProgress
    extra = 0
    fields = ["recorded_on", "value", "note", "recorded_by"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Goal)
class GoalAdmin(
    AccessibleFieldsAdmin,
    AddedByServiceAdmin,
    EnglishRequiredAdmin,
    LeanListAdmin,
    SimpleHistoryAdmin,
):
    translated_texts = GOAL_TEXTS
    list_display = [
        "title",
        "mandate",
        "working_group",
        "indicator_with_unit",
        "baseline",
        "target",
        "latest_value",
        "status",
        "proposed_by",
        "is_set",
    ]
    list_filter = [
        AgreementFilter,
        ("mandate", LabelledRelatedFilter),
        "working_group",
        "proposed_by",
    ]
    list_select_related = ["mandate", "mandate__city", "working_group"]
    search_fields = ["title", "description", "indicator"]
    autocomplete_fields = ["mandate"]
    inlines = [GoalProgressInline]
    actions = ["agree", export_as_csv]
    agreement_fields = [
        "proposed_by",
        "presidency_agreed_at",
        "presidency_agreed_by",
        "secretariat_agreed_at",
        "secretariat_agreed_by",
    ]
    readonly_fields = [*agreement_fields, "latest_value", "status"]
    fieldsets = [
        (None, {"fields": ["mandate", *in_languages("title", "description"), "working_group"]}),
        (_("Indicator"), {"fields": ["indicator", "unit", "baseline", "target"]}),
        (_("Agreement (rule S8)"), {"fields": agreement_fields}),
        (_("Progress"), {"fields": ["latest_value", "status"]}),
    ]

    def get_queryset(self, request):
        latest = GoalProgress.objects.filter(goal=OuterRef("pk")).order_by("-recorded_on", "-id")
        return (
            super()
            .get_queryset(request)
            .annotate(latest_recorded=Subquery(latest.values("value")[:1]))
        )

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else self.fieldsets[:2]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # What the two parties agreed stays as agreed (rule S8): propose a new goal instead.
        return [
            *self.readonly_fields,
            "mandate",
            "title_en",  # the agreed wording; its translations may still be added
            "indicator",
            "unit",
            "baseline",
            "target",
        ]

    @admin.display(description=_("indicator"))
    def indicator_with_unit(self, obj: Goal) -> str:
        return f"{obj.indicator} ({obj.unit})"

    @admin.display(description=_("latest value"))
    def latest_value(self, obj: Goal):
        return obj.latest_recorded

    @admin.display(description=_("status"))
    def status(self, obj: Goal) -> str:
        code = selectors.derive_goal_status(
            baseline=obj.baseline,
            target=obj.target,
            latest=obj.latest_recorded,
            mandate_year=obj.mandate.year,
            today=timezone.localdate(),
        )
        return GoalStatus(code).label

    @admin.display(description=_("set"), boolean=True)
    def is_set(self, obj: Goal) -> bool:
        return obj.is_set

    def create(self, request, form) -> Goal:
        data = {name: form.cleaned_data[name] for name in ["mandate", "working_group"]}
        data.update({name: form.cleaned_data[name] for name in self.fieldsets[1][1]["fields"]})
        data.update(in_english(form.cleaned_data, GOAL_TEXTS))
        with translation.override(settings.LANGUAGE_CODE):
            goal = services.propose_goal(by=request.user, **data)
        copy_languages(form.instance, goal, *GOAL_TEXTS)
        return goal

    @admin.action(description=_("Agree to the selected goals (rule S8)"), permissions=["change"])
    def agree(self, request, queryset) -> None:
        agreed = 0
        for goal in queryset.select_related("mandate"):
            try:
                services.agree_goal(goal=goal, by=request.user)
                agreed += 1
            except (ValidationError, PermissionDenied) as exc:
                reason = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{goal}: {reason}", messages.WARNING)
        if agreed:
            self.message_user(
                request,
                ngettext("%(n)d goal agreed.", "%(n)d goals agreed.", agreed) % {"n": agreed},
                messages.SUCCESS,
            )


class GoalProgressForm(forms.ModelForm):
    class Meta:
        model = GoalProgress
        fields = ["goal", "value", "recorded_on", "note"]

    def clean_goal(self):
        goal = self.cleaned_data["goal"]
        if self.instance.pk is None and not goal.is_set:
            raise ValidationError(
                _("Progress is recorded once the president and the secretariat agreed the goal.")
            )
        return goal


@admin.register(GoalProgress)
class GoalProgressAdmin(
    AccessibleFieldsAdmin, AddedByServiceAdmin, LeanListAdmin, SimpleHistoryAdmin
):
    form = GoalProgressForm
    list_display = ["goal", "recorded_on", "value", "recorded_by"]
    list_filter = [("goal__mandate", LabelledRelatedFilter), ("goal", LabelledRelatedFilter)]
    list_select_related = ["goal", "goal__mandate", "recorded_by"]
    autocomplete_fields = ["goal"]
    date_hierarchy = "recorded_on"
    readonly_fields = ["recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # A correction keeps the goal it was recorded for: re-pointing it would put a
            # value under a goal nobody recorded it for (rule G1).
            return ["goal", *self.readonly_fields]
        return self.readonly_fields

    def create(self, request, form) -> GoalProgress:
        return services.record_goal_progress(
            goal=form.cleaned_data["goal"],
            by=request.user,
            value=form.cleaned_data["value"],
            recorded_on=form.cleaned_data["recorded_on"],
            note=form.cleaned_data["note"],
        )


# --- recommendations and follow-ups (M5) -----------------------------------------------


class FollowUpInline(admin.TabularInline):
    """The cities record their own follow-ups from their dashboard; here they are read."""

    model = FollowUp
    extra = 0
    fields = ["city", "state", "reason", "updated_at", "updated_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(
    AccessibleFieldsAdmin,
    AddedByServiceAdmin,
    EnglishRequiredAdmin,
    LeanListAdmin,
    SimpleHistoryAdmin,
):
    translated_texts = RECOMMENDATION_TEXTS
    list_display = [
        "reference",
        "title",
        "adopted_by",
        "summit",
        "adopted_on",
        "working_group",
        "following",
        "declined",
    ]
    list_display_links = ["reference", "title"]
    list_filter = ["year", "adopted_by", "working_group"]
    list_select_related = ["summit", "summit__host_city", "working_group"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["summit"]
    readonly_fields = ["number"]
    fields = [
        "year",
        "number",
        *in_languages("title", "text"),
        "adopted_by",
        "summit",
        "adopted_on",
        "working_group",
    ]
    inlines = [FollowUpInline]
    actions = [export_as_csv]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                following_count=_per_row(
                    FollowUp.objects.filter(state__in=selectors.FOLLOWING), "recommendation"
                ),
                declined_count=_per_row(
                    FollowUp.objects.filter(state=FollowUpState.WILL_NOT_FOLLOW), "recommendation"
                ),
            )
        )

    @admin.display(description=_("reference"), ordering="number")
    def reference(self, obj: Recommendation) -> str:
        return obj.reference

    @admin.display(description=_("cities following"), ordering="following_count")
    def following(self, obj: Recommendation) -> int:
        return obj.following_count

    @admin.display(description=_("cities not following"), ordering="declined_count")
    def declined(self, obj: Recommendation) -> int:
        return obj.declined_count

    def create(self, request, form) -> Recommendation:
        data = {
            name: form.cleaned_data[name]
            for name in self.fields
            if name != "number" and name not in in_languages(*RECOMMENDATION_TEXTS)
        }
        data.update(in_english(form.cleaned_data, RECOMMENDATION_TEXTS))
        with translation.override(settings.LANGUAGE_CODE):
            recommendation = services.adopt_recommendation(by=request.user, **data)
        copy_languages(form.instance, recommendation, *RECOMMENDATION_TEXTS)
        return recommendation


class RecommendationYearFilter(admin.SimpleListFilter):
    """The recommendations' years, read from the recommendations (not from every follow-up)."""

    title = _("year")
    parameter_name = "recommendation__year"

    def lookups(self, request, model_admin):
        years = Recommendation.objects.order_by("-year").values_list("year", flat=True)
        return [(year, year) for year in years.distinct()]

    def queryset(self, request, queryset):
        year = self.value()
        if not year:
            return queryset
        return queryset.filter(recommendation__year=year) if year.isdigit() else queryset.none()


@admin.register(FollowUp)
class FollowUpAdmin(LeanListAdmin, SimpleHistoryAdmin):
    """Read-only for the secretariat: each city answers for itself (rule M5)."""

    list_display = ["recommendation", "city", "state", "updated_at", "updated_by"]
    ordering = ["-updated_at", "-id"]  # the latest answers first, along an index
    list_filter = ["state", RecommendationYearFilter, "city__country"]
    list_select_related = ["recommendation", "city", "updated_by"]
    search_fields = ["city__name", "recommendation__title", "reason"]
    actions = [export_as_csv]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- announcements (T3) ----------------------------------------------------------------


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = [
            *in_languages("title", "body"),
            "audience",
            "working_group",
            "cities",
            "is_public",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.sent_at is None and "audience" in cleaned:
            try:
                services.validate_addressing(
                    audience=cleaned["audience"],
                    working_group=cleaned.get("working_group"),
                    cities=cleaned.get("cities") or [],
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class DeliveryInline(admin.TabularInline):
    model = AnnouncementDelivery
    extra = 0
    fields = ["city", "mail", "mail_state"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "mail")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("mail state"))
    def mail_state(self, obj: AnnouncementDelivery) -> str:
        return obj.mail.get_state_display() if obj.mail else _("no contact address")


@admin.register(Announcement)
class AnnouncementAdmin(EnglishRequiredAdmin, LeanListAdmin, SimpleHistoryAdmin):
    translated_texts = ("title", "body")
    form = AnnouncementForm
    list_display = [
        "title",
        "author",
        "audience",
        "working_group",
        "is_public",
        "sent_at",
        "cities_reached",
        "mails_failed",
    ]
    list_filter = ["audience", "author", "is_public", "working_group", "sent_at"]
    list_select_related = ["working_group"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["cities"]
    inlines = [DeliveryInline]
    actions = [export_as_csv]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                reached_count=_per_row(AnnouncementDelivery.objects.all(), "announcement"),
                failed_count=_per_row(
                    AnnouncementDelivery.objects.filter(mail__state=MailState.FAILED),
                    "announcement",
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        base = ["author", "posted_by", "sent_at"]
        if obj is not None and obj.sent_at is not None:
            return [*base, "audience", "working_group", "cities"]  # the addressing is frozen
        return base

    @admin.display(description=_("cities reached"), ordering="reached_count")
    def cities_reached(self, obj: Announcement) -> int:
        return obj.reached_count

    @admin.display(description=_("mails failed"), ordering="failed_count")
    def mails_failed(self, obj: Announcement) -> int:
        return obj.failed_count

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.posted_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        announcement = form.instance
        if announcement.sent_at is None:
            count = services.send_announcement(announcement=announcement, by=request.user)
            self.message_user(
                request,
                ngettext(
                    "Sent to %(n)d city: it shows in its dashboard and is mailed to its contacts.",
                    "Sent to %(n)d cities: it shows in their dashboards and is mailed to their "
                    "contacts.",
                    count,
                )
                % {"n": count},
                messages.SUCCESS,
            )


@admin.register(AnnouncementDelivery)
class AnnouncementDeliveryAdmin(LeanListAdmin, admin.ModelAdmin):
    """Each delivery's mail state, for the secretariat to follow up failed mails (rule T3)."""

    list_display = ["announcement", "city", "mail_state", "mail"]
    # No filter by announcement: it would list every announcement ever sent; an
    # announcement's own page lists its deliveries.
    list_filter = ["mail__state"]
    list_select_related = ["announcement", "city", "mail"]
    search_fields = ["city__name", "announcement__title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("mail state"), ordering="mail__state")
    def mail_state(self, obj: AnnouncementDelivery) -> str:
        return obj.mail.get_state_display() if obj.mail else _("no contact address")
