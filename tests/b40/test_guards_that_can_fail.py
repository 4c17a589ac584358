"""Guards mutation testing found unprotected (issue 17): each test fails without its guard."""

import importlib
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from b40.celery_app import app as celery_app
from members.models import City
from presidency.models import Mandate
from reports.enums import ReportState
from reports.models import AnnualReport
from secretariat.enums.applications import ApplicationState
from secretariat.models.applications import Application
from tests.factories import ApplicationFactory

OUR_NAMESPACES = (
    "outbox.",
    "members.",
    "presidency.",
    "workinggroups.",
    "secretariat.",
    "reports.",
    "common.",
)


@pytest.mark.parametrize("state", [ApplicationState.PROPOSED, ApplicationState.ADMITTED])
def test_the_database_refuses_a_proposed_or_admitted_application_without_a_summit(db, state):
    application = ApplicationFactory()
    extra = {"city": City.objects.get(slug="tirana")} if state == ApplicationState.ADMITTED else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(state=state, **extra)


@pytest.mark.parametrize(
    "fields",
    [
        {"state": ReportState.DONE, "provisional": True},
        {"state": ReportState.RUNNING, "provisional": False},
    ],
    ids=["provisional", "unfinished"],
)
def test_the_database_refuses_to_publish_a_provisional_or_unfinished_report(db, fields):
    mandate = Mandate.objects.create(year=2024, city=City.objects.get(slug="tirana"))
    report = AnnualReport.objects.create(year=2024, mandate=mandate)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(
            published=True, published_at=timezone.now(), **fields
        )
    AnnualReport.objects.filter(pk=report.pk).update(  # the control: a final report publishes
        published=True, published_at=timezone.now(), state=ReportState.DONE, provisional=False
    )


def test_every_task_of_ours_is_acked_late_and_rejected_when_its_worker_dies():
    # RELIABILITY 18: a worker killed mid-task loses no job. Import every tasks module of
    # ours first: the worker's autodiscovery is lazy.
    root = Path(__file__).resolve().parents[2]
    for namespace in OUR_NAMESPACES:
        if (root / namespace.rstrip(".") / "tasks.py").exists():
            importlib.import_module(f"{namespace}tasks")
    ours = {
        name: task for name, task in celery_app.tasks.items() if name.startswith(OUR_NAMESPACES)
    }
    assert len(ours) >= 5
    assert {name for name, task in ours.items() if not task.acks_late} == set()
    assert {name for name, task in ours.items() if not task.reject_on_worker_lost} == set()
