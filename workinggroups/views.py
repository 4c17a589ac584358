from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from common.publicpages import public_page
from members.mixins import CityUserMixin
from workinggroups import selectors, services
from workinggroups.enums import ApprovalKey, GroupState
from workinggroups.feeds import build_calendar
from workinggroups.forms import ExtraSessionRequestForm, ProposeGroupForm, ReasonForm
from workinggroups.models import WorkingGroup


@public_page
class GroupListView(TemplateView):
    template_name = "workinggroups/workinggroup_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = selectors.public_groups()
        return context


class PublicGroupMixin:
    def get_group(self) -> WorkingGroup:
        try:
            return selectors.public_group(self.kwargs["slug"])
        except WorkingGroup.DoesNotExist as exc:
            raise Http404 from exc


@public_page
class GroupDetailView(PublicGroupMixin, TemplateView):
    template_name = "workinggroups/workinggroup_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = self.get_group()
        user = self.request.user
        context["group"] = group
        context["memberships"] = memberships = list(selectors.group_memberships(group))
        context["map_cities"] = [membership.city for membership in memberships]
        context["upcoming"] = selectors.upcoming_meetings(group)
        context["past"] = selectors.past_meetings(group)
        context["members_view"] = selectors.can_see_members_only(user, group)
        context["viewer_tz"] = selectors.viewer_timezone(user)
        context["is_member"] = selectors.is_member_city(user, group)
        context["can_request_extra_session"] = selectors.can_request_extra_session(user, group)
        return context


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
class GroupFeedView(PublicGroupMixin, View):
    def get(self, request, *args, **kwargs):
        group = self.get_group()
        content = build_calendar(selectors.feed_meetings(group), name=f"B40 — {group.name}")
        return _ics_response(content, f"b40-{group.slug}.ics")


@public_page
class AllMeetingsFeedView(View):
    def get(self, request, *args, **kwargs):
        content = build_calendar(selectors.feed_meetings(), name=str(_("B40 working groups")))
        return _ics_response(content, "b40-working-groups.ics")


class JoinGroupView(CityUserMixin, View):
    """The dashboard's one join form: the active group chosen in its list (by slug)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        slug = request.POST.get("group", "")
        group = get_object_or_404(WorkingGroup, slug=slug, state=GroupState.ACTIVE)
        try:
            services.join_group(group=group, city=request.user.city, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your city joined “%(group)s”.") % {"group": group.name})
        return redirect("secretariat:dashboard")


class LeaveGroupView(CityUserMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        group = get_object_or_404(WorkingGroup, slug=kwargs["slug"])
        try:
            services.leave_group(group=group, city=request.user.city, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your city left “%(group)s”.") % {"group": group.name})
        return redirect("secretariat:dashboard")


class RequestExtraSessionView(CityUserMixin, FormView):
    """Rule W4: any member city of a group may ask for an extra session."""

    template_name = "workinggroups/extrasessionrequest_form.html"
    form_class = ExtraSessionRequestForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Only the city's own groups are offered, so an outsider cannot pick another group.
        kwargs["groups"] = selectors.groups_of_city(self.request.user.city)
        return kwargs

    def get_initial(self):
        return {"group": self.request.GET.get("group")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.request_extra_session(
                group=data["group"],
                city=self.request.user.city,
                by=self.request.user,
                reason=data["reason"],
                proposed_start=data["proposed_start"],
                proposed_alternative=data["proposed_alternative"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request was sent to the secretariat; you will be told when it is decided."),
        )
        return redirect("secretariat:dashboard")


class PresidencyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.is_presidency(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProposeGroupView(PresidencyMixin, FormView):
    """The presidency proposes a new group (rule W5); the secretariat does it in the admin."""

    template_name = "workinggroups/workinggroup_propose.html"
    form_class = ProposeGroupForm

    def form_valid(self, form):
        try:
            services.propose_group(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The group is proposed. It becomes active when both the presidency and the "
                "secretariat approve it."
            ),
        )
        return redirect("secretariat:dashboard")


class ApproveGroupView(PresidencyMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        group = get_object_or_404(WorkingGroup, pk=kwargs["pk"])
        try:
            group = services.approve_group(group=group, by=request.user, key=ApprovalKey.PRESIDENCY)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The presidency approved “%(group)s”.") % {"group": group})
        return redirect("secretariat:dashboard")


class RefuseGroupView(PresidencyMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        group = get_object_or_404(WorkingGroup, pk=kwargs["pk"])
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the group is refused."))
            return redirect("secretariat:dashboard")
        try:
            services.refuse_group(
                group=group,
                by=request.user,
                key=ApprovalKey.PRESIDENCY,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The presidency refused “%(group)s”.") % {"group": group})
        return redirect("secretariat:dashboard")
