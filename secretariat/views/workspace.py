"""The workspace's pages: the public news and recommendations, and the city dashboard's
doors (follow-ups, contacts, the president's agreement to goals). The city always comes
from the logged-in user (RELIABILITY 8)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from common.publicpages import public_page
from members.mixins import CityUserMixin
from members.models import City, Person
from members.roles import acts_for_city
from presidency import selectors as presidency_selectors
from presidency.models import Mandate
from presidency.roles import PresidencyRoles, is_presiding_mayor
from secretariat.enums.workspace import FollowUpState
from secretariat.forms.workspace import (
    AnnouncementForm,
    ContactAddForm,
    EndPersonForm,
    FollowUpForm,
    GoalProposalForm,
    PersonDetailsForm,
)
from secretariat.models.workspace import Goal, Recommendation
from secretariat.selectors import workspace as selectors
from secretariat.services import workspace as services

# --- public pages ---------------------------------------------------------------------


@public_page
class NewsListView(TemplateView):
    template_name = "secretariat/news_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(selectors.public_news(), 20)
        context["page_obj"] = paginator.get_page(self.request.GET.get("page"))
        return context


@public_page
class RecommendationListView(TemplateView):
    template_name = "secretariat/recommendation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recommendations"], context["member_count"] = selectors.recommendations_with_rates()
        return context


@public_page
class RecommendationDetailView(TemplateView):
    template_name = "secretariat/recommendation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            recommendation = selectors.recommendation_by_reference(
                year=self.kwargs["year"], number=self.kwargs["number"]
            )
        except Recommendation.DoesNotExist as exc:
            raise Http404 from exc
        context["recommendation"] = recommendation
        context["rows"] = selectors.follow_ups_by_city(recommendation)
        context["following_states"] = selectors.FOLLOWING
        return context


def city_follow_ups_context(city: City) -> dict:
    """For the public city page: the city's own follow-ups (rule M5)."""
    return {"follow_ups": selectors.follow_ups_of_city(city)}


# --- the city dashboard ---------------------------------------------------------------


DASHBOARD_RECOMMENDATIONS = 5  # each with its follow-up form; the rest on their list


def dashboard_context(city: City, *, roles: PresidencyRoles, mandate: Mandate | None) -> dict:
    """The workspace's panels on the city dashboard (announcements, recommendations to
    follow up, and for the president — ``roles`` and this year's ``mandate``, read once by
    the dashboard — the goals awaiting their agreement)."""
    # The most recent ones: the page stays the same size as the years go by; older ones are
    # on the public list, and their follow-up page stays open.
    recommendations = selectors.recommendations_for_city(city)[:DASHBOARD_RECOMMENDATIONS]
    # Each with the label of the city's answer, None before it answers.
    rows = [
        (r, FollowUpState(r.city_state).label if r.city_state else None) for r in recommendations
    ]
    follow_up_form = FollowUpForm()
    is_president = roles.is_presiding_mayor
    return {
        "announcements": selectors.announcements_for_city(city)[:20],
        "recommendation_rows": rows,
        # One form gives every row its labels and choices; the template writes the rows'
        # fields.
        "follow_up_form": follow_up_form,
        # Its states with their labels translated once, not once per row.
        "follow_up_choices": [
            (value, str(label)) for value, label in follow_up_form.fields["state"].choices
        ],
        "dashboard_recommendations": DASHBOARD_RECOMMENDATIONS,
        "is_president": is_president,
        "goals_awaiting_president": (
            selectors.goals_awaiting_president(mandate) if is_president else []
        ),
        "mandate": mandate if is_president else None,
    }


class FollowUpView(CityUserMixin, FormView):
    form_class = FollowUpForm
    template_name = "secretariat/followup_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.recommendation = get_object_or_404(Recommendation, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(recommendation=self.recommendation, **kwargs)

    def form_valid(self, form):
        try:
            services.record_follow_up(
                recommendation=self.recommendation,
                by=self.request.user,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your city's follow-up of recommendation %(ref)s is recorded: %(state)s.")
            % {
                "ref": self.recommendation.reference,
                "state": FollowUpState(form.cleaned_data["state"]).label,
            },
        )
        return HttpResponseRedirect(reverse("secretariat:dashboard") + "#recommendations-heading")


class ContactAddView(CityUserMixin, FormView):
    form_class = ContactAddForm
    template_name = "secretariat/person_form.html"
    extra_context = {"heading": _("Add a contact of your city")}

    def form_valid(self, form):
        try:
            services.add_city_contact(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The contact is added."))
        return redirect("secretariat:dashboard")


class OwnPersonMixin(CityUserMixin):
    def dispatch(self, request, *args, **kwargs):
        if acts_for_city(request.user):
            # Another city's person is simply not found (RELIABILITY 8).
            self.person = get_object_or_404(
                Person, pk=kwargs["pk"], city_id=request.user.city_id, ended_on__isnull=True
            )
        return super().dispatch(request, *args, **kwargs)


class PersonUpdateView(OwnPersonMixin, FormView):
    form_class = PersonDetailsForm
    template_name = "secretariat/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.person}

    def get_context_data(self, **kwargs):
        heading = _("Edit %(name)s") % {"name": self.person.name}
        return super().get_context_data(heading=heading, **kwargs)

    def form_valid(self, form):
        try:
            services.update_city_person(
                person=self.person, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The details are saved."))
        return redirect("secretariat:dashboard")


class PersonEndView(OwnPersonMixin, FormView):
    form_class = EndPersonForm
    template_name = "secretariat/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_context_data(self, **kwargs):
        heading = _("%(name)s no longer serves the city") % {"name": self.person.name}
        return super().get_context_data(heading=heading, **kwargs)

    def form_valid(self, form):
        try:
            services.end_city_person(
                person=self.person, by=self.request.user, ended_on=form.cleaned_data["ended_on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The end of their service is recorded."))
        return redirect("secretariat:dashboard")


class PresidentMixin(CityUserMixin):
    """The president: the presiding city's mayor for the current year (rule S8)."""

    def dispatch(self, request, *args, **kwargs):
        self.mandate = presidency_selectors.current_mandate()
        user = request.user
        if user.is_authenticated and not is_presiding_mayor(user, on=timezone.localdate()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class GoalAgreeView(PresidentMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        goal = get_object_or_404(Goal, pk=pk, mandate=self.mandate)
        try:
            services.agree_goal(goal=goal, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("You agreed to the goal “%(title)s”.") % {"title": goal.title}
            )
        return HttpResponseRedirect(reverse("secretariat:dashboard") + "#goals-heading")


class GoalProposeView(PresidentMixin, FormView):
    form_class = GoalProposalForm
    template_name = "secretariat/person_form.html"
    extra_context = {"heading": _("Propose an annual goal")}

    def form_valid(self, form):
        try:
            services.propose_goal(mandate=self.mandate, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The goal is proposed; the secretariat is asked to agree to it.")
        )
        return HttpResponseRedirect(reverse("secretariat:dashboard") + "#goals-heading")


class PresidentAnnouncementView(PresidentMixin, FormView):
    form_class = AnnouncementForm
    template_name = "secretariat/person_form.html"
    extra_context = {"heading": _("Send an announcement to member cities")}

    def form_valid(self, form):
        try:
            announcement = services.post_announcement(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(title)s” is sent to %(n)d member cities.")
            % {"title": announcement.title, "n": announcement.deliveries.count()},
        )
        return redirect("secretariat:dashboard")
