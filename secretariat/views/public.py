"""The public website the secretariat maintains (rule T3) and the city's dashboard."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from common.publicpages import public_page
from members import selectors as member_selectors
from members.models import City
from members.roles import acts_for_city, is_secretariat
from presidency import selectors as presidency_selectors
from presidency.roles import presidency_roles_under
from secretariat.selectors import home as home_selectors
from secretariat.services import workspace as workspace_services
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
        context["former"] = member_selectors.former_cities(query)
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
            if is_secretariat(request.user):
                return redirect("admin:index")
            raise PermissionDenied
        if request.user.is_authenticated and not acts_for_city(request.user):
            raise PermissionDenied  # a deactivated account, or a city that left the network
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        city = user.city  # read with the user (members.backends)
        # This year's mandate and the one the city won; by the first, whether the user acts
        # for the presidency or presides, read once for the panels.
        mandates = presidency_selectors.city_mandates(city, on=timezone.localdate())
        current = mandates.current
        roles = presidency_roles_under(user, presiding_city_id=current.city_id if current else None)
        context.update(
            {
                "city": city,
                # Each with whether the city may end their service (the service's check).
                "people": [
                    (person, workspace_services.city_may_end(person))
                    for person in member_selectors.current_people_of(city)
                ],
                "presidency_panel": presidency_selectors.dashboard_panel(
                    city=city, user=user, won=mandates.won
                ),
                "workinggroups_panel": group_selectors.dashboard_panel(city=city, roles=roles),
                **workspace_views.dashboard_context(city, roles=roles, mandate=current),
            }
        )
        return context
