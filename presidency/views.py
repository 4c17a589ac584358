from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from common.publicpages import public_page
from members import mixins as members_mixins
from members.roles import acts_for_city
from presidency import board, checks, selectors, services
from presidency.forms import (
    BallotCheckForm,
    BallotForm,
    CandidacyForm,
    DelegateFormSet,
    ProposalForm,
)
from presidency.models import Candidacy, Summit


@public_page
class TimelineView(TemplateView):
    """Every mandate and every summit: the public record of the presidency (S1–S6)."""

    template_name = "presidency/timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mandates"] = selectors.mandates()
        context["summits"] = selectors.summits()
        context["current"] = selectors.current_mandate()
        return context


@public_page
class SummitDetailView(TemplateView):
    template_name = "presidency/summit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summit = get_object_or_404(selectors.summits(), year=self.kwargs["year"])
        context["summit"] = summit
        election = selectors.election_of(summit)
        context["election"] = election
        if election is not None:
            context["candidacies"] = selectors.candidacies_of(election)
            context["results"] = selectors.round_results(election)
        context["elected_mandates"] = selectors.mandates().filter(elected_at=summit)
        context["can_see_lodging"] = selectors.can_see_lodging(
            summit=summit, user=self.request.user
        )
        return context


def _closed_round_or_404(year: int, number: int):
    round_ = selectors.closed_round(year, number)
    if round_ is None:
        raise Http404(_("No closed round of this number in this election."))
    return round_


@public_page
class RoundBoardView(TemplateView):
    """A closed round's ballot board: every tracker with its choice, the cities that voted,
    the count recomputed from the list, and the final digest (issue 20)."""

    template_name = "presidency/round_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = _closed_round_or_404(self.kwargs["year"], self.kwargs["number"])
        context["round"] = round_
        context["election"] = round_.election
        context["board"] = round_.board
        if round_.board:
            context["entries"] = [
                {**item, "spaced": board.spaced(item["tracker"])}
                for item in round_.board["entries"]
            ]
            context["check"] = board.verify(round_.board, expected_digest=round_.board_digest)
        return context


@public_page
def round_board_json(request, year: int, number: int):
    """The board as a file, exactly as sealed: what a city recomputes (``verify_board``)."""
    round_ = _closed_round_or_404(year, number)
    if not round_.board:
        raise Http404(_("This round closed before ballot boards existed."))
    response = JsonResponse(round_.board, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'attachment; filename="b40-ballot-board-{year}-round-{number}.json"'
    )
    return response


class BallotCheckView(FormView):
    """ "Check my ballot": a tracker in, the choice recorded for it in a closed round out.

    Posted, not asked in the URL, so that a tracker never lands in an access log beside
    the address it was checked from.
    """

    form_class = BallotCheckForm
    template_name = "presidency/ballot_check.html"

    def form_valid(self, form):
        tracker = form.cleaned_data["tracker"]
        response = self.render_to_response(
            self.get_context_data(
                form=form,
                checked=board.spaced(tracker),
                found=selectors.ballots_with_tracker(tracker),
            )
        )
        add_never_cache_headers(response)
        return response


# --- the city's pages: the city is always the logged-in user's (RELIABILITY 8) ---------


class CityUserMixin(members_mixins.CityUserMixin):
    """The city's pages of the presidency: the summit and election of the URL's year."""

    def summit(self) -> Summit:
        return get_object_or_404(selectors.summits(), year=self.kwargs["year"])

    def election(self):
        election = selectors.election_of(self.summit())
        if election is None:
            raise Http404
        return election


def _form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


