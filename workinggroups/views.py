from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from workinggroups import selectors
from workinggroups.enums import GroupState
from workinggroups.models import WorkingGroup


class GroupListView(TemplateView):
    template_name = "workinggroups/workinggroup_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = selectors.public_groups()
        return context


class GroupDetailView(TemplateView):
    template_name = "workinggroups/workinggroup_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = get_object_or_404(
            WorkingGroup.objects.select_related("coordinating_city").exclude(
                state=GroupState.PROPOSED
            ),
            slug=self.kwargs["slug"],
        )
        context["group"] = group
        context["memberships"] = selectors.group_memberships(group)
        return context
