import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail as django_mail
from django.db import transaction

from outbox import services
from outbox.enums import MailState
from outbox.models import Mail


def test_mail_is_recorded_then_sent_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = services.queue_mail(to=["a@example.org"], subject="Hello", body="Body")
    assert Mail.objects.get().state == MailState.QUEUED
    assert django_mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    queued.refresh_from_db()
    assert queued.state == MailState.SENT
    assert queued.attempts == 1
    assert [m.subject for m in django_mail.outbox] == ["Hello"]


def test_nothing_is_sent_when_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.queue_mail(to=["a@example.org"], subject="Hello", body="Body")
        raise RuntimeError("half-way failure")
    assert Mail.objects.count() == 0
    assert django_mail.outbox == []


def test_a_failed_send_is_recorded_and_retried_until_it_fails_for_good(db):
    mail = Mail.objects.create(to=["a@example.org"], subject="S", body="B")
    with mock.patch(
        "outbox.services.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("gone")
    ):
        for _ in range(services.MAX_ATTEMPTS):
            with pytest.raises(smtplib.SMTPServerDisconnected):
                services.deliver(mail_id=mail.pk)
    mail.refresh_from_db()
    assert mail.state == MailState.FAILED
    assert mail.attempts == services.MAX_ATTEMPTS
    assert "gone" in mail.last_error


def test_delivering_twice_sends_once(db):
    mail = Mail.objects.create(to=["a@example.org"], subject="S", body="B")
    services.deliver(mail_id=mail.pk)
    services.deliver(mail_id=mail.pk)
    assert len(django_mail.outbox) == 1


def test_broker_down_leaves_the_mail_queued_for_the_sweep(db, django_capture_on_commit_callbacks):
    with (
        mock.patch("outbox.tasks.send_mail.delay", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.queue_mail(to=["a@example.org"], subject="S", body="B")
    mail = Mail.objects.get()
    assert mail.state == MailState.QUEUED
    Mail.objects.filter(pk=mail.pk).update(created_at=mail.created_at.replace(year=2020))
    assert services.sweep() == 1
    mail.refresh_from_db()
    assert mail.state == MailState.SENT


def test_the_task_asks_for_a_retry_on_a_transient_error(db):
    from outbox.tasks import send_mail

    mail = Mail.objects.create(to=["a@example.org"], subject="S", body="B")
    with (
        mock.patch(
            "outbox.services.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("blip")
        ),
        pytest.raises(Retry),
    ):
        send_mail.apply(kwargs={"mail_id": mail.pk})
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == (MailState.QUEUED, 1)
    assert "blip" in mail.last_error
    send_mail.apply(kwargs={"mail_id": mail.pk})  # the retry, once the server is back
    mail.refresh_from_db()
    assert (mail.state, mail.attempts, mail.last_error) == (MailState.SENT, 2, "")


def test_admin_can_send_failed_mail_again(secretariat_client, django_capture_on_commit_callbacks):
    mail = Mail.objects.create(
        to=["a@example.org"], subject="S", body="B", state=MailState.FAILED, attempts=6
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/outbox/mail/", {"action": "send_again", "_selected_action": [mail.pk]}
        )
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.state == MailState.SENT


def test_mails_recorded_together_go_to_the_broker_in_one_message_after_the_commit(
    db, django_capture_on_commit_callbacks
):
    with (
        mock.patch("outbox.tasks.send_mails.delay") as batch,
        mock.patch("outbox.tasks.send_mail.delay") as single,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        mails = services.queue_mails(
            [services.Message(to=[f"m{n}@example.org"], subject="S", body="B") for n in range(3)]
        )
        batch.assert_not_called()  # nothing leaves before the commit
    batch.assert_called_once_with(mail_ids=[m.pk for m in mails])
    single.assert_not_called()


def test_every_mail_of_a_batch_is_sent_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(3):
            services.queue_mail(to=[f"m{n}@example.org"], subject=f"S{n}", body="B")
    assert sorted(m.subject for m in django_mail.outbox) == ["S0", "S1", "S2"]
    assert set(Mail.objects.values_list("state", flat=True)) == {MailState.SENT}
    from outbox.tasks import send_mails

    send_mails(mail_ids=list(Mail.objects.values_list("pk", flat=True)))  # delivered again
    assert len(django_mail.outbox) == 3


def test_a_batch_rolled_back_with_its_savepoint_is_not_joined(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                services.queue_mail(to=["lost@example.org"], subject="Lost", body="B")
                raise RuntimeError("the step fails")
        except RuntimeError:
            pass
        services.queue_mail(to=["kept@example.org"], subject="Kept", body="B")
    assert [m.subject for m in django_mail.outbox] == ["Kept"]


def test_several_mails_are_recorded_in_one_insert_each_in_its_language(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("bg"):
        to_applicant = services.Message(to=[" a@example.org "], subject="Здравейте", body="Б")
    with translation.override("en"):
        to_secretariat = services.Message(to=["s@example.org"], subject="New", body="B")
    with (
        mock.patch("outbox.tasks.send_mails.delay") as send_mails,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(1),
    ):
        mails = services.queue_mails([to_applicant, to_secretariat])
    assert [(m.to, m.language) for m in Mail.objects.order_by("pk")] == [
        (["a@example.org"], "bg"),
        (["s@example.org"], "en"),
    ]
    send_mails.assert_called_once_with(mail_ids=[m.pk for m in mails])


def test_mails_recorded_in_one_insert_show_at_once_in_the_admin_list(secretariat_client):
    url = "/admin/outbox/mail/"
    secretariat_client.get(url)
    secretariat_client.get(url)  # kept
    services.queue_mails([services.Message(to=["a@example.org"], subject="Bulkmail", body="B")])
    assert "Bulkmail" in secretariat_client.get(url).content.decode()
