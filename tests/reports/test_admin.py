"""The report in the admin: generate, follow progress, edit the texts, preview, publish."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from reports import services
from reports.enums import ReportState
from reports.models import AnnualReport

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:reports_annualreport_changelist"


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def report_done(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    report.refresh_from_db()
    return report


def test_adding_a_report_means_generating_it(
    admin_client, network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:reports_annualreport_add"), {"mandate": network.pk}
        )
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(shown) == 2
    assert shown[0].endswith(">Annual report 2025</a>” was added successfully.")
    assert shown[1] == (
        "Annual report 2025 is being built in the background: its page shows how far it is."
    )
    report = AnnualReport.objects.get()
    assert (report.year, report.state, report.progress) == (2025, ReportState.DONE, 100)
    # The mandate now has a report: it is no longer offered.
    form = admin_client.get(reverse("admin:reports_annualreport_add")).content.decode()
    assert f'value="{network.pk}"' not in form


def test_generate_now_action_and_progress_in_the_list(
    admin_client, network, django_capture_on_commit_callbacks
):
    report = services.request_report(mandate=network)
    response = admin_client.get(reverse(CHANGELIST))
    assert b'<progress max="100" value="0">' in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "generate_now", "_selected_action": [report.pk]},
            follow=True,
        )
    assert b"1 report queued" in response.content
    report.refresh_from_db()
    assert report.state == ReportState.DONE
    assert b'<progress max="100" value="100">' in admin_client.get(reverse(CHANGELIST)).content


def test_texts_are_edited_and_kept_as_history(
    admin_client, network, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"page</a>" in page.content  # the preview links
    response = admin_client.post(
        url,
        {
            "introduction_en": "Intro",
            "introduction_bg": "Увод",
            "highlights_en": "High",
            "outlook_en": "Out",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.introduction, report.highlights, report.outlook) == ("Intro", "High", "Out")
    with translation.override("bg"):  # the Bulgarian text, else the English one
        assert (report.introduction, report.highlights) == ("Увод", "High")
    assert report.state == ReportState.DONE  # the figures are not touched
    assert report.history.first().history_user == staff


def test_previews_of_a_draft_and_publishing(
    admin_client, client, network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    page = admin_client.get(reverse("admin:reports_annualreport_preview", args=[report.pk]))
    assert page.status_code == 200 and b"Preview of a report that is not published" in page.content
    pdf = admin_client.get(reverse("admin:reports_annualreport_preview_pdf", args=[report.pk]))
    assert pdf.content.startswith(b"%PDF")
    annex = admin_client.get(reverse("admin:reports_annualreport_preview_csv", args=[report.pk]))
    assert b'"section","item","measure","value"' in annex.content
    admin_client.post(reverse(CHANGELIST), {"action": "publish", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.published is True
    admin_client.logout()
    assert client.get(reverse("reports:report-detail", args=[2025])).status_code == 200


def test_city_users_see_no_preview(client, mayor, network):
    report = services.request_report(mandate=network)
    client.force_login(mayor)
    response = client.get(reverse("admin:reports_annualreport_preview", args=[report.pk]))
    assert response.status_code == 302  # to the admin login


def test_a_report_being_built_shows_its_step_and_follows_its_progress(admin_client, network):
    from django.utils import timezone

    report = services.request_report(mandate=network)
    services.claim(report_id=report.pk, now=timezone.now())
    AnnualReport.objects.filter(pk=report.pk).update(progress=35, step="groups")
    page = admin_client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    content = page.content.decode()
    assert "This report is being built in the background: reload the page" in content
    assert "35 % — working groups" in content
    # No reload of its own (it would throw away the texts being typed): a script asks.
    assert 'http-equiv="refresh"' not in content
    assert "js/report-progress.js" in content
    progress = admin_client.get(
        reverse("admin:reports_annualreport_progress", args=[report.pk])
    ).json()
    assert progress == {
        "building": True,
        "state": "Running",
        "progress": 35,
        "text": "35 % — working groups",
    }


def test_a_built_report_page_has_no_progress_script(admin_client, report_done):
    page = admin_client.get(reverse("admin:reports_annualreport_change", args=[report_done.pk]))
    content = page.content.decode()
    assert "being built" not in content and "js/report-progress.js" not in content
    progress = admin_client.get(
        reverse("admin:reports_annualreport_progress", args=[report_done.pk])
    ).json()
    assert (progress["building"], progress["progress"]) == (False, 100)


def test_city_users_get_no_progress(client, mayor, network):
    report = services.request_report(mandate=network)
    client.force_login(mayor)
    response = client.get(reverse("admin:reports_annualreport_progress", args=[report.pk]))
    assert response.status_code == 302  # to the admin login


def test_a_mandate_not_started_is_not_offered(admin_client, network):
    from presidency.models import Mandate
    from tests.reports.conftest import city

    future = Mandate.objects.create(year=2099, city=city("kotor"))
    form = admin_client.get(reverse("admin:reports_annualreport_add")).content.decode()
    assert f'value="{future.pk}"' not in form
    with pytest.raises(ValidationError):
        services.request_report(mandate=future)


def test_the_desk_lists_reports_due_and_links_to_generating_one(secretariat_client):
    import datetime

    from members.models import City
    from presidency.models import Mandate
    from secretariat.selectors.workspace import desk_items

    Mandate.objects.create(year=2023, city=City.objects.get(slug="skopje"))
    items = [i for i in desk_items(datetime.date(2026, 11, 28)) if "(rule G2)" in i.label]
    assert [i.label for i in items] == ["The annual report of 2023 is due (rule G2)"]
    assert secretariat_client.get(items[0].url).status_code == 200


def test_progress_written_by_update_shows_at_once_in_the_cached_list(
    admin_client, network, monkeypatch, settings
):
    settings.PUBLIC_CACHE_SECONDS = 300  # the admin's cache of change lists on
    report = services.request_report(mandate=network)
    admin_client.get(reverse(CHANGELIST))
    assert b'<progress max="100" value="0">' in admin_client.get(reverse(CHANGELIST)).content

    def compute_figures(mandate, *, now, progress):
        progress(40, "groups")
        raise RuntimeError("the builder died")

    monkeypatch.setattr(services.selectors, "compute_figures", compute_figures)
    with pytest.raises(RuntimeError):
        services.build_report(report_id=report.pk)  # claim, progress and failure: update()
    page = admin_client.get(reverse(CHANGELIST)).content
    assert b'<progress max="100" value="40">' in page
    assert AnnualReport.objects.get().state == ReportState.FAILED


def test_a_new_report_is_named_after_its_mandate(network):
    assert str(AnnualReport()) == "New annual report"
    assert str(AnnualReport(mandate=network)) == "Annual report 2025"
    with translation.override("bg"):
        assert str(AnnualReport(year=2025)) == "Годишен доклад за 2025 г."


# --- the Publish button on the report's page -------------------------------------------


def change_page(client, report) -> str:
    return client.get(
        reverse("admin:reports_annualreport_change", args=[report.pk])
    ).content.decode()


def test_the_report_page_publishes_and_withdraws_it(admin_client, client, report_done):
    publish = reverse("admin:reports_annualreport_publish", args=[report_done.pk])
    page = change_page(admin_client, report_done)
    assert f'action="{publish}"' in page and 'name="_publish"' in page
    response = admin_client.post(publish, {"_publish": "Publish on the website"}, follow=True)
    assert "Annual report 2025 is published on the website." in response.content.decode()
    report_done.refresh_from_db()
    assert report_done.published is True
    assert 'name="_unpublish"' in change_page(admin_client, report_done)
    assert client.get(reverse("reports:report-detail", args=[2025])).status_code == 200
    admin_client.post(publish, {"_unpublish": "Withdraw from the website"})
    report_done.refresh_from_db()
    assert report_done.published is False


def test_the_publish_button_goes_through_the_rules(admin_client, report_done):
    AnnualReport.objects.filter(pk=report_done.pk).update(provisional=True)
    report_done.refresh_from_db()
    page = change_page(admin_client, report_done)
    assert 'name="_publish"' not in page and "A provisional draft is not published" in page
    response = admin_client.post(
        reverse("admin:reports_annualreport_publish", args=[report_done.pk]),
        {"_publish": "Publish on the website"},
        follow=True,
    )
    assert "generate it again first" in response.content.decode()
    report_done.refresh_from_db()
    assert report_done.published is False


@pytest.mark.parametrize(
    ("state", "provisional"),
    [
        (ReportState.QUEUED, False),
        (ReportState.RUNNING, False),
        (ReportState.FAILED, False),
        (ReportState.DONE, True),
        (ReportState.DONE, False),
    ],
)
def test_the_publish_button_is_offered_exactly_when_publishing_succeeds(
    admin_client, report_done, state, provisional
):
    # The page asks the service's own check (issue 15): it never offers what is refused.
    AnnualReport.objects.filter(pk=report_done.pk).update(state=state, provisional=provisional)
    report_done.refresh_from_db()
    offered = 'name="_publish"' in change_page(admin_client, report_done)
    admin_client.post(
        reverse("admin:reports_annualreport_publish", args=[report_done.pk]), {"_publish": "1"}
    )
    report_done.refresh_from_db()
    assert offered is report_done.published is (state == ReportState.DONE and not provisional)


def test_publishing_needs_a_post_with_its_csrf_token(client, staff, report_done):
    from django.test import Client

    publish = reverse("admin:reports_annualreport_publish", args=[report_done.pk])
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff)
    assert csrf_client.get(publish).status_code == 405
    assert csrf_client.post(publish, {"_publish": "1"}).status_code == 403  # no token
    report_done.refresh_from_db()
    assert report_done.published is False


def test_staff_without_the_change_permission_cannot_publish(client, report_done):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_annualreport"))
    client.force_login(viewer)
    page = change_page(client, report_done)
    assert "report-publication" not in page
    publish = reverse("admin:reports_annualreport_publish", args=[report_done.pk])
    assert client.post(publish, {"_publish": "1"}).status_code == 403
    report_done.refresh_from_db()
    assert report_done.published is False
