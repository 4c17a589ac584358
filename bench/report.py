"""Time the annual report for the synthetic network, when the reports app can build one.

The hook: ``reports.services.build_annual_report(year=...)``. Until it exists this prints
``{"report_seconds": null}`` and the table says so.
"""

import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")


def main() -> None:
    django.setup()
    from django.utils import timezone

    try:
        from reports.services import build_annual_report
    except ImportError:
        print(json.dumps({"report_seconds": None}))
        return
    year = timezone.localdate().year - 1  # the last complete year
    started = time.perf_counter()
    build_annual_report(year=year)
    print(json.dumps({"report_seconds": round(time.perf_counter() - started, 2), "year": year}))


if __name__ == "__main__":
    main()
