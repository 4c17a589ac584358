"""Membership applications (rules M2–M4): filed on the website, handled by the secretariat."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import City, Country, phone_validator
from members.text import fold
from members.validators import (
    COORDINATES_CONSTRAINT_MESSAGE,
    coordinates_in_balkans,
    validate_balkan_latitude,
    validate_balkan_longitude,
)
from presidency.models import Summit
from secretariat.enums.applications import OPEN_STATES, ApplicationState
from workinggroups.models import WorkingGroup

MOTIVATION_MAX_LENGTH = 5000


class Application(models.Model):
    """A city's application to join the network, from the public form to the summit."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # The private status link (an unguessable capability, like a password-reset link).
    token = models.CharField(_("status token"), max_length=64, unique=True, editable=False)
    # One per rendered form: posting the same form twice finds the first application.
    submission_key = models.UUIDField(
        _("submission key"), unique=True, default=uuid.uuid4, editable=False
    )
    city_name = models.CharField(_("city"), max_length=100)
    # Looked up only among the open applications: the partial unique index below serves it.
    # Text: a name can fold to more than its 100 characters (members.models.City's).
    search_name = models.TextField(_("search name"), editable=False)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="applications", verbose_name=_("country")
    )
    mayor_name = models.CharField(_("mayor's name"), max_length=150)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_position = models.CharField(_("contact person's position"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, validators=[phone_validator]
    )
    website = models.URLField(_("the city's website"), max_length=200)
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000_000)],
    )
    # Optional: where the city is, for the network's map (copied to the city at admission).
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[validate_balkan_latitude],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[validate_balkan_longitude],
    )
    working_groups = models.ManyToManyField(
        WorkingGroup,
        blank=True,
        related_name="applications",
        verbose_name=_("working groups the city wants to join"),
    )
    motivation = models.TextField(
        _("motivation"), validators=[MaxLengthValidator(MOTIVATION_MAX_LENGTH)]
    )
    consent = models.BooleanField(_("consent to the handling of the data"), default=False)
    # The language the applicant filed in: every later mail to them is written in it.
    # Empty for applications filed before the portal recorded it: they are mailed in English.
    # Nullable so that adding it is a plain ADD COLUMN on a table that has rows.
    language = models.CharField(  # noqa: DJ001
        _("language"), max_length=10, choices=settings.LANGUAGES, null=True, blank=True
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
    )
    summit = models.ForeignKey(
        Summit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("summit"),
    )
    # A foreign key, not one-to-one: a city that left the network may apply and be admitted
    # again, and each admission keeps its application.
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("member city"),
        help_text=_(
            "The member city created (or admitted again) when the application was admitted."
        ),
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The history is read per application (its id): the other columns' indexes would only
    # slow down every write, the public form's post first.
    history = HistoricalRecords(
        excluded_fields=["token", "submission_key"],
        no_db_index=["reference", "search_name", "state", "country", "summit", "city"],
    )

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at"]
        # The admin filters by state (a plain index: Django's db_index would add a LIKE one).
        indexes = [models.Index(fields=["state"], name="secretariat_application_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["search_name", "country"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="secretariat_application_one_open_per_city",
                violation_error_message=_("This city already has an open application."),
            ),
            models.CheckConstraint(
                condition=Q(consent=True),
                name="secretariat_application_consent",
                violation_error_message=_(
                    "An application needs consent to the handling of its data."
                ),
            ),
            models.CheckConstraint(
                # rule M2: a city joins at a summit, so proposing and admitting name one
                condition=~Q(state__in=[ApplicationState.PROPOSED, ApplicationState.ADMITTED])
                | Q(summit__isnull=False),
                name="secretariat_application_summit_when_proposed",
                violation_error_message=_("A proposed or admitted application names its summit."),
            ),
            models.CheckConstraint(
                condition=Q(state=ApplicationState.ADMITTED, city__isnull=False)
                | (~Q(state=ApplicationState.ADMITTED) & Q(city__isnull=True)),
                name="secretariat_application_city_when_admitted",
                violation_error_message=_(
                    "Exactly the admitted applications are linked to a member city."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.DECLINED) | ~Q(decision_reason=""),
                name="secretariat_application_reason_when_declined",
                violation_error_message=_("A declined application says why."),
            ),
            models.CheckConstraint(
                condition=coordinates_in_balkans(),
                name="secretariat_application_coordinates_in_balkans",
                violation_error_message=COORDINATES_CONSTRAINT_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.city_name} ({self.country})"

    def clean(self) -> None:
        # A derived column over the row's own field, set before the constraints are checked.
        self.search_name = fold(self.city_name)

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.city_name)  # also for saves that skip full_clean()
        super().save(*args, **kwargs)

    def get_status_url(self) -> str:
        return reverse("secretariat:application-status", kwargs={"token": self.token})

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ApplicationEvent(models.Model):
    """One step of an application's history: who moved it where, when and why."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("application"),
    )
    from_state = models.CharField(
        pgettext_lazy("application event", "from"),
        max_length=10,
        choices=ApplicationState.choices,
        blank=True,
    )
    to_state = models.CharField(
        pgettext_lazy("application event", "to"), max_length=10, choices=ApplicationState.choices
    )
    at = models.DateTimeField(pgettext_lazy("application event", "at"), default=timezone.now)
    # Empty when the applicant acted (filing the form, withdrawing through the status link).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("application event", "by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    summit = models.ForeignKey(
        Summit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("summit"),
    )

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.from_state or '-'} → {self.to_state}"
