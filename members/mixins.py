"""The one view mixin for "a mayor or delegate acting for their own city" (STYLE 17)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from members.models import City
from members.roles import acts_for_city


class CityUserMixin(LoginRequiredMixin):
    """Only a member city's mayor or delegate; ``mayor_only`` asks for the mayor.

    The city is always the logged-in user's (``self.city``), never one named in the request
    (RELIABILITY 8). A visitor is sent to the login page; any other account gets 403.
    """

    mayor_only = False

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if not acts_for_city(user):
                raise PermissionDenied
            if self.mayor_only and not acts_for_city(user, mayor=True):
                raise PermissionDenied(_("Only the mayor may do this for the city."))
        return super().dispatch(request, *args, **kwargs)

    @property
    def city(self) -> City:
        return self.request.user.city
