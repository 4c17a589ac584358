from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Infrastructure")

    def ready(self) -> None:
        from common import publicpages

        publicpages.connect()  # every write to our models makes the public pages new

        from common.collation import register_sqlite_collations

        # SQLite learns the collations PostgreSQL has built in (common/collation.py).
        connection_created.connect(register_sqlite_collations, dispatch_uid="common-collations")
