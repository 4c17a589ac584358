"""Membership applications through the service layer: the door every other door uses."""

import datetime
import smtplib
import uuid
from itertools import product
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.enums import PersonRole
from members.models import City, Country, Person
from outbox import services as outbox
from outbox.enums import MailState
from outbox.models import Mail
from secretariat.enums.applications import TRANSITIONS, ApplicationState
from secretariat.models.applications import Application, ApplicationEvent
from secretariat.services import applications as services
from tests.factories import ApplicationFactory, SecretariatUserFactory
from tests.factories.applications import SummitFactory
from workinggroups.enums import GroupState
from workinggroups.models import GroupMembership, WorkingGroup

S = ApplicationState


def submit(**overrides):
    data = {
        "city_name": "Ljubljana",
        "country": Country.objects.get(code="SI"),
        "mayor_name": "Zoran Janković",
        "contact_name": "Maja Novak",
        "contact_position": "International relations",
        "contact_email": "maja@ljubljana.example",
        "contact_phone": "+386 1 306 1000",
        "website": "https://www.ljubljana.si",
        "motivation": "Ljubljana wants to work with the Balkan cities on climate action.",
        "consent": True,
    }
    data.update(overrides)
    return services.submit_application(**data)


# --- filing (rule M3) ----------------------------------------------------------------


def test_submit_records_the_application_its_history_and_two_mails(
    db, django_capture_on_commit_callbacks
):
    group = WorkingGroup.objects.filter(state=GroupState.ACTIVE).first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application, created = submit(working_groups=[group], population=290000)
    assert created
    assert application.state == S.SUBMITTED
    assert application.reference.startswith(f"B40-{timezone.localdate().year}-")
    assert len(application.token) >= 40
    assert application.search_name == "ljubljana"
    assert list(application.working_groups.all()) == [group]
    assert [(e.from_state, e.to_state, e.by) for e in application.events.all()] == [
        ("", S.SUBMITTED, None)
    ]
    # The mails are recorded in the filing's own transaction and sent after the commit.
    assert Mail.objects.filter(state=MailState.QUEUED).count() == 2
    assert django_mail.outbox == []  # nothing leaves before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    mails = Mail.objects.order_by("pk")
    assert [(m.kind, m.to, m.state) for m in mails] == [
        ("application-received", ["maja@ljubljana.example"], MailState.SENT),
        ("application-notice", ["secretariat@b40.example"], MailState.SENT),
    ]
    assert application.reference in mails[0].body
    assert application.get_status_url() in mails[0].body
    assert "no fee" in mails[0].body  # rule M4
    assert group.name in mails[1].body
    assert sorted(m.subject for m in django_mail.outbox) == sorted(m.subject for m in mails)


def test_the_same_form_posted_twice_files_once_and_mails_once(
    db, django_capture_on_commit_callbacks
):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, created = submit(submission_key=key)
    assert created
    again, created_again = submit(submission_key=key)
    assert (again, created_again) == (first, False)
    assert Application.objects.count() == 1
    assert Mail.objects.count() == 2


def test_the_same_form_filed_by_a_parallel_post_meanwhile_is_the_answer(db, monkeypatch):
    # The second post looked for its form before the first one committed and saw nothing;
    # by its checks of rule M3 the first application is there: it answers with that one,
    # not with "this city already has an open application" (RELIABILITY 15).
    key = uuid.uuid4()
    first, _created = submit(submission_key=key)
    looked = []
    filed_with = services._filed_with

    def too_early(submission_key):
        looked.append(submission_key)
        return None if len(looked) == 1 else filed_with(submission_key)

    monkeypatch.setattr(services, "_filed_with", too_early)
    again, created_again = submit(submission_key=key)
    assert (again, created_again) == (first, False)
    assert len(looked) == 2
    assert Application.objects.count() == 1


