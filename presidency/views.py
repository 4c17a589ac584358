from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from presidency import selectors


class TimelineView(TemplateView):
    """Every mandate and every summit: the public record of the presidency (S1–S6)."""

    template_name = "presidency/timeline.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mandates"] = selectors.mandates()
        context["summits"] = selectors.summits()
        context["current"] = selectors.current_mandate()
        return context


class SummitDetailView(TemplateView):
    template_name = "presidency/summit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summit"] = get_object_or_404(selectors.summits(), year=self.kwargs["year"])
        return context
