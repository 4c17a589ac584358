from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from common.adminlist import LabelledRelatedFilter, LeanListAdmin
from common.adminwidgets import AccessibleFieldsAdmin
from members.adminkit import export_as_csv, form_action, run_action
from members.selectors import current_mayor
from presidency import board, checks, services
from presidency.enums import RoundOutcome, RoundState
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


class _RequestModelForm(forms.ModelForm):
    """An admin form whose validation calls a service, as the request's user."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request


class _RequestFormMixin:
    """Hands the request to the admin's form, whose validation calls the service."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm


def _add_service_errors(form, exc) -> None:
    """A service's refusal, shown on the form: on its field when it names one."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, getattr(exc, "messages", [str(exc)]))


class SummitAdminForm(_RequestModelForm):
    """A new summit goes through ``services.plan_summit`` (rule S6, the year of its first
    day); the host and the year of a summit are then fixed (closing an election sets the
    next summit's host)."""

    class Meta:
        model = Summit
        fields = [
            "year",
            "host_city",
            "starts_on",
            "ends_on",
            "venue",
            "programme",
            "state",
            "registration_deadline",
            "meals_per_day",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk or self.errors:
            return data  # a change: Django's model validation (the constraints, rule S6)
        try:
            self.instance = services.plan_summit(
                year=data["year"],
                host_city=data["host_city"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                venue=data.get("venue", ""),
                programme=data.get("programme", ""),
                by=self.request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            _add_service_errors(self, exc)
            return data
        # The rest of the form (state, deadline, meals) on the planned summit.
        for name in ("state", "registration_deadline", "meals_per_day"):
            if name in data:
                setattr(self.instance, name, data[name])
        return data

    def validate_unique(self):
        super().validate_unique()
        if self.instance.pk and not self.errors:
            # The read-only year is left out of the form's own constraint check; the
            # year-of-the-first-day constraint still names the rule, not a 500.
            try:
                self.instance.validate_constraints()
            except ValidationError as exc:
                self.add_error(None, exc.messages)


@admin.register(Summit)
class SummitAdmin(AccessibleFieldsAdmin, _RequestFormMixin, LeanListAdmin, SimpleHistoryAdmin):
    form = SummitAdminForm
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

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["year", "host_city"]  # rule S6: set by the mandate, through the services
        return []


class MandateAdminForm(_RequestModelForm):
    """New: ``services.record_mandate`` (rules S4, S5, S6). Existing: only the mayor, with a
    reason, through ``services.correct_mandate_mayor``."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=services.REASON_MAX,
        required=False,
        help_text=_("Kept in the mandate's history, e.g. “The mayor changed on 1 March.”"),
    )

    class Meta:
        model = Mandate
        fields = ["year", "city", "mayor", "elected_at"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            if self.instance.pk:
                self.instance = services.correct_mandate_mayor(
                    mandate=self.instance,
                    mayor=data.get("mayor"),
                    reason=data.get("reason", ""),
                    by=self.request.user,
                )
            else:
                checks.require_secretariat(by=self.request.user)
                self.instance = services.record_mandate(
                    year=data["year"],
                    city=data["city"],
                    mayor=data.get("mayor"),
                    elected_at=data.get("elected_at"),
                )
        except (ValidationError, PermissionDenied) as exc:
            _add_service_errors(self, exc)
        return data


@admin.register(Mandate)
class MandateAdmin(AccessibleFieldsAdmin, _RequestFormMixin, LeanListAdmin, SimpleHistoryAdmin):
    # Every write is a service called from the form's validation (rules S4, S5, S6).
    form = MandateAdminForm
    list_display = ["year", "city", "mayor", "elected_at"]
    list_select_related = ["city", "mayor__city", "elected_at__host_city"]
    search_fields = ["year", "city__name"]
    autocomplete_fields = ["city", "mayor", "elected_at"]
    actions = ["take_current_mayor", export_as_csv]

    @admin.action(description=_("Record the city's current mayor on the selected mandates"))
    def take_current_mayor(self, request, queryset):
        """After a change of mayor: the mandate names the mayor who actually serves, with the
        change and its reason in the mandate's history."""
        for mandate in queryset.select_related("city", "mayor"):
            mayor = current_mayor(mandate.city)
            if mayor is None or mayor.pk == mandate.mayor_id:
                self.message_user(
                    request,
                    _("%(mandate)s: no other current mayor is recorded for %(city)s.")
                    % {"mandate": mandate, "city": mandate.city},
                    messages.WARNING,
                )
                continue
            try:
                services.correct_mandate_mayor(
                    mandate=mandate,
                    mayor=mayor,
                    reason=str(_("The mayor changed.")),
                    by=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{mandate}: {text}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(mandate)s: the mayor is now %(name)s.")
                % {"mandate": mandate, "name": mayor.name},
                messages.SUCCESS,
            )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["year", "city", "mayor", "elected_at"]
        return ["year", "city", "elected_at", "mayor", "reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["year", "city", "elected_at"]
        return []

    def save_model(self, request, obj, form, change):
        pass  # the service saved it while validating the form

    def has_delete_permission(self, request, obj=None):
        return False


class DelegateInlineFormSet(forms.BaseInlineFormSet):
    """The delegates typed in the admin are checked by the service's own checks (active
    city, head, stays within the summit's days, rule S7); ``DelegationAdmin.save_related``
    then writes them through ``services.register_delegation``."""

    request = None

    def delegates(self) -> list:
        return [
            services.DelegateData(
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                arrives_on=form.cleaned_data["arrives_on"],
                departs_on=form.cleaned_data["departs_on"],
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        delegation = self.instance
        if not (delegation.summit_id and delegation.city_id):
            return  # the delegation's own form reports the missing field
        try:
            checks.check_register_delegation(
                summit=delegation.summit, city=delegation.city, by=self.request.user
            )
            checks.check_delegates(summit=delegation.summit, delegates=self.delegates())
        except (ValidationError, PermissionDenied) as exc:
            raise ValidationError(getattr(exc, "messages", [str(exc)])) from exc


class DelegateInline(admin.TabularInline):
    model = Delegate
    formset = DelegateInlineFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset


@admin.register(Delegation)
class DelegationAdmin(AccessibleFieldsAdmin, LeanListAdmin, SimpleHistoryAdmin):
    list_display = ["city", "summit", "present", "registered_by", "updated_at"]
    list_filter = [("summit", LabelledRelatedFilter), "present"]
    list_select_related = ["city", "summit", "summit__host_city", "registered_by"]
    search_fields = ["city__name"]
    autocomplete_fields = ["city", "summit"]
    inlines = [DelegateInline]
    actions = ["mark_present", "mark_absent", export_as_csv]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["summit", "city", "registered_by", "present"]
        return ["registered_by", "present"]

    def save_model(self, request, obj, form, change):
        pass  # written with its delegates by the service, in save_related

    def save_related(self, request, form, formsets, change):
        (delegates,) = [f for f in formsets if isinstance(f, DelegateInlineFormSet)]
        delegation = services.register_delegation(
            summit=form.instance.summit,
            city=form.instance.city,
            delegates=delegates.delegates(),
            by=request.user,
        )
        form.instance.pk = delegation.pk  # the admin's redirect and log name the saved row
        for formset in formsets:  # what the admin's change message reads after a save
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description=_("Record the selected delegations as present"))
    def mark_present(self, request, queryset):
        run_action(
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
        run_action(
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


class CandidacyAdminForm(_RequestModelForm):
    class Meta:
        model = Candidacy
        fields = ["election", "city", "statement", "proposed_by"]

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
class CandidacyAdmin(AccessibleFieldsAdmin, _RequestFormMixin, LeanListAdmin, SimpleHistoryAdmin):
    form = CandidacyAdminForm
    list_display = ["city", "election", "state", "proposed_by", "submitted_by", "submitted_at"]
    list_filter = [("election", LabelledRelatedFilter), "state"]
    list_select_related = ["city", "election__summit", "proposed_by", "submitted_by"]
    search_fields = ["city__name"]
    autocomplete_fields = ["city", "proposed_by"]
    actions = ["record_paper_consent", "withdraw", export_as_csv]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["election", "city", "proposed_by", "state", "consent_reference"]
        return ["consent_reference"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["statement"])
        # a new candidacy was saved by the service in the form's validation

    @admin.action(description=_("Record the proposed mayor's consent given on paper"))
    def record_paper_consent(self, request, queryset):
        """Not a consent by the secretariat: the proposed city's mayor accepts on the site,
        or consents on paper, which is recorded here with the document's reference (S3)."""
        return form_action(
            self,
            request,
            queryset,
            form_class=PaperConsentForm,
            title=_("Record a paper consent"),
            done=ngettext_lazy(
                "%(n)d paper consent recorded: the city is a candidate.",
                "%(n)d paper consents recorded: the cities are candidates.",
                "n",
            ),
            apply=lambda obj, data: services.record_paper_consent(
                candidacy=obj, reference=data["reference"], by=request.user
            ),
        )

    @admin.action(description=_("Withdraw the selected candidacies"))
    def withdraw(self, request, queryset):
        run_action(
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
class ElectionAdmin(AccessibleFieldsAdmin, LeanListAdmin, SimpleHistoryAdmin):
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
        "close_without_result",
    ]
    fields = [
        "summit",
        "is_secret",
        "state",
        "candidacy_opened_at",
        "candidacy_closed_at",
        "elected",
        "no_result_reason",
        "closed_at",
        "closed_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state", "candidacy_opened_at", "candidacy_closed_at", "elected"]
        readonly += ["no_result_reason", "closed_at", "closed_by"]
        if obj is not None:
            readonly.append("summit")
            if obj.rounds.exists():
                readonly.append("is_secret")  # the kind of vote is fixed once voting starts
        return readonly

    @admin.action(description=_("Open the candidacy period"))
    def open_candidacy(self, request, queryset):
        run_action(
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
        run_action(
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
        run_action(
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
        for round_ in rounds.select_related("election__summit"):
            try:
                closed = services.close_round(round=round_, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{round_}: {text}", messages.ERROR)
                continue
            self.message_user(request, services.describe_count(closed), messages.SUCCESS)

    @admin.action(description=_("Draw the lot for a tie"))
    def draw_lot(self, request, queryset):
        rounds = Round.objects.filter(
            election__in=queryset, outcome__in=[RoundOutcome.TIE, RoundOutcome.SECOND_TIE]
        ).select_related("election__summit")
        for round_ in rounds:
            try:
                draw = services.draw_lot(round=round_, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{round_}: {text}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(round)s: the lot between %(cities)s drew %(winner)s.")
                % {
                    "round": round_,
                    "cities": ", ".join(c["city"] for c in draw.candidates),
                    "winner": draw.winner.city.name,
                },
                messages.SUCCESS,
            )

    @admin.action(description=_("Close the election: mandate and next summit (S5, S6)"))
    def close_election(self, request, queryset):
        for election in queryset.select_related("summit"):
            try:
                mandate = services.close_election(election=election, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{election}: {text}", messages.ERROR)
                continue
            self.message_user(
                request,
                _(
                    "The %(summit)s election is closed: %(city)s presides over the network "
                    "in %(year)s and hosts the %(year)s summit."
                )
                % {"summit": election.summit.year, "city": mandate.city.name, "year": mandate.year},
                messages.SUCCESS,
            )

    @admin.action(description=_("Close the election without a result (give the reason)"))
    def close_without_result(self, request, queryset):
        """The secretariat's way out when no city is or can be elected: asks for the reason,
        which the summit's public page shows."""
        return form_action(
            self,
            request,
            queryset,
            form_class=NoResultForm,
            title=_("Close the election without a result"),
            done=ngettext_lazy(
                "%(n)d election closed without a result.",
                "%(n)d elections closed without a result.",
                "n",
            ),
            apply=lambda obj, data: services.close_election_without_result(
                election=obj, reason=data["reason"], by=request.user
            ),
        )


class PaperConsentForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of the signed document"),
        max_length=200,
        help_text=_("e.g. the letter's registry number; kept in the candidacy's history."),
    )


class NoResultForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the election ends without a result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the summit's public page."),
    )


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)  # "Round 1 of the 2026 election"


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(city)s (candidate in round %(rounds)s)") % {
            "city": obj.city.name,
            "rounds": ", ".join(str(r.number) for r in obj.rounds.all()),
        }


class PaperBallotForm(_RequestModelForm):
    """A paper ballot entered by the secretariat on a city's behalf (rule P1): the open
    rounds only, named with their election, and only their candidates."""

    round = RoundChoiceField(
        label=_("Round"),
        queryset=Round.objects.filter(state=RoundState.OPEN).select_related("election__summit"),
    )
    vote_for = CandidateChoiceField(
        label=_("Vote for"),
        queryset=Candidacy.objects.filter(rounds__state=RoundState.OPEN)
        .select_related("city")
        .prefetch_related("rounds")
        .distinct(),
        required=False,
        help_text=_("Empty: the city abstains. Only the open round's candidates are listed."),
    )

    class Meta:
        model = BallotRecord
        fields = ["round", "city"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.ballot = services.cast_ballot(
                round=data["round"],
                city=data["city"],
                choice=data.get("vote_for"),
                by=self.request.user,
                paper=True,
            )
            self.instance = self.ballot.record
        except (ValidationError, PermissionDenied) as exc:
            _add_service_errors(self, exc)
        return data


@admin.register(BallotRecord)
class BallotRecordAdmin(AccessibleFieldsAdmin, _RequestFormMixin, LeanListAdmin, admin.ModelAdmin):
    """Who voted: readable by the secretariat; the only write is a paper ballot."""

    form = PaperBallotForm
    list_display = ["city", "round", "cast_by", "paper", "cast_at"]
    ordering = ["-cast_at", "-id"]  # the latest first, along an index
    list_filter = ["paper", ("round__election", LabelledRelatedFilter)]
    list_select_related = ["city", "round__election__summit", "cast_by"]
    search_fields = ["city__name"]
    autocomplete_fields = ["city"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["round", "city", "vote_for"]
        return ["round", "city", "cast_by", "paper", "cast_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_form(self, request, form, change):
        record = form.instance  # the service saved it while validating the form
        record.paper_ballot = form.ballot  # for response_add; not a field, never stored
        return record

    def save_model(self, request, obj, form, change):
        pass  # saved by the service

    def save_related(self, request, form, formsets, change):
        pass  # no related rows: the vote is written by the service, unlinked

    def response_add(self, request, obj, post_url_continue=None):
        """The tracker, printed for the delegate who handed in the paper ballot (issue 20):
        shown in this answer only, never stored with the city nor put in a message."""
        response = TemplateResponse(
            request,
            "presidency/ballot_receipt.html",
            {
                **self.admin_site.each_context(request),
                "round": obj.round,
                "city": obj.city,
                "tracker": board.spaced(obj.paper_ballot.tracker),
                "paper": True,
            },
        )
        add_never_cache_headers(response)
        return response

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
        "count",
        "chain_head",
        "board_digest",
        "board_page",
    ]

    actions = ["recount"]

    @admin.display(description=_("Ballot board"))
    def board_page(self, obj):
        if not obj.board:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_board_url(), obj.get_board_url())

    @admin.display(description=_("Count"))
    def count(self, obj):
        """The round's page shows what its count gave (the stored votes)."""
        if obj.state != RoundState.CLOSED:
            return _("Not counted yet: the round is open.")
        return services.describe_count(obj)

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
            board_problems = []
            if round_.board:
                board_problems = services.verify_round_board(round=round_).problems
            if result.matches and not board_problems:
                self.message_user(
                    request,
                    _(
                        "%(round)s: the recount of %(n)d ballots gives the stored result, and "
                        "the stored votes give the ballot board's mailed digest."
                    )
                    % {"round": round_, "n": result.ballots}
                    if round_.board
                    else _("%(round)s: the recount of %(n)d ballots gives the stored result.")
                    % {"round": round_, "n": result.ballots},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("%(round)s: the recount differs: %(problems)s")
                    % {"round": round_, "problems": "; ".join([*result.problems, *board_problems])},
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
