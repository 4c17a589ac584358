"""Demo data: the published annual report of the 2025 mandate, built from the demo records,
with its PDFs stored (rendered when the demo's transaction commits; eagerly without a broker)."""

from members.models import User
from presidency.models import Mandate
from reports import services
from reports.models import AnnualReport


def load() -> None:
    mandate = Mandate.objects.filter(year=2025).first()
    if mandate is None or AnnualReport.objects.filter(mandate=mandate).exists():
        return
    report = services.request_report(mandate=mandate)
    # The texts first, then the build: its PDFs (rendered once it commits) show them.
    report.introduction = (
        "(demo) The second full year of the network under a rotating presidency: the working "
        "groups met online every quarter and the cities followed up the recommendations."
    )
    report.highlights = "(demo) Four working groups active; three recommendations adopted."
    report.outlook = "(demo) The 2026 summit elects the presidency of 2027."
    report.save(update_fields=["introduction", "highlights", "outlook"])
    services.build_report(report_id=report.pk)
    report.refresh_from_db()
    services.publish_report(report=report, by=User.objects.get(username="secretariat"))
