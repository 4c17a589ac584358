from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member cities")

    def ready(self) -> None:
        from members import publiccache

        publiccache.watch(self, exclude=("User",))  # public pages are flushed when our rows change
