from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.countries import COUNTRY_NAMES
from members.enums import (
    CITY_ROLE_IN_SENTENCE,
    CityRole,
    CityStatus,
    FoundingSignatory,
    PersonRole,
)
from members.text import fold
from members.validators import (
    COORDINATES_CONSTRAINT_MESSAGE,
    coordinates_in_balkans,
    validate_balkan_latitude,
    validate_balkan_longitude,
)

phone_validator = RegexValidator(
    r"^\+?[0-9 ()./-]{6,20}$",
    _("Enter a phone number of digits, spaces and + ( ) . / - only, e.g. +90 212 455 1300."),
)


class Country(models.Model):
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. TR."))],
        help_text=_("ISO 3166-1 alpha-2 (XK for Kosovo)."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    eligible = models.BooleanField(
        _("eligible for membership"),
        default=True,
        help_text=_("Cities of eligible countries may apply on the website (rule M2)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the active language (members/countries.py), else the stored one."""
        return str(COUNTRY_NAMES.get(self.code, self.name))


class City(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("With its own diacritics."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    # Text, not a varchar(100): a name of 100 characters can fold to far more ("Щ" is
    # "shch", a Chinese character a syllable and a space). It stays within what an index
    # entry holds: unidecode writes at most 13 letters for one character, 1,300 in all.
    search_name = models.TextField(
        _("search name"),
        editable=False,
        db_index=True,
        help_text=_("The name without diacritics, lower-cased, for search."),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country")
    )
    is_founding = models.BooleanField(_("founding member"), default=False)
    founding_signatory = models.CharField(
        _("signed the founding declaration through"),
        max_length=10,
        choices=FoundingSignatory.choices,
        blank=True,
    )
    joined_on = models.DateField(_("member since"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CityStatus.choices,
        default=CityStatus.ACTIVE,
        db_index=True,
    )
    left_on = models.DateField(
        _("left the network on"),
        null=True,
        blank=True,
        help_text=_("Set by the withdrawal; cleared when the city is admitted again."),
    )
    withdrawal_reason = models.TextField(_("reason for leaving"), blank=True, db_default="")
    website = models.URLField(_("website"), blank=True)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[validate_balkan_latitude],
        help_text=_("Degrees north (WGS 84), e.g. 41.0082 for Istanbul; shown on the map."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[validate_balkan_longitude],
        help_text=_("Degrees east (WGS 84), e.g. 28.9784 for Istanbul."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        # The cities' admin list reads a page of cities in this order (its tie-break: the
        # newest first), and the people's list by their cities' names: the index gives a
        # page without sorting every city, or every person.
        indexes = [models.Index(fields=["name", "-id"], name="members_city_by_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["search_name", "country"],
                name="members_city_unique_name_in_country",
                violation_error_message=_("This country already has a member city of this name."),
            ),
            models.CheckConstraint(
                condition=Q(is_founding=False, founding_signatory="")
                | Q(is_founding=True) & ~Q(founding_signatory=""),
                name="members_city_founding_signatory",
                violation_error_message=_(
                    "A founding city says who signed for it; other cities say nothing."
                ),
            ),
            models.CheckConstraint(
                condition=coordinates_in_balkans(),
                name="members_city_coordinates_in_balkans",
                violation_error_message=COORDINATES_CONSTRAINT_MESSAGE,
            ),
            # A withdrawal is dated and reasoned (members.services.withdraw_city).
            models.CheckConstraint(
                condition=Q(status=CityStatus.ACTIVE, left_on__isnull=True, withdrawal_reason="")
                | Q(status=CityStatus.WITHDRAWN, left_on__isnull=False) & ~Q(withdrawal_reason=""),
                name="members_city_withdrawal_dated",
                violation_error_message=_(
                    "A city that left the network has the date and the reason it left; "
                    "a member city has neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A derived column over the row's own field, set before the constraints are checked.
        self.search_name = fold(self.name)

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)  # also for saves that skip full_clean()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("secretariat:city-detail", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        return self.status == CityStatus.ACTIVE

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Person(models.Model):
    """A person who serves a city: its mayor, a delegate, a contact point.

    Rows are never rewritten when someone leaves: ``ended_on`` is set and a new row
    starts, so a change of mayor keeps the history.
    """

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="people", verbose_name=_("city")
    )
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["city", "role", "-started_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city"],
                condition=Q(role=PersonRole.MAYOR, ended_on__isnull=True),
                name="members_person_one_current_mayor",
                violation_error_message=_(
                    "This city already has a current mayor: set the date their term ended first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="members_person_dates_ordered",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        # The label from the enum (get_role_display() rebuilds the field's choices on every
        # call, and the admin's list names each of its rows).
        try:
            role = PersonRole(self.role).label
        except ValueError:
            role = self.role
        return f"{self.name} ({role}, {self.city})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class User(AbstractUser):
    """A portal account. City users act for exactly one member city (RELIABILITY 8)."""

    email = models.EmailField(_("email address"), blank=True)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("city"),
    )
    city_role = models.CharField(
        _("role for the city"), max_length=10, choices=CityRole.choices, blank=True
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=True, city_role="")
                | Q(city__isnull=False) & ~Q(city_role=""),
                name="members_user_city_role_together",
                violation_error_message=_("A city user needs both a city and a role."),
            ),
        ]

    @property
    def city_role_in_sentence(self) -> str:
        """The role as a word inside a sentence ("as its mayor"), not a capitalised label."""
        return str(CITY_ROLE_IN_SENTENCE.get(self.city_role, self.get_city_role_display()))

    @property
    def is_mayor(self) -> bool:
        return self.city_id is not None and self.city_role == CityRole.MAYOR

    @property
    def acts_for_city(self) -> bool:
        # A city that left the network (members.services.withdraw_city) has no one acting
        # for it; its accounts stay, with their history. Nor does a person whose term ended.
        return (
            self.city_id is not None
            and self.is_active
            and self.city.is_active
            and not self.role_has_ended
        )

    @cached_property
    def role_has_ended(self) -> bool:
        """Has the person behind this account stopped serving the city in the account's role?

        The account and the person are linked by email: the account's role has ended when
        the city recorded a person of that role with this email whose term is over, and no
        current one (a change of mayor through ``members.services.appoint_person`` ends the
        former mayor's term, so their account no longer acts for the city). An account with
        no such person on record keeps its role. Read once per loaded account (request).
        """
        if not (self.city_id and self.email and self.city_role):
            return False
        # Without Meta.ordering (by the city's name: a join): the order does not matter, and
        # every logged-in page of such a user asks this.
        people = Person.objects.filter(
            city_id=self.city_id, role=self.city_role, email__iexact=self.email
        ).order_by()
        terms = list(people.values_list("ended_on", flat=True))
        today = timezone.localdate()
        return bool(terms) and all(ended is not None and ended < today for ended in terms)
