"""Writes of the secretariat's workspace. Every door (admin, city dashboard, shell) comes here.

Rules: T2 (roster), T3 (announcements), S8 and G1 (goals agreed by the president and the
secretariat), M5 (recommendations and the cities' follow-ups).
"""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members import services as member_services
from members.enums import CityStatus, PersonRole
from members.models import City, Person, User
from members.roles import acts_for_city, is_secretariat
from members.selectors import contact_emails_of
from outbox.services import Message, queue_mails
from presidency import selectors as presidency_selectors
from presidency.models import Mandate, Summit
from presidency.roles import is_presiding_mayor
from secretariat.enums.workspace import AdoptedBy, Audience, Party
from secretariat.models.workspace import (
    Announcement,
    AnnouncementDelivery,
    FollowUp,
    Goal,
    GoalProgress,
    OpeningMeeting,
    Recommendation,
)
from workinggroups.models import WorkingGroup

# --- who acts -------------------------------------------------------------------------


def _save(instance, *, by: User | None, raced_fields: Iterable[str] = ()) -> None:
    """Validate and save, recording ``by`` in the history row also outside a request
    (the shell, a task), where simple-history's middleware does not know the user.

    Constraints on ``raced_fields`` are left to the database, so that a parallel write
    fails as IntegrityError, which :func:`_retry_on_conflict` retries.
    """
    if by is not None:
        instance._history_user = by
    instance.full_clean(validate_constraints=False)
    instance.validate_constraints(exclude=set(raced_fields))
    instance.save()


def party_of(*, user: User, mandate: Mandate | None) -> str | None:
    """Which of the two parties of rule S8 ``user`` speaks for on ``mandate``, if any: the
    secretariat, or the president of that mandate's year (a goal may be agreed for the
    coming mandate too)."""
    if is_secretariat(user):
        return Party.SECRETARIAT
    if mandate is not None and is_presiding_mayor(user, on=datetime.date(mandate.year, 1, 1)):
        return Party.PRESIDENCY
    return None


T = TypeVar("T")


