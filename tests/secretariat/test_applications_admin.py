"""The secretariat reviews applications in the admin: every door goes through the service."""

import datetime

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import City
from secretariat.enums.applications import ApplicationState
from secretariat.models.applications import Application
from secretariat.services import applications as services
from tests.factories import ApplicationFactory
from tests.factories.applications import SummitFactory

S = ApplicationState
CHANGELIST = reverse("admin:secretariat_application_changelist")


def change_url(application: Application) -> str:
    return reverse("admin:secretariat_application_change", args=[application.pk])


def change_form_data(client, application: Application, **overrides) -> dict:
    """What the browser would post back from the change form, plus ``overrides``."""
    response = client.get(change_url(application))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = [v.pk if isinstance(v, Model) else v for v in value]
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def move(client, application, **overrides):
    return client.post(change_url(application), change_form_data(client, application, **overrides))


def test_the_secretariat_group_sees_the_list_with_counts_and_filters(
    secretariat_client, django_assert_max_num_queries
):
    summit = SummitFactory()
    for _ in range(5):
        ApplicationFactory()
    proposed = ApplicationFactory()
    services.transition_application(application=proposed, to_state=S.UNDER_REVIEW, by=None)
    services.transition_application(
        application=proposed, to_state=S.PROPOSED, by=None, summit=summit
    )
    with django_assert_max_num_queries(30):  # facets: one count query per filter
        response = secretariat_client.get(CHANGELIST, {"open": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "needs action" in page
    assert "Submitted (5)" in page  # the counts next to the filters
    assert "Proposed to a summit (1)" in page
    by_summit = secretariat_client.get(CHANGELIST, {"summit__id__exact": summit.pk})
    assert list(by_summit.context["cl"].result_list) == [proposed]


def test_the_list_does_not_grow_in_queries(secretariat_client, django_assert_num_queries):
    summit = SummitFactory()

    def add_proposed(n: int) -> None:
        for _ in range(n):
            application = ApplicationFactory()
            services.transition_application(
                application=application, to_state=S.UNDER_REVIEW, by=None
            )
            services.transition_application(
                application=application, to_state=S.PROPOSED, by=None, summit=summit
            )

    add_proposed(1)
    with CaptureQueriesContext(connection) as one:
        assert secretariat_client.get(CHANGELIST).status_code == 200
    add_proposed(30)
    with django_assert_num_queries(len(one.captured_queries)):
        assert secretariat_client.get(CHANGELIST).status_code == 200


def test_the_change_form_moves_through_the_service_and_records_who(
    secretariat_client, secretariat_user
):
    application = ApplicationFactory()
    response = move(
        secretariat_client, application, next_state=S.UNDER_REVIEW, transition_reason="Complete."
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    event = application.events.get()
    assert (event.by, event.reason) == (secretariat_user, "Complete.")
    page = secretariat_client.get(change_url(application)).content.decode()
    assert "Complete." in page  # the history is shown on the application


def test_the_secretariat_corrects_the_applicants_data_without_touching_the_state(
    secretariat_client,
):
    application = ApplicationFactory(city_name="Novo mesto")
    data = change_form_data(secretariat_client, application, city_name="Novo Mesto")
    services.transition_application(  # another door moves it meanwhile
        application=application, to_state=S.UNDER_REVIEW, by=None
    )
    assert secretariat_client.post(change_url(application), data).status_code == 302
    application.refresh_from_db()
    assert (application.city_name, application.state) == ("Novo Mesto", S.UNDER_REVIEW)


def test_state_is_read_only_in_the_change_form(secretariat_client):
    application = ApplicationFactory()
    response = move(secretariat_client, application, state=S.ADMITTED)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.events.count() == 0


@pytest.mark.parametrize(
    ("start", "overrides", "message"),
    [
        (S.SUBMITTED, {"next_state": S.ADMITTED}, "Select a valid choice"),
        (S.UNDER_REVIEW, {"next_state": S.DECLINED}, "Say why the application is declined."),
        (S.UNDER_REVIEW, {"next_state": S.PROPOSED}, "Choose the summit"),
    ],
)
def test_the_change_form_refuses_a_move_with_a_message(
    secretariat_client, start, overrides, message
):
    application = ApplicationFactory()
    if start == S.UNDER_REVIEW:
        services.transition_application(application=application, to_state=start, by=None)
    events = application.events.count()
    response = move(secretariat_client, application, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["next_state"])
    application.refresh_from_db()
    assert application.state == start
    assert application.events.count() == events


def test_the_change_form_refuses_admission_before_the_summit(secretariat_client):
    summit = SummitFactory(starts_on=timezone.localdate() + datetime.timedelta(days=3))
    application = ApplicationFactory()
    services.transition_application(application=application, to_state=S.UNDER_REVIEW, by=None)
    services.transition_application(
        application=application, to_state=S.PROPOSED, by=None, summit=summit
    )
    response = move(secretariat_client, application, next_state=S.ADMITTED)
    assert "not before" in " ".join(response.context["adminform"].form.errors["next_state"])
    assert not City.objects.filter(search_name=application.search_name).exists()


def test_the_actions_review_propose_and_admit(secretariat_client):
    summit = SummitFactory()
    application = ApplicationFactory(city_name="Koper")

    def act(action, **extra):
        return secretariat_client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [application.pk], "index": 0, **extra},
            follow=True,
        )

    act("start_review")
    act("propose_to_summit", summit=summit.pk)
    response = act("admit")
    assert "1 application is now: Admitted." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.ADMITTED
    assert application.city.name == "Koper"
    assert application.city.joined_on == summit.starts_on


def test_an_action_refuses_what_the_table_does_not_allow(secretariat_client):
    application = ApplicationFactory()
    response = secretariat_client.post(
        CHANGELIST,
        {"action": "admit", "_selected_action": [application.pk], "index": 0},
        follow=True,
    )
    page = response.content.decode()
    assert application.reference in page
    assert "cannot become" in page
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_an_action_declines_only_with_a_reason(secretariat_client):
    application = ApplicationFactory()
    services.transition_application(application=application, to_state=S.UNDER_REVIEW, by=None)
    data = {"action": "decline", "_selected_action": [application.pk], "index": 0}
    secretariat_client.post(CHANGELIST, data)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    secretariat_client.post(CHANGELIST, {**data, "reason": "Outside the region."})
    application.refresh_from_db()
    assert (application.state, application.decision_reason) == (S.DECLINED, "Outside the region.")


def test_a_decided_application_is_read_only(secretariat_client):
    application = ApplicationFactory()
    services.withdraw_application(application=application)
    response = secretariat_client.get(change_url(application))
    assert "city_name" not in response.context["adminform"].form.fields
    assert 'name="next_state"' not in response.content.decode()


def test_nobody_adds_or_deletes_applications_in_the_admin(secretariat_client):
    application = ApplicationFactory()
    add = reverse("admin:secretariat_application_add")
    delete = reverse("admin:secretariat_application_delete", args=[application.pk])
    assert secretariat_client.get(add).status_code == 403
    assert secretariat_client.get(delete).status_code == 403


def test_a_city_user_cannot_open_the_review(mayor_client):
    response = mayor_client.get(CHANGELIST)
    assert response.status_code == 302  # to the admin login
