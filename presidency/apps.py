from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresidencyConfig(AppConfig):
    name = "presidency"
    verbose_name = _("Presidency and summits")
