"""The authentication backend: Django's own, loading the user's city with the user.

Every logged-in page names the user's city (the menu's "My city"), so the session's user
comes with its city.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class CityModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("city").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
