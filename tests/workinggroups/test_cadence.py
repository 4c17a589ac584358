"""Rule W3: every active group meets online every three months; the daily job plans it."""

import datetime
import threading
import zoneinfo

import pytest
from django.core import mail
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test import override_settings
from django.utils import timezone

from outbox.models import Mail
from tests.factories import (
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    WorkingGroupFactory,
)
from workinggroups import services, tasks
from workinggroups.enums import GroupState, MeetingKind, MeetingState
from workinggroups.models import Meeting, WorkingGroup

# --- month arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        ((2025, 11, 30, 11), (2026, 2, 28, 11)),  # month end, common year
        ((2027, 11, 30, 11), (2028, 2, 29, 11)),  # month end, leap year
        ((2023, 11, 29, 11), (2024, 2, 29, 11)),  # 29 Nov + 3 months in a leap year
        ((2025, 11, 29, 11), (2026, 2, 28, 11)),
        ((2026, 5, 31, 10), (2026, 8, 31, 10)),  # a 31-day month to a 31-day month
        ((2026, 3, 31, 10), (2026, 6, 30, 10)),  # 31 March -> 30 June
        ((2026, 10, 15, 11), (2027, 1, 15, 11)),  # across the year boundary
        ((2026, 12, 31, 23), (2027, 3, 31, 23)),  # late in the evening on New Year's Eve
        ((2024, 2, 29, 11), (2024, 5, 29, 11)),  # from a leap day
    ],
)
def test_next_regular_start_month_ends_leap_years_year_boundary(at, previous, expected):
    assert services.next_regular_start(at(*previous)) == at(*expected)


def test_next_regular_start_keeps_the_wall_clock_across_dst():
    """In a zone with daylight saving the meeting stays at 10:00 local, not at 10:00 UTC+1."""
    belgrade = zoneinfo.ZoneInfo("Europe/Belgrade")
    with override_settings(TIME_ZONE="Europe/Belgrade"):
        winter = datetime.datetime(2026, 1, 30, 10, tzinfo=belgrade)  # CET, UTC+1
        summer = services.next_regular_start(winter)  # CEST, UTC+2
        assert summer == datetime.datetime(2026, 4, 30, 10, tzinfo=belgrade)
        assert summer.astimezone(datetime.UTC).hour == 8
        assert winter.astimezone(datetime.UTC).hour == 9
        back = services.next_regular_start(datetime.datetime(2026, 8, 31, 10, tzinfo=belgrade))
        assert back == datetime.datetime(2026, 11, 30, 10, tzinfo=belgrade)
        assert back.astimezone(datetime.UTC).hour == 9


def test_next_regular_start_from_a_utc_datetime_uses_istanbul_wall_clock(at):
    # 30 Nov 2025 23:30 UTC is already 1 December in Istanbul.
    previous = datetime.datetime(2025, 11, 30, 23, 30, tzinfo=datetime.UTC)
    assert services.next_regular_start(previous) == at(2026, 3, 1, 2, 30)


# --- planning ----------------------------------------------------------------------------


def test_plan_next_meeting_three_months_after_previous_regular(db, at):
    group = WorkingGroupFactory()
    MeetingFactory(group=group, starts_at=at(2025, 11, 30, 11))
    now = at(2025, 12, 15, 9)

    meeting = services.plan_next_meeting(group=group, now=now)

    assert meeting.kind == MeetingKind.REGULAR
    assert meeting.starts_at == at(2026, 2, 28, 11)
    assert meeting.regular_slot == datetime.date(2026, 2, 28)
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=90)


def test_plan_next_meeting_ignores_extra_sessions_for_the_cadence(db, at):
    group = WorkingGroupFactory()
    MeetingFactory(group=group, starts_at=at(2025, 10, 1, 11))
    MeetingFactory(group=group, kind=MeetingKind.EXTRA, starts_at=at(2025, 12, 1, 11))

    meeting = services.plan_next_meeting(group=group, now=at(2025, 12, 15, 9))

    assert meeting.starts_at == at(2026, 1, 1, 11)


def test_plan_next_meeting_nothing_when_a_regular_meeting_is_ahead(db, at):
    group = WorkingGroupFactory()
    MeetingFactory(group=group, starts_at=at(2026, 1, 10, 11))
    assert services.plan_next_meeting(group=group, now=at(2025, 12, 15, 9)) is None
    assert group.meetings.count() == 1


def test_plan_next_meeting_not_for_proposed_or_closed_groups(db, at):
    closed = WorkingGroupFactory(state=GroupState.CLOSED)
    proposed = WorkingGroupFactory(
        state=GroupState.PROPOSED, presidency_approved_at=None, secretariat_approved_at=None
    )
    for group in (closed, proposed):
        assert services.plan_next_meeting(group=group, now=at(2026, 1, 1, 9)) is None
    assert Meeting.objects.count() == 0


def test_plan_next_meeting_first_one_three_months_after_activation(db, at):
    group = WorkingGroupFactory(created_on=datetime.date(2025, 11, 30))
    meeting = services.plan_next_meeting(group=group, now=at(2025, 12, 1, 9))
    assert meeting.starts_at == at(2026, 2, 28, 11)


