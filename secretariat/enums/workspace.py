"""Choices of the secretariat's workspace: roster, goals, recommendations, announcements."""

from django.db import models
from django.utils.translation import pgettext_lazy


class RosterRole(models.TextChoices):
    """Who makes up the Permanent Secretariat (rule T2)."""

    SECRETARY = "secretary", pgettext_lazy("roster role", "Network secretary")
    EXPERT = "expert", pgettext_lazy("roster role", "Expert")


class Party(models.TextChoices):
    """The two parties that agree the annual priorities (rule S8)."""

    PRESIDENCY = "presidency", pgettext_lazy("agreeing party", "The president")
    SECRETARIAT = "secretariat", pgettext_lazy("agreeing party", "The Permanent Secretariat")


class GoalStatus(models.TextChoices):
    """Derived from a goal's progress and its mandate's dates, never stored (rule G1)."""

    NOT_STARTED = "not_started", pgettext_lazy("goal status", "Not started")
    ON_TRACK = "on_track", pgettext_lazy("goal status", "On track")
    ACHIEVED = "achieved", pgettext_lazy("goal status", "Achieved")
    MISSED = "missed", pgettext_lazy("goal status", "Missed")


class AdoptedBy(models.TextChoices):
    SUMMIT = "summit", pgettext_lazy("recommendation adopted by", "The Annual Summit")
    PRESIDENCY = "presidency", pgettext_lazy("recommendation adopted by", "The presidency")


class FollowUpState(models.TextChoices):
    """How a member city follows a recommendation (rule M5: not binding)."""

    WILL_FOLLOW = "will_follow", pgettext_lazy("follow-up", "Will follow")
    IN_PROGRESS = "in_progress", pgettext_lazy("follow-up", "In progress")
    DONE = "done", pgettext_lazy("follow-up", "Done")
    WILL_NOT_FOLLOW = "will_not", pgettext_lazy("follow-up", "Will not follow")


class Audience(models.TextChoices):
    """Whom an announcement is addressed to (rule T3)."""

    ALL = "all", pgettext_lazy("announcement audience", "All member cities")
    GROUP = "group", pgettext_lazy("announcement audience", "One working group's cities")
    CITIES = "cities", pgettext_lazy("announcement audience", "Chosen cities")
