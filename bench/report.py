"""Time the annual report for the synthetic network, when the reports app can build one.

It uses the reports app's services (``request_report`` then, without a broker, the eager
``build_report``) on the mandate of the last complete year. Without them this prints
``{"report_seconds": null}`` and the table says so. ``python -m bench.report_timing``
(the reports branch) times the same on its own network, step by step.
"""

import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")


def main() -> None:
    django.setup()
    from django.utils import timezone

    from presidency.models import Mandate

    try:
        from reports import services
        from reports.models import AnnualReport

        request_report, build_report = services.request_report, services.build_report
    except (ImportError, AttributeError):
        print(json.dumps({"report_seconds": None}))
        return
    year = timezone.localdate().year - 1  # the last complete year
    mandate = Mandate.objects.get(year=year)
    started = time.perf_counter()
    report = AnnualReport.objects.get(pk=request_report(mandate=mandate).pk)
    if report.state != "done":  # with no broker the task ran eagerly on commit already
        build_report(report_id=report.pk)
        report.refresh_from_db()
    seconds = round(time.perf_counter() - started, 2)
    print(json.dumps({"report_seconds": seconds, "year": year, "state": report.state}))


if __name__ == "__main__":
    main()
