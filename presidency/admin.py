from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LabelledRelatedFilter, LeanListAdmin
from members.adminkit import export_as_csv
from presidency import services
from presidency.enums import RoundState
from presidency.models import (
    BallotAttempt,
    BallotRecord,
    Candidacy,
    Delegate,
    Delegation,
    Election,
    LotDraw,
    Mandate,
    Round,
    Summit,
)


def _run(modeladmin, request, queryset, call, done) -> None:
    """Call a service for each selected row; report what it refused, rule and all."""
    count = 0
    for obj in queryset:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(getattr(exc, "messages", [str(exc)]))
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"n": count}, messages.SUCCESS)


@admin.register(Summit)
class SummitAdmin(LeanListAdmin, SimpleHistoryAdmin):
    list_display = [
        "year",
        "host_city",
        "starts_on",
        "ends_on",
        "venue",
        "state",
        "registration_deadline",
    ]
    list_filter = ["state"]
    list_select_related = ["host_city"]
    search_fields = ["year", "host_city__name", "venue"]
    autocomplete_fields = ["host_city"]
    actions = [export_as_csv]


class MandateAdminForm(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = ["year", "city", "mayor", "elected_at"]


@admin.register(Mandate)
class MandateAdmin(LeanListAdmin, SimpleHistoryAdmin):
    # Mandate.clean() applies rule S4 (no two consecutive mandates) to what is typed here.
    form = MandateAdminForm
    list_display = ["year", "city", "mayor", "elected_at"]
    list_select_related = ["city", "mayor__city", "elected_at__host_city"]
    search_fields = ["year", "city__name"]
    autocomplete_fields = ["city", "mayor", "elected_at"]
    actions = [export_as_csv]


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(LeanListAdmin, SimpleHistoryAdmin):
    list_display = ["city", "summit", "present", "registered_by", "updated_at"]
    list_filter = [("summit", LabelledRelatedFilter), "present"]
    list_select_related = ["city", "summit", "summit__host_city", "registered_by"]
    search_fields = ["city__name"]
    autocomplete_fields = ["city", "summit"]
    readonly_fields = ["registered_by"]
    inlines = [DelegateInline]
    actions = ["mark_present", "mark_absent", export_as_csv]

    @admin.action(description=_("Record the selected delegations as present"))
    def mark_present(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda d: services.set_delegation_presence(delegation=d, present=True, by=request.user),
            ngettext_lazy(
                "%(n)d delegation recorded as present.",
                "%(n)d delegations recorded as present.",
                "n",
            ),
        )

    @admin.action(description=_("Record the selected delegations as absent"))
    def mark_absent(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda d: services.set_delegation_presence(
                delegation=d, present=False, by=request.user
            ),
            ngettext_lazy(
                "%(n)d delegation recorded as absent.",
                "%(n)d delegations recorded as absent.",
                "n",
            ),
        )


class CandidacyAdminForm(forms.ModelForm):
    class Meta:
        model = Candidacy
        fields = ["election", "city", "statement", "proposed_by"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        # Adding a candidacy in the admin goes through the same service as the city's page.
        data = super().clean()
        if self.instance.pk or self.errors:
            return data
        try:
            if data.get("proposed_by"):
                self.instance = services.propose_candidacy(
                    election=data["election"],
                    city=data["city"],
                    proposed_by=data["proposed_by"],
                    statement=data.get("statement", ""),
                    by=self.request.user,
                )
            else:
                self.instance = services.submit_candidacy(
                    election=data["election"],
                    city=data["city"],
                    statement=data.get("statement", ""),
                    by=self.request.user,
                )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


@admin.register(Candidacy)
class CandidacyAdmin(LeanListAdmin, SimpleHistoryAdmin):
    form = CandidacyAdminForm
    list_display = ["city", "election", "state", "proposed_by", "submitted_by", "submitted_at"]
    list_filter = [("election", LabelledRelatedFilter), "state"]
    list_select_related = ["city", "election__summit", "proposed_by", "submitted_by"]
    search_fields = ["city__name"]
    autocomplete_fields = ["city", "proposed_by"]
    actions = ["accept", "withdraw", export_as_csv]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["election", "city", "proposed_by", "state"]
        return []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["statement"])
        # a new candidacy was saved by the service in the form's validation

    @admin.action(description=_("Accept the selected proposals for their city"))
    def accept(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.accept_proposal(candidacy=obj, by=request.user),
            ngettext_lazy(
                "%(n)d proposal accepted for its city.",
                "%(n)d proposals accepted for their cities.",
                "n",
            ),
        )

    @admin.action(description=_("Withdraw the selected candidacies"))
    def withdraw(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.withdraw_candidacy(candidacy=obj, by=request.user),
            ngettext_lazy("%(n)d candidacy withdrawn.", "%(n)d candidacies withdrawn.", "n"),
        )


class RoundInline(admin.TabularInline):
    model = Round
    fields = ["number", "state", "opened_at", "opened_by", "closed_at", "outcome", "elected"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Election)
class ElectionAdmin(LeanListAdmin, SimpleHistoryAdmin):
    list_display = ["summit", "is_secret", "state", "elected"]
    list_filter = ["state", "is_secret"]
    list_select_related = ["summit", "summit__host_city", "elected__city"]
    autocomplete_fields = ["summit"]
    inlines = [RoundInline]
    actions = [
        "open_candidacy",
        "close_candidacy",
        "open_round",
        "close_round",
        "draw_lot",
        "close_election",
    ]
    fields = [
        "summit",
        "is_secret",
        "state",
        "candidacy_opened_at",
        "candidacy_closed_at",
        "elected",
        "closed_at",
        "closed_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state", "candidacy_opened_at", "candidacy_closed_at", "elected"]
        readonly += ["closed_at", "closed_by"]
        if obj is not None:
            readonly.append("summit")
            if obj.rounds.exists():
                readonly.append("is_secret")  # the kind of vote is fixed once voting starts
        return readonly

    @admin.action(description=_("Open the candidacy period"))
    def open_candidacy(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.open_candidacy(election=obj, by=request.user),
            ngettext_lazy(
                "The candidacy period is open for %(n)d election.",
                "The candidacy period is open for %(n)d elections.",
                "n",
            ),
        )

    @admin.action(description=_("Close the candidacy period"))
    def close_candidacy(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.close_candidacy(election=obj, by=request.user),
            ngettext_lazy(
                "The candidacy period is closed for %(n)d election.",
                "The candidacy period is closed for %(n)d elections.",
                "n",
            ),
        )

    @admin.action(description=_("Open the next round (freezes the electorate)"))
    def open_round(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.open_round(election=obj, by=request.user),
            ngettext_lazy(
                "%(n)d new round opened; its electorate is frozen.",
                "%(n)d new rounds opened; their electorates are frozen.",
                "n",
            ),
        )

    @admin.action(description=_("Close the open round and count it"))
    def close_round(self, request, queryset):
        rounds = Round.objects.filter(election__in=queryset, state=RoundState.OPEN)
        _run(
            self,
            request,
            rounds,
            lambda obj: services.close_round(round=obj, by=request.user),
            ngettext_lazy(
                "%(n)d round closed and counted.", "%(n)d rounds closed and counted.", "n"
            ),
        )

    @admin.action(description=_("Draw the lot for a tie"))
    def draw_lot(self, request, queryset):
        rounds = Round.objects.filter(election__in=queryset, outcome="tie")
        _run(
            self,
            request,
            rounds,
            lambda obj: services.draw_lot(round=obj, by=request.user),
            ngettext_lazy(
                "The lot was drawn for %(n)d tie.", "The lot was drawn for %(n)d ties.", "n"
            ),
        )

    @admin.action(description=_("Close the election: mandate and next summit (S5, S6)"))
    def close_election(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.close_election(election=obj, by=request.user),
            ngettext_lazy(
                "%(n)d election closed: its mandate and next summit are recorded.",
                "%(n)d elections closed: their mandates and next summits are recorded.",
                "n",
            ),
        )


class PaperBallotForm(forms.ModelForm):
    """A paper ballot entered by the secretariat on a city's behalf (rule P1)."""

    vote_for = forms.ModelChoiceField(
        label=_("Vote for"),
        queryset=Candidacy.objects.select_related("city"),
        required=False,
        help_text=_("Empty: the city abstains."),
    )

    class Meta:
        model = BallotRecord
        fields = ["round", "city"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def _post_clean(self):
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.instance = services.cast_ballot(
                round=data["round"],
                city=data["city"],
                choice=data.get("vote_for"),
                by=self.request.user,
                paper=True,
            )
        except (ValidationError, PermissionDenied) as exc:
            self.add_error(None, getattr(exc, "messages", [str(exc)]))


@admin.register(BallotRecord)
class BallotRecordAdmin(LeanListAdmin, admin.ModelAdmin):
    """Who voted: readable by the secretariat; the only write is a paper ballot."""

    form = PaperBallotForm
    list_display = ["city", "round", "cast_by", "paper", "cast_at"]
    ordering = ["-cast_at", "-id"]  # the latest first, along an index
    list_filter = ["paper", ("round__election", LabelledRelatedFilter)]
    list_select_related = ["city", "round", "cast_by"]
    search_fields = ["city__name"]
    autocomplete_fields = ["city"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["round", "city", "vote_for"]
        return ["round", "city", "cast_by", "paper", "cast_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        pass  # the service saved it while validating the form

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(LeanListAdmin, admin.ModelAdmin):
    list_display = ["election", "number", "state", "outcome", "elected", "opened_at", "closed_at"]
    list_filter = ["state", "outcome"]
    list_select_related = ["election__summit", "elected__city"]
    search_fields = ["election__summit__year"]
    readonly_fields = [
        "election",
        "number",
        "state",
        "candidates",
        "electorate",
        "opened_at",
        "opened_by",
        "closed_at",
        "closed_by",
        "outcome",
        "elected",
    ]

    actions = ["recount"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Recount from the stored ballots"), permissions=["view"])
    def recount(self, request, queryset):
        for round_ in queryset.select_related("election__summit"):
            try:
                result = services.recount_round(round=round_)
            except ValidationError as exc:
                self.message_user(request, f"{round_}: {' '.join(exc.messages)}", messages.WARNING)
                continue
            if result.matches:
                self.message_user(
                    request,
                    _("%(round)s: the recount of %(n)d ballots gives the stored result.")
                    % {"round": round_, "n": result.ballots},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("%(round)s: the recount differs: %(problems)s")
                    % {"round": round_, "problems": "; ".join(result.problems)},
                    messages.ERROR,
                )


@admin.register(BallotAttempt)
class BallotAttemptAdmin(LeanListAdmin, admin.ModelAdmin):
    """Every ballot attempt, refused ones too: read-only (RELIABILITY 12)."""

    list_display = ["attempted_at", "round", "city", "user", "paper", "outcome", "reason"]
    list_filter = ["outcome", "paper", ("round__election", LabelledRelatedFilter)]
    list_select_related = ["round__election__summit", "city", "user"]
    search_fields = ["city__name", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LotDraw)
class LotDrawAdmin(LeanListAdmin, admin.ModelAdmin):
    list_display = ["round", "winner", "started_by", "drawn_at", "source"]
    list_select_related = ["round__election__summit", "winner__city", "started_by"]
    readonly_fields = [
        "round",
        "started_by",
        "drawn_at",
        "source",
        "candidates",
        "drawn_index",
        "winner",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
