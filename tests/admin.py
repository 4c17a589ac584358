"""The admin's registered models, through the admin site's public API."""

from django.apps import apps
from django.contrib import admin


def registered_admins() -> list:
    """(model, its ModelAdmin) for every model registered on the admin site."""
    return [
        (model, admin.site.get_model_admin(model))
        for model in apps.get_models()
        if admin.site.is_registered(model)
    ]