class CandidacySubmitView(CityUserMixin, FormView):
    """The mayor declares their own city's candidacy (rules S2–S4)."""

    mayor_only = True
    form_class = CandidacyForm
    template_name = "presidency/candidacy_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["election"] = self.election()
        return context

    def form_valid(self, form):
        try:
            services.submit_candidacy(
                election=self.election(),
                city=self.city,
                statement=form.cleaned_data["statement"],
                by=self.request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Your city's candidacy is submitted."))
        return redirect("secretariat:dashboard")


class CandidacyProposeView(CityUserMixin, FormView):
    """The mayor proposes another member city; its mayor must accept (rule S3)."""

    mayor_only = True
    form_class = ProposalForm
    template_name = "presidency/candidacy_propose.html"

    def get_form_kwargs(self):
        # Only the cities that may stand now (rules S3, S4, one candidacy per city).
        cities = selectors.eligible_cities(self.election(), exclude=self.city)
        return {**super().get_form_kwargs(), "cities": cities}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["election"] = self.election()
        return context

    def form_valid(self, form):
        try:
            services.propose_candidacy(
                election=self.election(),
                city=form.cleaned_data["city"],
                proposed_by=self.city,
                statement=form.cleaned_data["statement"],
                by=self.request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your proposal is sent; %(city)s is a candidate once its mayor accepts.")
            % {"city": form.cleaned_data["city"]},
        )
        return redirect("secretariat:dashboard")


class CandidacyActionView(CityUserMixin, View):
    """POST only: accept or decline a proposal, or withdraw — for the user's own city; or
    withdraw a proposal the user's city made."""

    mayor_only = True
    http_method_names = ["post"]
    actions = {
        "accept": (services.accept_proposal, _("Your city is now a candidate.")),
        "decline": (services.decline_proposal, _("You declined the proposal.")),
        "withdraw": (services.withdraw_candidacy, _("Your city's candidacy is withdrawn.")),
    }
    proposer_actions = {
        "withdraw-proposal": (services.withdraw_proposal, _("Your proposal is withdrawn.")),
    }

    def post(self, request, pk, action):
        if action in self.actions:
            candidacy = get_object_or_404(Candidacy, pk=pk, city=self.city)  # another's: 404
            service, done = self.actions[action]
        elif action in self.proposer_actions:
            candidacy = get_object_or_404(Candidacy, pk=pk, proposed_by=self.city)
            service, done = self.proposer_actions[action]
        else:
            raise Http404
        try:
            service(candidacy=candidacy, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect("secretariat:dashboard")


class DelegationRegisterView(CityUserMixin, TemplateView):
    template_name = "presidency/delegation_form.html"

    def initial(self, summit):
        delegation = selectors.delegation_of(summit=summit, city=self.city)
        if delegation is None:
            return []
        return [
            {"name": d.name, "role": d.role, "arrives_on": d.arrives_on, "departs_on": d.departs_on}
            for d in delegation.delegates.all()
        ]

    def get(self, request, *args, **kwargs):
        summit = self.summit()
        formset = DelegateFormSet(initial=self.initial(summit))
        return self.render_to_response({"summit": summit, "formset": formset})

    def post(self, request, *args, **kwargs):
        summit = self.summit()
        formset = DelegateFormSet(request.POST)
        refused: list[str] = []  # the service's reasons, shown above the delegates
        if formset.is_valid():
            delegates = [
                services.DelegateData(**form.cleaned_data)
                for form in formset
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            try:
                services.register_delegation(
                    summit=summit, city=self.city, delegates=delegates, by=request.user
                )
            except ValidationError as exc:
                refused = exc.messages
            else:
                messages.success(request, _("Your delegation is registered."))
                return redirect("secretariat:dashboard")
        errors = [*formset.non_form_errors(), *refused]
        return self.render_to_response({"summit": summit, "formset": formset, "errors": errors})


class BallotView(CityUserMixin, FormView):
    """The city's one ballot in the open round (rule P1), cast by its mayor or delegate."""

    form_class = BallotForm
    template_name = "presidency/ballot_form.html"

    def dispatch(self, request, *args, **kwargs):
        if acts_for_city(request.user):
            election = self.election()
            self.round = selectors.open_round(election)
            if self.round is None:
                last = election.rounds.order_by("-number").first()
                if request.method == "POST" and last is not None:
                    # A ballot posted after the round closed is an attempt too (RELIABILITY 12).
                    services.record_refused_attempt(
                        round=last, city=self.city, by=request.user, reason="round_closed"
                    )
                messages.info(request, _("No round is open for voting."))
                return redirect("secretariat:dashboard")
            ballot = self.round.ballot_records.filter(city=self.city).first()
            if ballot is not None and request.method != "POST":
                messages.info(
                    request,
                    _("Your city voted in round %(n)s at %(time)s.")
                    % {
                        "n": self.round.number,
                        "time": date_format(localtime(ballot.cast_at), "H:i"),
                    },
                )
                return redirect("secretariat:dashboard")
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        if self.request.method == "POST" and form.has_error("choice"):
            # A choice that is not on this round's ballot: refused, and logged.
            services.record_refused_attempt(
                round=self.round, city=self.city, by=self.request.user, reason="choice"
            )
        return super().form_invalid(form)

    def get_form_kwargs(self):
        candidates = self.round.candidates.select_related("city").order_by("city__name")
        return {**super().get_form_kwargs(), "candidates": candidates}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["round"] = self.round
        context["election"] = self.round.election
        return context

    def form_valid(self, form):
        try:
            ballot = services.cast_ballot(
                round=self.round, city=self.city, choice=form.chosen(), by=self.request.user
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.form_invalid(form)
        # The tracker is shown once, in this answer: not in a message, a session or a URL,
        # where it would be stored with the user (RELIABILITY 11).
        response = render(
            self.request,
            "presidency/ballot_receipt.html",
            {
                "round": self.round,
                "election": self.round.election,
                "tracker": board.spaced(ballot.tracker),
                "paper": False,
            },
        )
        add_never_cache_headers(response)
        return response


class LodgingView(LoginRequiredMixin, TemplateView):
    """Rule S7 in numbers, for the host city and the secretariat."""

    template_name = "presidency/summit_lodging.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summit = get_object_or_404(selectors.summits(), year=self.kwargs["year"])
        checks.check_see_lodging(summit=summit, by=self.request.user)
        context["summit"] = summit
        context["lodging"] = selectors.lodging(summit)
        return context
