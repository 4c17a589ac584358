"""iCalendar feeds, parsed back with the icalendar library."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import MeetingFactory, WorkingGroupFactory
from workinggroups.enums import MeetingKind
from workinggroups.models import WorkingGroup


@pytest.fixture
def climate(db):
    return WorkingGroup.objects.get(slug="local-climate-action")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_group_feed_has_its_meetings_in_utc(client, climate):
    start = timezone.make_aware(
        datetime.datetime(2026, 12, 30, 11), timezone.get_default_timezone()
    )
    meeting = MeetingFactory(group=climate, starts_at=start, agenda="Budget")
    MeetingFactory(group=WorkingGroupFactory())  # another group's meeting: not in this feed

    calendar = parse(client.get(reverse("workinggroups:feed-group", args=[climate.slug])))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"].startswith("-//B40")
    assert calendar["METHOD"] == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"b40-meeting-{meeting.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == datetime.datetime(2026, 12, 30, 8, tzinfo=datetime.UTC)
    assert event.decoded("DTEND") == datetime.datetime(2026, 12, 30, 9, 30, tzinfo=datetime.UTC)
    assert "Local climate action" in str(event["SUMMARY"])
    assert str(event["DESCRIPTION"]) == "Budget"
    assert str(event["URL"]).endswith("/working-groups/local-climate-action/")
    assert event.get("DTSTAMP") is not None
    # Every line is folded at 75 octets and ends with CRLF, as Outlook requires.
    lines = client.get(reverse("workinggroups:feed-group", args=[climate.slug])).content.split(
        b"\r\n"
    )
    assert all(len(line) <= 75 for line in lines)
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-2] == b"END:VCALENDAR"


def test_all_meetings_feed_has_every_public_group(client, climate):
    MeetingFactory(group=climate)
    MeetingFactory(group=climate, kind=MeetingKind.EXTRA)
    MeetingFactory(
        group=WorkingGroup.objects.create(name="Proposed", slug="proposed", topic="t")
    )  # not public
    calendar = parse(client.get(reverse("workinggroups:feed-all")))
    assert len(calendar.walk("VEVENT")) == 2
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {
        f"b40-meeting-{m.pk}@127.0.0.1" for m in climate.meetings.all()
    }


def test_feed_of_a_group_without_meetings_is_a_valid_empty_calendar(client, climate):
    calendar = parse(client.get(reverse("workinggroups:feed-group", args=[climate.slug])))
    assert calendar.walk("VEVENT") == []


def test_feed_queries_do_not_grow(client, climate, django_assert_max_num_queries):
    for n in range(5):
        MeetingFactory(group=climate, starts_at=timezone.now() + datetime.timedelta(days=n + 1))
    with django_assert_max_num_queries(3):
        client.get(reverse("workinggroups:feed-all"))


def test_a_cancelled_meeting_is_cancelled_in_the_feed(client, climate, secretariat_user):
    from workinggroups import services

    meeting = MeetingFactory(group=climate)
    services.cancel_meeting(meeting=meeting, by=secretariat_user, reason="No quorum")
    calendar = parse(client.get(reverse("workinggroups:feed-group", args=[climate.slug])))
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]