def _retry_on_conflict(write: Callable[[], T], *, attempts: int = 3) -> T:
    """Run ``write`` in a savepoint; when a parallel request took the same unique key
    first (a double submit, the same number), read again and retry instead of failing."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return write()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# --- annual goals (G1, S8) ------------------------------------------------------------


def _agree(goal: Goal, *, party: str, by: User) -> None:
    now = timezone.now()
    if party == Party.PRESIDENCY:
        goal.presidency_agreed_at, goal.presidency_agreed_by = now, by
    else:
        goal.secretariat_agreed_at, goal.secretariat_agreed_by = now, by


def check_opening_meeting(
    *, mandate: Mandate, held_on: datetime.date, minutes: str, by: User
) -> None:
    """May ``by`` record this opening meeting (rule G1)? The admin's form asks it too.

    The secretariat or the mandate's president records it, once; it is held in the
    mandate's own year, and not in the future.
    """
    if party_of(user=by, mandate=mandate) is None:
        raise PermissionDenied(
            _("Only the president or the secretariat record the mandate's opening meeting.")
        )
    errors = {}
    if held_on.year != mandate.year:
        errors["held_on"] = _(
            "The opening meeting of the %(year)s mandate is held in %(year)s (rule G1)."
        ) % {"year": mandate.year}
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Record the meeting once it has been held.")
    if not minutes.strip():
        errors["minutes"] = _("Write the minutes of the meeting.")
    if errors:
        raise ValidationError(errors)
    if OpeningMeeting.objects.filter(mandate=mandate).exists():
        raise ValidationError(
            _("The opening meeting of the %(year)s mandate is already recorded.")
            % {"year": mandate.year}
        )


@transaction.atomic
def record_opening_meeting(
    *, mandate: Mandate, held_on: datetime.date, minutes: str, by: User
) -> OpeningMeeting:
    """Record the meeting at the start of a mandate where its goals are set (rule G1)."""
    check_opening_meeting(mandate=mandate, held_on=held_on, minutes=minutes, by=by)
    meeting = OpeningMeeting(
        mandate=mandate, held_on=held_on, minutes=minutes.strip(), recorded_by=by
    )
    _save(meeting, by=by)
    return meeting


@transaction.atomic
def propose_goal(
    *,
    mandate: Mandate,
    by: User,
    title: str,
    indicator: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    description: str = "",
    working_group: WorkingGroup | None = None,
) -> Goal:
    """Propose a goal for a mandate year (rule G1); the proposer agrees to it (rule S8)."""
    party = party_of(user=by, mandate=mandate)
    if party is None:
        raise PermissionDenied(_("Only the president or the secretariat propose annual goals."))
    # rule G1: goals are set at the start of a mandate: the current one, or the next one once
    # its city is elected (its mandate row exists then); never a mandate already over.
    this_year = timezone.localdate().year
    if mandate.year not in (this_year, this_year + 1):
        raise ValidationError(
            {
                "mandate": _(
                    "Goals are set for the current mandate, or the next one once elected "
                    "(rule G1); the %(year)s mandate is not open for goals."
                )
                % {"year": mandate.year}
            }
        )
    goal = Goal(
        mandate=mandate,
        title=title.strip(),
        description=description,
        working_group=working_group,
        indicator=indicator,
        unit=unit,
        baseline=baseline,
        target=target,
        proposed_by=party,
    )
    _agree(goal, party=party, by=by)
    _save(goal, by=by)
    return goal


@transaction.atomic
def agree_goal(*, goal: Goal, by: User) -> Goal:
    """The other party agrees to a proposed goal; then it counts as set (rule S8)."""
    goal = Goal.objects.select_for_update().select_related("mandate").get(pk=goal.pk)
    party = party_of(user=by, mandate=goal.mandate)
    if party is None:
        raise PermissionDenied(_("Only the president or the secretariat agree annual goals."))
    already = goal.presidency_agreed_at if party == Party.PRESIDENCY else goal.secretariat_agreed_at
    if already is not None:
        raise ValidationError(_("Your side has already agreed to this goal."))
    _agree(goal, party=party, by=by)
    _save(goal, by=by)
    return goal


@transaction.atomic
def record_goal_progress(
    *, goal: Goal, by: User, value: Decimal, recorded_on: datetime.date, note: str = ""
) -> GoalProgress:
    """The secretariat records progress on a goal that both parties set (rules G1, S8)."""
    if not is_secretariat(by):
        raise PermissionDenied(_("Only the secretariat records progress on the goals."))
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if not goal.is_set:
        raise ValidationError(
            _("Progress is recorded once the president and the secretariat agreed the goal.")
        )
    progress = GoalProgress(
        goal=goal, value=value, recorded_on=recorded_on, note=note, recorded_by=by
    )
    _save(progress, by=by)
    return progress


# --- recommendations and follow-ups (M5) ------------------------------------------------


RECOMMENDATION_NUMBER_LOCK = 40_005  # a PostgreSQL advisory lock key, with the year


@transaction.atomic
def adopt_recommendation(
    *,
    year: int,
    title: str,
    text: str,
    adopted_by: str,
    adopted_on: datetime.date,
    summit: Summit | None = None,
    working_group: WorkingGroup | None = None,
    by: User | None = None,
) -> Recommendation:
    """Record a recommendation of the network under the next number of its year."""
    summit = summit if adopted_by == AdoptedBy.SUMMIT else None
    if connection.vendor == "postgresql":
        # Adoptions of one year take their numbers one after the other (until commit);
        # SQLite serialises writers by itself.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [RECOMMENDATION_NUMBER_LOCK, year]
            )

    def write() -> Recommendation:
        # The next number of the year; should a parallel adoption still take it first,
        # the unique constraint fails and the retry reads the new maximum.
        last = Recommendation.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0
        recommendation = Recommendation(
            year=year,
            number=last + 1,
            title=title.strip(),
            text=text,
            adopted_by=adopted_by,
            adopted_on=adopted_on,
            summit=summit,
            working_group=working_group,
        )
        _save(recommendation, by=by, raced_fields=["number"])
        return recommendation

    return _retry_on_conflict(write)


@transaction.atomic
def record_follow_up(
    *, recommendation: Recommendation, by: User, state: str, reason: str = ""
) -> FollowUp:
    """A member city records how it follows a recommendation (rule M5).

    The city is the acting user's own (RELIABILITY 8): nobody records for another city.
    """
    if not acts_for_city(by):
        raise PermissionDenied(_("Only a member city's mayor or delegate records its follow-up."))
    city = City.objects.get(pk=by.city_id)
    if city.status != CityStatus.ACTIVE:
        raise PermissionDenied(_("A city that withdrew no longer follows up recommendations."))

    def write() -> FollowUp:
        follow_up = (
            FollowUp.objects.select_for_update()
            .filter(recommendation=recommendation, city=city)
            .first()
        ) or FollowUp(recommendation=recommendation, city=city)
        follow_up.state = state
        follow_up.reason = reason.strip()
        follow_up.updated_by = by
        _save(follow_up, by=by, raced_fields=["city"])
        return follow_up

    # A double submit: the second request finds the first one's row and updates it.
    return _retry_on_conflict(write)


# --- announcements (T3) -------------------------------------------------------------


def validate_addressing(
    *, audience: str, working_group: WorkingGroup | None, cities: Iterable[City]
) -> None:
    """Raise ValidationError unless the addressing is complete and consistent."""
    if audience == Audience.GROUP and working_group is None:
        raise ValidationError({"working_group": _("Choose the working group to address.")})
    if audience != Audience.GROUP and working_group is not None:
        raise ValidationError(
            {"working_group": _("A working group is named only for a group announcement.")}
        )
    has_cities = bool(list(cities))
    if audience == Audience.CITIES and not has_cities:
        raise ValidationError({"cities": _("Choose at least one city.")})
    if audience != Audience.CITIES and has_cities:
        raise ValidationError(
            {"cities": _("Cities are chosen only for a chosen-cities announcement.")}
        )


def addressed_cities(announcement: Announcement) -> QuerySet[City]:
    """The active member cities an announcement reaches."""
    cities = City.objects.filter(status=CityStatus.ACTIVE)
    if announcement.audience == Audience.GROUP:
        cities = cities.filter(group_memberships__group=announcement.working_group_id)
    elif announcement.audience == Audience.CITIES:
        cities = cities.filter(chosen_announcements=announcement)
    return cities.distinct().order_by("name")


def _author_for(*, by: User) -> str:
    party = party_of(user=by, mandate=presidency_selectors.current_mandate())
    if party is None:
        raise PermissionDenied(_("Only the secretariat or the president send announcements."))
    return party


@transaction.atomic
def send_announcement(*, announcement: Announcement, by: User) -> int:
    """Deliver an announcement to each addressed city: its dashboard shows it, and its
    contacts get it by mail through the outbox (sent after commit, retried). Return the
    number of cities reached. Sending twice is refused."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.sent_at is not None:
        raise ValidationError(_("This announcement has already been sent."))
    announcement.author = _author_for(by=by)
    validate_addressing(
        audience=announcement.audience,
        working_group=announcement.working_group,
        cities=announcement.cities.all(),
    )
    link = f"{settings.SITE_URL}{reverse('secretariat:dashboard')}"
    cities = list(addressed_cities(announcement))
    emails = contact_emails_of(cities)
    # rule T2: the network's working language, whatever language the sender browses in
    with translation.override(settings.LANGUAGE_CODE):
        messages = {
            city.pk: Message(
                to=emails[city.pk],
                subject=f"B40: {announcement.title}",
                body=render_to_string(
                    "secretariat/mail/announcement.txt",
                    {"announcement": announcement, "city": city, "link": link},
                ),
                kind="announcement",
            )
            for city in cities
            if emails.get(city.pk)
        }
    # One insert for the mails and one for the deliveries, however many cities (a thousand
    # rows were two thousand inserts in the sender's request).
    mails = dict(zip(messages, queue_mails(list(messages.values())), strict=True))
    AnnouncementDelivery.objects.bulk_create(
        AnnouncementDelivery(announcement=announcement, city=city, mail=mails.get(city.pk))
        for city in cities
    )
    count = len(cities)
    announcement.sent_at = timezone.now()
    announcement.posted_by = announcement.posted_by or by
    announcement._history_user = by
    announcement.save()
    return count


