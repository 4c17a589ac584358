from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open data API (top floor: reads every app, nothing imports it)."""

    name = "api"
    verbose_name = "Open data API"