def test_the_applicant_is_written_to_in_the_language_they_filed_in(
    db, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with django_capture_on_commit_callbacks(execute=True), translation.override("tr"):
        application, _ = submit()
    assert application.language == "tr"
    received = Mail.objects.get(kind="application-received")
    notice = Mail.objects.get(kind="application-notice")
    assert (received.language, notice.language) == ("tr", "en")  # rule T2 for the notice
    subject = "Your B40 membership application %(reference)s"
    with translation.override("tr"):
        in_turkish = translation.gettext(subject) % {"reference": application.reference}
    assert in_turkish != subject % {"reference": application.reference}  # it is translated
    assert received.subject == in_turkish
    assert notice.subject.startswith("New membership application")


def test_a_filing_while_the_broker_is_down_keeps_its_mails_for_the_sweep(
    db, django_capture_on_commit_callbacks
):
    # RELIABILITY 21: the filing succeeds; its mails wait as rows; the sweep sends them.
    from outbox import services as outbox_services

    with (
        mock.patch("outbox.tasks.send_mails.delay", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        application, _ = submit()
    assert Application.objects.get() == application
    assert Mail.objects.filter(state=MailState.QUEUED).count() == 2
    later = timezone.now() + datetime.timedelta(minutes=6)
    with mock.patch("outbox.services.timezone.now", return_value=later):
        assert outbox_services.sweep() == 2
    assert Mail.objects.filter(state=MailState.SENT).count() == 2


def test_submit_rolled_back_sends_nothing(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit()
        raise RuntimeError("the request failed after the service")
    assert Application.objects.count() == 0
    assert Mail.objects.count() == 0
    assert django_mail.outbox == []


def test_submit_with_the_broker_down_keeps_the_application_and_mails_later(
    db, django_capture_on_commit_callbacks
):
    # RELIABILITY 21: the work is recorded and the sweep queues it again.
    with (
        mock.patch("outbox.tasks.send_mail.delay", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        application, _ = submit()
    assert Application.objects.get() == application
    assert set(Mail.objects.values_list("state", flat=True)) == {MailState.QUEUED}
    assert django_mail.outbox == []
    Mail.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert outbox.sweep() == 2
    assert set(Mail.objects.values_list("state", flat=True)) == {MailState.SENT}
    assert len(django_mail.outbox) == 2


def test_submit_when_sending_fails_retries_the_mail(db, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "outbox.services.EmailMessage.send",
            side_effect=smtplib.SMTPServerDisconnected("mail server gone"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        application, _ = submit()
    assert Application.objects.filter(pk=application.pk).exists()
    received = Mail.objects.get(kind="application-received")
    assert received.state == MailState.QUEUED  # still to be sent: it is retried
    assert received.attempts >= 1
    assert "mail server gone" in received.last_error
    Mail.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=1),
        last_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )
    outbox.sweep()
    received.refresh_from_db()
    assert received.state == MailState.SENT


def test_submit_the_same_form_twice_creates_one_application(db, django_capture_on_commit_callbacks):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = submit(submission_key=key)
        second, created_second = submit(submission_key=key)
    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Application.objects.count() == 1
    assert Mail.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "code"),
    [("kirklareli", "TR"), ("KIRKLARELI", "TR"), ("Kırklareli", "TR"), ("  durres ", "AL")],
)
def test_submit_refuses_a_member_city_whatever_its_case_and_diacritics(db, name, code):
    with pytest.raises(ValidationError) as exc:
        submit(city_name=name, country=Country.objects.get(code=code))
    assert list(exc.value.message_dict) == ["city_name"]
    assert "already a member" in exc.value.message_dict["city_name"][0]
    assert Application.objects.count() == 0


def test_submit_refuses_a_city_with_an_open_application(db):
    submit(city_name="Maribor")
    with pytest.raises(ValidationError) as exc:
        submit(city_name="MARIBOR", contact_email="other@maribor.example")
    assert "already has an open application" in exc.value.message_dict["city_name"][0]
    assert Application.objects.count() == 1


def test_submit_accepts_a_city_again_once_its_application_is_closed(db):
    application, _ = submit(city_name="Maribor")
    services.withdraw_application(application=application)
    again, created = submit(city_name="Maribor")
    assert created
    assert again != application


def test_submit_refuses_a_country_that_is_not_eligible(db):
    slovenia = Country.objects.get(code="SI")
    slovenia.eligible = False
    slovenia.save()
    with pytest.raises(ValidationError) as exc:
        submit(country=slovenia)
    assert list(exc.value.message_dict) == ["country"]
    assert Application.objects.count() == 0


def test_submit_refuses_without_consent(db):
    with pytest.raises(ValidationError) as exc:
        submit(consent=False)
    assert list(exc.value.message_dict) == ["consent"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", "not-an-email"),
        ("contact_phone", "call me maybe"),
        ("website", "not a url"),
        ("city_name", "x" * 101),
        ("motivation", "x" * 5001),
        ("population", 0),
        ("mayor_name", ""),
    ],
)
def test_submit_validates_every_field_from_the_shell_too(db, field, value):
    with pytest.raises(ValidationError) as exc:
        submit(**{field: value})
    assert field in exc.value.message_dict
    assert Application.objects.count() == 0
    assert Mail.objects.count() == 0


def test_the_database_refuses_a_second_open_application_of_a_city(db):
    ApplicationFactory(city_name="Celje")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(city_name="CELJE")


# --- the state machine -----------------------------------------------------------------


def _bring_to(state: str, summit=None) -> Application:
    """An application in ``state``, reached through the service."""
    application = ApplicationFactory()
    staff = SecretariatUserFactory()
    path = {
        S.SUBMITTED: [],
        S.UNDER_REVIEW: [S.UNDER_REVIEW],
        S.PROPOSED: [S.UNDER_REVIEW, S.PROPOSED],
        S.ADMITTED: [S.UNDER_REVIEW, S.PROPOSED, S.ADMITTED],
        S.DECLINED: [S.UNDER_REVIEW, S.DECLINED],
        S.WITHDRAWN: [S.WITHDRAWN],
    }[state]
    for step in path:
        services.transition_application(
            application=application,
            to_state=step,
            by=staff,
            reason="because",
            summit=summit or SummitFactory(),
        )
    application.refresh_from_db()
    return application


ALL_MOVES = list(product(S.values, S.values))


@pytest.mark.parametrize(("from_state", "to_state"), ALL_MOVES)
def test_transition_follows_the_table_and_refuses_everything_else(db, from_state, to_state):
    summit = SummitFactory()
    application = _bring_to(from_state, summit=summit)
    events = application.events.count()
    mails = Mail.objects.count()
    staff = SecretariatUserFactory()
    if to_state in TRANSITIONS[from_state]:
        services.transition_application(
            application=application, to_state=to_state, by=staff, reason="ok", summit=summit
        )
        application.refresh_from_db()
        assert application.state == to_state
        assert application.events.count() == events + 1
        assert Mail.objects.count() == mails + 1
    else:
        with pytest.raises(ValidationError) as exc:
            services.transition_application(
                application=application, to_state=to_state, by=staff, reason="ok", summit=summit
            )
        assert exc.value.code == "invalid_transition"
        application.refresh_from_db()
        assert application.state == from_state
        assert application.events.count() == events
        assert Mail.objects.count() == mails


def test_transition_records_who_when_why_and_tells_the_applicant(db):
    staff = SecretariatUserFactory()
    application = ApplicationFactory()
    services.transition_application(
        application=application, to_state=S.UNDER_REVIEW, by=staff, reason="Complete file."
    )
    assert application.state == S.UNDER_REVIEW  # the caller's instance follows
    event = application.events.get()
    assert (event.from_state, event.to_state, event.by, event.reason) == (
        S.SUBMITTED,
        S.UNDER_REVIEW,
        staff,
        "Complete file.",
    )
    assert event.at <= timezone.now()
    mail = Mail.objects.get(kind="application-changed")
    assert mail.to == [application.contact_email]
    assert "Under review" in mail.body
    assert application.history.first().history_user == staff


def test_decline_needs_a_reason(db):
    application = _bring_to(S.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="Say why"):
        services.transition_application(
            application=application, to_state=S.DECLINED, by=None, reason="  "
        )
    services.transition_application(
        application=application, to_state=S.DECLINED, by=None, reason="Not a Balkan city."
    )
    application.refresh_from_db()
    assert application.decision_reason == "Not a Balkan city."


def test_propose_needs_a_summit_that_is_not_over(db):
    application = _bring_to(S.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="Choose the summit"):
        services.transition_application(application=application, to_state=S.PROPOSED, by=None)
    past = SummitFactory(starts_on=datetime.date(2024, 10, 1), ends_on=datetime.date(2024, 10, 2))
    with pytest.raises(ValidationError, match="is over"):
        services.transition_application(
            application=application, to_state=S.PROPOSED, by=None, summit=past
        )
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert application.summit is None


def test_admission_waits_for_the_first_day_of_the_summit(db):
    # rule M2: a city joins at the Annual Summit
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    summit = SummitFactory(starts_on=tomorrow)
    application = _bring_to(S.PROPOSED, summit=summit)
    with pytest.raises(ValidationError, match="not before"):
        services.transition_application(application=application, to_state=S.ADMITTED, by=None)
    assert not City.objects.filter(search_name=application.search_name).exists()
    application.refresh_from_db()
    assert application.state == S.PROPOSED


def test_admission_creates_the_city_its_mayor_contact_and_groups(db):
    summit = SummitFactory(starts_on=timezone.localdate() - datetime.timedelta(days=1))
    group = WorkingGroup.objects.filter(state=GroupState.ACTIVE).first()
    application = ApplicationFactory(city_name="Novo Mesto")
    application.working_groups.set([group])
    staff = SecretariatUserFactory()
    for step in (S.UNDER_REVIEW, S.PROPOSED, S.ADMITTED):
        services.transition_application(
            application=application, to_state=step, by=staff, summit=summit
        )
    application.refresh_from_db()
    city = application.city
    assert (city.name, city.country.code, city.joined_on, city.is_founding) == (
        "Novo Mesto",
        "SI",
        summit.starts_on,
        False,
    )
    assert (city.website, city.population) == (application.website, application.population)
    people = {p.role: p for p in Person.objects.filter(city=city)}
    assert people[PersonRole.MAYOR].name == "Ana Novak"
    contact = people[PersonRole.CONTACT]
    assert (contact.name, contact.email, contact.phone, contact.position) == (
        application.contact_name,
        application.contact_email,
        application.contact_phone,
        application.contact_position,
    )
    assert list(GroupMembership.objects.filter(city=city).values_list("group", "contact")) == [
        (group.pk, contact.pk)
    ]
    assert application.summit == summit
    assert "now a member city" in Mail.objects.filter(kind="application-changed").first().body


def test_admission_is_all_or_nothing(db):
    summit = SummitFactory()
    application = _bring_to(S.PROPOSED, summit=summit)
    events = application.events.count()
    original = services.appoint_person

    def fail_on_contact(**kwargs):
        if kwargs["role"] == PersonRole.CONTACT:
            raise ValidationError("the contact could not be recorded")
        return original(**kwargs)

    with (
        mock.patch("secretariat.services.applications.appoint_person", fail_on_contact),
        pytest.raises(ValidationError),
    ):
        services.transition_application(application=application, to_state=S.ADMITTED, by=None)
    assert not City.objects.filter(search_name=application.search_name).exists()
    assert not Person.objects.filter(name="Ana Novak").exists()
    application.refresh_from_db()
    assert (application.state, application.city) == (S.PROPOSED, None)
    assert application.events.count() == events


def test_admission_is_refused_when_the_city_became_a_member_meanwhile(db):
    summit = SummitFactory()
    application = _bring_to(S.PROPOSED, summit=summit)
    City.objects.create(
        name=application.city_name.upper(),
        slug="already-there",
        country=application.country,
        joined_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError, match="already has a member city"):
        services.transition_application(application=application, to_state=S.ADMITTED, by=None)
    application.refresh_from_db()
    assert application.state == S.PROPOSED


def test_withdraw_by_the_applicant_is_recorded_without_a_user(db):
    application = _bring_to(S.PROPOSED)
    services.withdraw_application(application=application, reason="We merged with a neighbour.")
    event = application.events.last()
    assert (event.to_state, event.by, event.reason) == (
        S.WITHDRAWN,
        None,
        "We merged with a neighbour.",
    )


def test_the_database_refuses_an_admitted_application_without_a_city(db):
    # The shell's bare update cannot fake an admission (rule M2: admission creates the city).
    application = _bring_to(S.PROPOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(state=S.ADMITTED)


def test_the_database_refuses_a_declined_application_without_a_reason(db):
    application = _bring_to(S.UNDER_REVIEW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(state=S.DECLINED)


def test_events_are_kept_in_order(db):
    application = _bring_to(S.DECLINED)
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list("to_state", flat=True)
    ) == [S.UNDER_REVIEW, S.DECLINED]


def test_the_demo_applications_load_twice_without_harm(db):
    from secretariat import demo_applications

    demo_applications.load()
    demo_applications.load()
    assert sorted(Application.objects.values_list("city_name", "state")) == [
        ("Maribor (demo)", S.SUBMITTED),
        ("Mostar (demo)", S.UNDER_REVIEW),
    ]
