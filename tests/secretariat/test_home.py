"""The home page tells a visitor what comes next (issue 18), in a fixed number of queries."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories.presidency import SummitFactory
from tests.factories.workinggroups import MeetingFactory
from tests.factories.workspace import AnnouncementFactory, current_mandate_of


def news(title: str, days_ago: int = 0):
    sent = timezone.now() - datetime.timedelta(days=days_ago)
    return AnnouncementFactory(title=title, sent_at=sent, is_public=True)


def test_home_shows_the_next_summit_meetings_news_and_presiding_city(client, db):
    SummitFactory(
        year=2027, starts_on=datetime.date(2027, 5, 10), ends_on=datetime.date(2027, 5, 11)
    )
    current_mandate_of("tirana")
    soon = MeetingFactory(group__name="Local climate action (test)")
    MeetingFactory(
        group__name="Over already",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
        regular_slot=None,
        kind="extra",
    )
    news("Old news", days_ago=30)
    news("Fresh news")
    AnnouncementFactory(title="Private note", sent_at=timezone.now(), is_public=False)

    html = client.get(reverse("secretariat:home")).content.decode()

    assert "Annual Summit 2027" in html
    assert "Hosted by Athens (Greece)" in html
    assert 'datetime="2027-05-10"' in html
    assert "Local climate action (test)" in html
    assert soon.get_absolute_url() in html
    assert "Over already" not in html  # a meeting that is over is not "coming"
    assert html.index("Fresh news") < html.index("Old news")  # the latest first
    assert "Private note" not in html
    assert 'href="/cities/tirana/">Tirana</a>' in html  # the presiding city


def test_home_without_a_coming_summit_or_meeting_says_so(client, db):
    html = client.get(reverse("secretariat:home")).content.decode()
    assert "No meeting planned yet." in html
    assert "No news yet." in html


def test_home_queries_do_not_grow_with_meetings_and_news(
    client, db, settings, django_assert_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 0  # count the page's own queries, not a cache hit
    SummitFactory(year=2027)
    MeetingFactory()
    news("One")
    with django_assert_num_queries(7) as few:  # numbers, mandate, summit, meetings, news, map
        client.get(reverse("secretariat:home"))
    for n in range(6):
        MeetingFactory(group__name=f"Group {n} (test)")
        news(f"News {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("secretariat:home"))
