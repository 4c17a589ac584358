"""The production settings, as the benchmark runs them.

Only the public form's guards against bots are relaxed, from the environment, so that wrk can
post it many times from one address without waiting (bench/run.py sets both):

- ``APPLICATION_MIN_FILL_SECONDS`` (default 3): the form's minimum fill time; the bench uses 0.
- ``APPLICATION_RATE_LIMIT`` (default ``10/h``): posts per address; the bench uses a huge one.
"""

from b40.settings.production import *  # noqa: F403
from b40.settings.production import env

APPLICATION_MIN_FILL_SECONDS = env.int("APPLICATION_MIN_FILL_SECONDS", default=3)
APPLICATION_RATE_LIMIT = env("APPLICATION_RATE_LIMIT", default="10/h")
