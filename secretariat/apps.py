from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = _("The secretariat's desk")

    def ready(self) -> None:
        from members import publiccache
        from secretariat import checks  # noqa: F401  (registers the system checks)

        # Public pages are flushed when our rows change; applications appear on none of them
        # (an admission writes a City), so the public form cannot flush the cache.
        publiccache.watch(
            self,
            exclude=(
                "Application",
                "ApplicationEvent",
                "ApplicationReceipt",
                "HistoricalApplication",
            ),
        )
