"""A clock that can be set to a past moment, to build a history through the services.

The services read the time from ``django.utils.timezone.now()`` (STYLE.md 14), and so do
``auto_now`` fields, ``timezone.localdate()`` and the history rows. ``frozen_at`` makes
that function answer one moment for the duration of a ``with`` block, so that a service
called inside it checks its rules against that moment ("the candidacy period is open",
"a city is admitted at its summit, not before") and stamps its rows with it — exactly as
if it had been called then. The demo (``manage.py load_demo``) writes five years of the
network's life this way.

Not for request or worker code: it changes a module attribute for the whole process, so
it is meant for a single-threaded command (or a test). It does not reach a field whose
default is the function object itself (``default=timezone.now``, captured when the model
class was built) nor ``datetime.date.today()`` (a ``DateField(auto_now_add=True)``): the
caller sets those itself.
"""

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone


@contextlib.contextmanager
def frozen_at(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Within the block, ``timezone.now()`` is ``moment`` (an aware datetime). Nestable."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    previous = timezone.now
    timezone.now = lambda: moment
    try:
        yield moment
    finally:
        timezone.now = previous
