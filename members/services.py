"""Writes on the member-city registry. Every door (admin, browser, shell) comes here."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from common.text import unique_slug
from members.enums import CityStatus, PersonRole
from members.models import City, Country, Person, User
from outbox.services import queue_mail


@transaction.atomic
def create_city(
    *,
    name: str,
    country: Country,
    joined_on: datetime.date,
    website: str = "",
    population: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> City:
    """Create a member city (used when an application is admitted, rule M2)."""
    city = City(
        name=name.strip(),
        slug=unique_slug(City, name, max_length=100, fallback="city"),
        country=country,
        joined_on=joined_on,
        website=website,
        population=population,
        latitude=latitude,
        longitude=longitude,
        status=CityStatus.ACTIVE,
    )
    city.full_clean()
    city.save()
    return city


@transaction.atomic
def appoint_person(
    *,
    city: City,
    role: str,
    name: str,
    started_on: datetime.date,
    position: str = "",
    email: str = "",
    phone: str = "",
) -> Person:
    """Record a new mayor, delegate or contact point.

    A new mayor ends the current mayor's term the day before, so the history of who
    served the city is kept (and rule S4 keeps binding the city, not the person).
    """
    if role == PersonRole.MAYOR:
        current = (
            Person.objects.select_for_update()
            .filter(city=city, role=PersonRole.MAYOR, ended_on__isnull=True)
            .first()
        )
        if current is not None:
            if current.started_on and current.started_on >= started_on:
                raise ValidationError(
                    {"started_on": _("The new mayor must start after the current mayor did.")}
                )
            current.ended_on = started_on - datetime.timedelta(days=1)
            current.save(update_fields=["ended_on"])
    person = Person(
        city=city,
        role=role,
        name=name.strip(),
        position=position,
        email=email,
        phone=phone,
        started_on=started_on,
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def withdraw_city(*, city: City, on: datetime.date, reason: str, by: User | None = None) -> City:
    """Record that ``city`` left the network on ``on``, and why (the members floor's part).

    From now on its accounts no longer act for it (``User.acts_for_city``), it leaves the
    public member list for the former members, and a later round's electorate (the active
    cities) leaves it out; its rows and their history stay. Its working-group memberships
    and candidacies live on higher floors: the whole withdrawal is
    ``secretariat.services.cities.withdraw_member_city``, which calls this.
    """
    city = City.objects.select_for_update().get(pk=city.pk)
    if not city.is_active:
        raise ValidationError(_("%(city)s has already left the network.") % {"city": city.name})
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the city leaves the network.")
    if on < city.joined_on:
        errors["on"] = _("A city cannot leave before it joined.")
    if errors:
        raise ValidationError(errors)
    city.status = CityStatus.WITHDRAWN
    city.left_on = on
    city.withdrawal_reason = reason.strip()
    city._history_user = by  # simple_history: who, also outside a request
    city.full_clean()
    city.save()
    return city


@transaction.atomic
def readmit_city(*, city: City, joined_on: datetime.date, by: User | None = None) -> City:
    """A city that left joins again at a summit (rule M2): the same row, active again.

    Its earlier membership and withdrawal stay in its history.
    """
    city = City.objects.select_for_update().get(pk=city.pk)
    if city.is_active:
        raise ValidationError(_("%(city)s is already a member.") % {"city": city.name})
    city.status = CityStatus.ACTIVE
    city.joined_on = joined_on
    city.left_on = None
    city.withdrawal_reason = ""
    city._history_user = by
    city.full_clean()
    city.save()
    return city


@transaction.atomic
def end_role(*, person: Person, ended_on: datetime.date) -> Person:
    """Record that ``person`` stopped serving the city on ``ended_on``. From the next day
    the portal account with the person's email no longer acts for the city
    (``User.role_has_ended``)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.ended_on is not None:
        raise ValidationError(_("This person's term has ended already."))
    person.ended_on = ended_on
    person.full_clean()
    person.save(update_fields=["ended_on"])
    return person


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(str(user.pk).encode())
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def invite_city_user(*, user: User, by: User | None = None) -> None:
    """Mail a city user a link to set their password (Django's reset machinery)."""
    if not user.city_id:
        raise ValidationError(_("Only a user tied to a member city can be invited."))
    if not user.email:
        raise ValidationError(_("The user needs an email address to be invited."))
    if not user.is_active:
        raise ValidationError(_("This account is deactivated; activate it before inviting."))
    context = {"user": user, "city": user.city, "link": invitation_link(user)}
    with translation.override(settings.LANGUAGE_CODE):  # rule T2: mails in English
        queue_mail(
            to=[user.email],
            subject=_("Your B40 portal account for %(city)s") % {"city": user.city.name},
            body=render_to_string("members/mail/invitation.txt", context),
            kind="invitation",
        )