def test_plan_next_meeting_after_missed_quarters_takes_the_first_slot_ahead(db, at):
    group = WorkingGroupFactory()
    MeetingFactory(group=group, starts_at=at(2025, 1, 31, 11))
    meeting = services.plan_next_meeting(group=group, now=at(2025, 9, 1, 9))
    # 31 Jan + 3 = 30 Apr (past), + 6 = 31 Jul (past), + 9 = 31 Oct: counted from the anchor,
    # so the month end does not drift to the 30th.
    assert meeting.starts_at == at(2025, 10, 31, 11)


def test_plan_next_meeting_twice_plans_one(db, at):
    group = WorkingGroupFactory()
    MeetingFactory(group=group, starts_at=at(2025, 11, 30, 11))
    now = at(2025, 12, 15, 9)
    first = services.plan_next_meeting(group=group, now=now)
    second = services.plan_next_meeting(group=group, now=now)
    assert first is not None
    assert second is None
    assert group.meetings.filter(kind=MeetingKind.REGULAR).count() == 2


def test_one_regular_meeting_per_slot_is_a_database_rule(db, at):
    group = WorkingGroupFactory()
    MeetingFactory(group=group, starts_at=at(2026, 2, 28, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            group=group,
            kind=MeetingKind.REGULAR,
            regular_slot=datetime.date(2026, 2, 28),
            starts_at=at(2026, 2, 28, 15),
            ends_at=at(2026, 2, 28, 16),
        )


def test_an_extra_session_has_no_slot_and_a_regular_meeting_has_one(db, at):
    group = WorkingGroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            group=group, kind=MeetingKind.REGULAR, starts_at=at(2026, 1, 1, 11),
            ends_at=at(2026, 1, 1, 12),
        )  # fmt: skip


# --- overdue --------------------------------------------------------------------------------


def test_group_overdue_when_more_than_three_months_without_a_meeting(db, at):
    group = WorkingGroupFactory()
    MeetingFactory(group=group, starts_at=at(2025, 11, 30, 11), state=MeetingState.HELD)

    assert services.update_overdue(group=group, now=at(2026, 2, 28, 20)) is False
    assert services.update_overdue(group=group, now=at(2026, 3, 1, 9)) is True
    group.refresh_from_db()
    assert group.overdue_since == datetime.date(2026, 2, 28)

    MeetingFactory(
        group=group, kind=MeetingKind.EXTRA, starts_at=at(2026, 3, 2, 11), state=MeetingState.HELD
    )
    assert services.update_overdue(group=group, now=at(2026, 3, 3, 9)) is False
    group.refresh_from_db()
    assert group.overdue_since is None


def test_group_without_meetings_counts_from_its_activation(db, at):
    group = WorkingGroupFactory(created_on=datetime.date(2025, 6, 1))
    assert services.update_overdue(group=group, now=at(2025, 9, 1, 12)) is False
    assert services.update_overdue(group=group, now=at(2025, 9, 2, 12)) is True


# --- the daily job ---------------------------------------------------------------------------


@pytest.fixture
def member_contacts(db):
    """A group with two member cities' contact points; the four W2 groups are set aside."""
    WorkingGroup.objects.update(state=GroupState.CLOSED)
    group = WorkingGroupFactory()
    contacts = []
    for email in ("a@one.example", "b@two.example"):
        person = PersonFactory(email=email)
        GroupMembershipFactory(group=group, city=person.city, contact=person)
        contacts.append(person)
    return group


@override_settings(WORKINGGROUPS_REMINDER_DAYS=5)
def test_run_cadence_twice_plans_once_and_reminds_once(
    member_contacts, at, django_capture_on_commit_callbacks
):
    group = member_contacts
    MeetingFactory(group=group, starts_at=at(2025, 11, 30, 11), state=MeetingState.HELD)
    now = at(2026, 2, 24, 9)  # the next meeting (28 Feb, 11:00) is within five days

    with django_capture_on_commit_callbacks(execute=True):
        first = services.run_cadence(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.run_cadence(now=now)

    assert first == {"planned": 1, "overdue": 0, "reminded": 1}
    assert second == {"planned": 0, "overdue": 0, "reminded": 0}
    assert group.meetings.count() == 2
    assert Mail.objects.filter(kind="workinggroups.reminder").count() == 1
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["a@one.example", "b@two.example"]
    assert "28.02.2026" in mail.outbox[0].subject


@override_settings(WORKINGGROUPS_REMINDER_DAYS=5)
def test_run_cadence_no_reminder_before_the_configured_days(member_contacts, at):
    MeetingFactory(group=member_contacts, starts_at=at(2025, 11, 30, 11))
    result = services.run_cadence(now=at(2026, 2, 22, 9))
    assert result["reminded"] == 0


def test_beat_task_is_scheduled_daily_and_runs(db, settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "workinggroups.plan_meetings"
    )  # fmt: skip
    assert entry["schedule"].hour == {6}
    WorkingGroupFactory(created_on=timezone.localdate())
    result = tasks.plan_meetings.delay().get()
    assert result["planned"] == 5  # the four W2 groups and this one
    assert tasks.plan_meetings.delay().get()["planned"] == 0


@pytest.mark.postgres
def test_two_workers_plan_one_meeting_per_slot(postgres_only, transactional_db):
    """Two workers run the job at the same moment: one meeting per slot, never two."""
    from tests.factories import WorkingGroupFactory as Factory

    group = Factory()
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            services.run_cadence()
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Meeting.objects.filter(group=group).count() == 1
    assert WorkingGroup.objects.get(pk=group.pk).meetings.count() == 1
