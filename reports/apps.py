from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Annual reports")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from reports.models import AnnualReport
        from reports.receivers import report_saved

        post_save.connect(report_saved, sender=AnnualReport, dispatch_uid="reports:pdfs")
        # The secretariat's desk (a floor below) shows reports due; it cannot import us.
        from reports.selectors import desk_items
        from secretariat.selectors.workspace import register_desk_item_provider

        register_desk_item_provider(desk_items)
