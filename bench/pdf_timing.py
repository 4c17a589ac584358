"""Time the annual report's PDF at 1,000 cities: served stored vs rendered in the request.

    python -m bench.pdf_timing --database-url postgres://postgres@127.0.0.1:5432/b40_pdf

The database given is migrated and filled with bench.report_timing's synthetic network (it
must be empty: use a database of your own). The 2025 report is built (its PDFs rendered
in-process, eagerly), published, then its PDF is fetched through the Django test client:
stored (the usual case) and with no stored PDF (the fallback: rendered in the request).
"""

import argparse
import os
import random
import statistics
import time
from unittest import mock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "b40.settings.local"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CACHE_URL", None)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.report_timing import YEAR, generate_network
    from presidency.models import Mandate
    from reports import rendering, services
    from reports.models import AnnualReport, ReportDocument

    setup_test_environment()
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        generate_network(random.Random(40), cities=args.cities, groups=args.groups)
    mandate = Mandate.objects.get(year=YEAR)
    started = time.perf_counter()
    report = services.request_report(mandate=mandate)  # eager: built, then its PDFs rendered
    built_and_rendered = time.perf_counter() - started
    report = AnnualReport.objects.get(pk=report.pk)
    report.published, report.published_at = True, report.generated_at
    report.save()
    documents = list(ReportDocument.objects.filter(report=report).defer("pdf"))
    client = Client()
    url = f"/reports/{YEAR}/report.pdf"

    def timed(**headers) -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(url, **headers)
        assert response.status_code == 200  # noqa: S101
        return time.perf_counter() - started, len(response.content)

    stored = {}
    for language in ("en", "bg", "tr"):
        with mock.patch.object(rendering, "render_pdf_bytes", side_effect=AssertionError):
            stored[language] = [timed(HTTP_ACCEPT_LANGUAGE=language)[0] for _ in range(args.runs)]
    started = time.perf_counter()
    for _ in range(args.runs):
        rendering.pdf_fingerprint(report, "en")
    fingerprint_ms = (time.perf_counter() - started) / args.runs * 1000
    ReportDocument.objects.filter(report=report).delete()
    fallback = []
    with mock.patch.object(services, "enqueue_pdfs"):
        for _ in range(3):
            cache.clear()
            fallback.append(timed()[0])
    print(f"build + 3 PDFs (eager, one process): {built_and_rendered:.2f} s")
    for document in documents:
        print(
            f"  stored {document.language}: {document.size / 1024:.0f} KB, "
            f"rendered in {document.render_seconds:.2f} s"
        )
    for language, times in stored.items():
        print(f"GET stored PDF ({language}): median {statistics.median(times) * 1000:.1f} ms")
    print(f"fingerprint of the report: {fingerprint_ms:.1f} ms")
    print(f"GET with no stored PDF (rendered in the request): {[round(t, 2) for t in fallback]} s")


if __name__ == "__main__":
    main()
