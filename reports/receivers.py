"""Keep the stored PDFs in step with the report (connected in ``ReportsConfig.ready``).

Like the public cache's flush, this only refreshes a derived artefact: whatever door saved
the report (a build, the admin's text edits, a revert from the history, publishing, the
shell), its PDFs are queued for rendering once the change commits. The task renders only
the languages whose content changed, so a save that changes nothing the PDF shows
(publishing) costs a comparison of hashes.
"""

from django.conf import settings

from reports import services
from reports.models import AnnualReport


def report_saved(sender, instance: AnnualReport, raw: bool = False, **kwargs) -> None:
    if raw or not instance.is_done or not settings.REPORTS_RENDER_PDFS_ON_CHANGE:
        return
    services.schedule_pdfs(report_id=instance.pk)
