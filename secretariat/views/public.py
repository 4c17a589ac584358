"""The public website the secretariat maintains (rule T3) and the city's dashboard."""

import datetime

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from members import selectors as member_selectors
from members.models import City
from members.publiccache import cached_fragment, public_page
from presidency import selectors as presidency_selectors
from secretariat.selectors import home as home_selectors
from secretariat.views import workspace as workspace_views
from workinggroups import selectors as group_selectors


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Choose the site's language and go back to the same page.

    A link, not a form: the only effect is the visitor's own preference cookie, and pages
    without a CSRF token can be cached for every anonymous visitor.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@public_page
class HomeView(TemplateView):
    template_name = "secretariat/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **home_selectors.home_page()}


@public_page
class AboutView(TemplateView):
    template_name = "secretariat/about.html"


@public_page
class DeclarationView(TemplateView):
    template_name = "secretariat/declaration.html"


CITIES_PER_PAGE = 100


@public_page
class CityListView(TemplateView):
    template_name = "secretariat/city_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")[:100]
        context["query"] = query
        # Pages of cities: the list keeps its size when the network grows to a thousand.
        paginator = Paginator(member_selectors.cities_for_list(query), CITIES_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        context["page_obj"] = page
        context["countries"] = member_selectors.group_by_country(page.object_list)
        context["total"] = paginator.count
        return context


@public_page
class CityDetailView(TemplateView):
    template_name = "secretariat/city_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            city = member_selectors.city_with_people(self.kwargs["slug"])
        except City.DoesNotExist as exc:
            raise Http404 from exc
        context["city"] = city
        context["mayor"] = next((p for p in city.current_people if p.role == "mayor"), None)
        context["groups"] = group_selectors.groups_of_city(city)
        context["mandates"] = presidency_selectors.mandates_of_city(city)
        context.update(workspace_views.city_follow_ups_context(city))
        return context


class DashboardView(LoginRequiredMixin, TemplateView):
    """One page for a mayor's or delegate's own city (RELIABILITY 8: the city is the user's)."""

    template_name = "secretariat/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.city_id:
            if request.user.is_staff:
                return redirect("admin:index")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["city"] = user.city
        # The content is kept rendered until the next write to our models (or the moment a
        # deadline it shows passes); the parts name what else it depends on.
        context["dashboard"] = cached_fragment(
            self.request,
            name="dashboard",
            parts=(user.city_id, user.pk, user.city_role, user.is_active, timezone.localdate()),
            render=self.render_content,
        )
        return context

    def render_content(self, csrf_token: str) -> tuple[str, datetime.datetime | None]:
        city = member_selectors.city_with_people(self.request.user.city.slug)
        presidency_panel = presidency_selectors.dashboard_panel(city=city)
        context = {
            "city": city,
            "csrf_token": csrf_token,
            "presidency_panel": presidency_panel,
            "workinggroups_panel": group_selectors.dashboard_panel(city=city),
            **workspace_views.dashboard_context(self.request, city),
        }
        html = render_to_string(
            "secretariat/workspace/_dashboard_content.html", context, request=self.request
        )
        return html, presidency_panel.get("changes_at")
