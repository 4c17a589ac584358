from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Infrastructure")

    def ready(self) -> None:
        from common import publicpages

        publicpages.connect()  # every write to our models makes the public pages new
