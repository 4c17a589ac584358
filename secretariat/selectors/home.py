"""What the home page shows a visitor first: the network now and what comes next."""

import datetime

from django.utils import timezone

from members import selectors as member_selectors
from presidency import selectors as presidency_selectors
from secretariat.selectors.workspace import public_news
from workinggroups import selectors as group_selectors

HOME_MEETINGS = 4
HOME_NEWS = 3


def home_page(now: datetime.datetime | None = None) -> dict:
    """The home page's content: the numbers, the presiding city, the next summit and its
    host, the coming working-group meetings and the latest news."""
    now = now or timezone.now()
    return {
        "numbers": member_selectors.network_numbers(),
        "mandate": presidency_selectors.current_mandate(),
        "summit": presidency_selectors.upcoming_summit(),
        "meetings": list(group_selectors.coming_meetings(now)[:HOME_MEETINGS]),
        "news": list(public_news()[:HOME_NEWS]),
    }
