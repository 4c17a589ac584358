from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = _("The secretariat's desk")

    def ready(self) -> None:
        from secretariat import checks  # noqa: F401  (registers the system checks)