@transaction.atomic
def post_announcement(
    *,
    by: User,
    title: str,
    body: str,
    audience: str,
    working_group: WorkingGroup | None = None,
    cities: Iterable[City] = (),
    is_public: bool = False,
) -> Announcement:
    """Write and send an announcement in one step (rule T3)."""
    cities = list(cities)
    author = _author_for(by=by)
    validate_addressing(audience=audience, working_group=working_group, cities=cities)
    announcement = Announcement(
        title=title.strip(),
        body=body,
        author=author,
        posted_by=by,
        audience=audience,
        working_group=working_group,
        is_public=is_public,
    )
    _save(announcement, by=by)
    announcement.cities.set(cities)
    send_announcement(announcement=announcement, by=by)
    announcement.refresh_from_db()
    return announcement


# --- the city's own people (the city dashboard) -----------------------------------------

CITY_EDITABLE_ROLES = (PersonRole.DELEGATE, PersonRole.CONTACT)


def city_may_end(person: Person) -> bool:
    """Whether a city may record that ``person`` no longer serves it: a delegate or a contact
    point, not the mayor (a change of mayor is the secretariat's)."""
    return person.role in CITY_EDITABLE_ROLES


def _own_current_person(*, person: Person, by: User) -> Person:
    if not acts_for_city(by):
        raise PermissionDenied
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.city_id != by.city_id or person.ended_on is not None:
        raise PermissionDenied(_("You can only change your own city's current people."))
    return person


@transaction.atomic
def add_city_contact(
    *,
    by: User,
    role: str,
    name: str,
    started_on: datetime.date,
    position: str = "",
    email: str = "",
    phone: str = "",
) -> Person:
    """A city adds a delegate or contact point of its own (a new mayor is the secretariat's)."""
    if not acts_for_city(by):
        raise PermissionDenied
    if role not in CITY_EDITABLE_ROLES:
        raise ValidationError({"role": _("The secretariat records a change of mayor.")})
    return member_services.appoint_person(
        city=City.objects.get(pk=by.city_id),
        role=role,
        name=name,
        started_on=started_on,
        position=position,
        email=email,
        phone=phone,
    )


@transaction.atomic
def update_city_person(
    *, person: Person, by: User, name: str, position: str = "", email: str = "", phone: str = ""
) -> Person:
    """A city corrects one of its current people's details (kept as history)."""
    person = _own_current_person(person=person, by=by)
    person.name, person.position, person.email, person.phone = name.strip(), position, email, phone
    _save(person, by=by)
    return person


@transaction.atomic
def end_city_person(*, person: Person, by: User, ended_on: datetime.date) -> Person:
    """A city records that a delegate or contact point no longer serves it."""
    person = _own_current_person(person=person, by=by)
    if not city_may_end(person):
        raise ValidationError(_("The secretariat records a change of mayor."))
    person.ended_on = ended_on
    _save(person, by=by)
    return person
