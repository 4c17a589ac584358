"""One definition of each role (RELIABILITY 30, issue 19 item 4).

A staff account without the Secretariat group, or a Secretariat account that has not passed
the second factor, reads and writes nothing the secretariat can: not the summit's lodging
page, not members-only minutes or meeting links, not the desk on the admin's index, not a
service. The city's pages take one mixin, and a user that does not act for a city gets 403.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.views import View
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.middleware import OTPMiddleware

from members import mixins, roles
from members.enums import CityRole
from members.models import City
from members.otp import enrol_totp
from presidency import services as presidency_services
from tests.factories import (
    CityUserFactory,
    ElectionFactory,
    GroupMembershipFactory,
    MeetingFactory,
    SecretariatUserFactory,
    SummitFactory,
    UserFactory,
)
from workinggroups import services as group_services
from workinggroups.enums import MinutesVisibility
from workinggroups.models import WorkingGroup

# --- the role itself ------------------------------------------------------------------


def on_the_web(user, *, verified: bool = False):
    """``user`` as a view sees it: through django-otp's middleware, after the second
    factor if ``verified``."""
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = user
    if verified:
        device, _codes = enrol_totp(user=user)
        otp_login(request, device)
    OTPMiddleware(lambda r: HttpResponse())(request)
    return request.user


def test_the_secretariat_is_its_group_or_a_superuser(db):
    assert roles.is_secretariat(SecretariatUserFactory())
    assert roles.is_secretariat(UserFactory(is_staff=True, is_superuser=True))


def test_is_staff_alone_is_not_the_secretariat(db):
    assert not roles.is_secretariat(UserFactory(is_staff=True))


@pytest.mark.parametrize(
    "make",
    [
        lambda: SecretariatUserFactory(is_active=False),
        lambda: SecretariatUserFactory(is_staff=False),  # in the group, not staff
        lambda: CityUserFactory(),
        lambda: AnonymousUser(),
        lambda: None,
    ],
    ids=["inactive", "not-staff", "mayor", "anonymous", "nobody"],
)
def test_others_are_not_the_secretariat(db, make):
    assert not roles.is_secretariat(make())


def test_with_the_second_factor_required_the_web_needs_a_verified_device(db, settings):
    settings.ADMIN_REQUIRE_OTP = True
    assert not roles.is_secretariat(on_the_web(SecretariatUserFactory()))
    assert roles.is_secretariat(on_the_web(SecretariatUserFactory(), verified=True))
    # A verified device does not make a staff account without the group the secretariat.
    assert not roles.is_secretariat(on_the_web(UserFactory(is_staff=True), verified=True))


def test_without_the_requirement_the_device_does_not_matter(db, settings):
    settings.ADMIN_REQUIRE_OTP = False
    assert roles.is_secretariat(on_the_web(SecretariatUserFactory()))


def test_a_user_loaded_on_the_server_counts_as_past_the_second_factor(db, settings):
    """The shell, a task, the demo loader: whoever runs code on the server is trusted
    (members/roles.py says why); only the web's users carry ``is_verified``."""
    settings.ADMIN_REQUIRE_OTP = True
    assert roles.is_secretariat(SecretariatUserFactory())


def test_every_request_user_goes_through_the_second_factors_middleware():
    """What makes the rule above safe: a view's ``request.user`` always has is_verified()."""
    middleware = settings.MIDDLEWARE
    assert "django_otp.middleware.OTPMiddleware" in middleware
    assert middleware.index("django_otp.middleware.OTPMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_acts_for_city(db):
    tirana, skopje = City.objects.get(slug="tirana"), City.objects.get(slug="skopje")
    mayor = CityUserFactory(city=tirana)
    delegate = CityUserFactory(city=tirana, city_role=CityRole.DELEGATE)
    assert roles.acts_for_city(mayor) and roles.acts_for_city(mayor, tirana, mayor=True)
    assert not roles.acts_for_city(mayor, skopje)
    assert roles.acts_for_city(delegate, tirana)
    assert not roles.acts_for_city(delegate, tirana, mayor=True)
    assert not roles.acts_for_city(CityUserFactory(city=tirana, is_active=False))
    assert not roles.acts_for_city(SecretariatUserFactory())
    assert not roles.acts_for_city(AnonymousUser())


# --- the site's content ----------------------------------------------------------------


@pytest.fixture
def content(db):
    """What only the secretariat (and the host, the members) may see: a summit's lodging
    page, a group's members-only minutes and online links."""
    summit = SummitFactory(year=2026, host_city=City.objects.get(slug="athens"))
    group = WorkingGroup.objects.get(slug="local-climate-action")
    GroupMembershipFactory(group=group, city=City.objects.get(slug="tirana"))
    MeetingFactory(
        group=group,
        starts_at=timezone.now() - datetime.timedelta(days=40),
        minutes="SECRET-MINUTES",
        minutes_visibility=MinutesVisibility.MEMBERS,
    )
    MeetingFactory(
        group=group,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        online_link="https://meet.example/next",
    )
    return {"summit": summit, "group": group}


def seen_by(client, content) -> dict:
    lodging = reverse("presidency:summit-lodging", args=[content["summit"].year])
    summit_page = client.get(reverse("presidency:summit-detail", args=[2026])).content.decode()
    group_page = client.get(
        reverse("workinggroups:group-detail", args=[content["group"].slug])
    ).content.decode()
    admin_index = client.get(reverse("admin:index"))
    return {
        "lodging page": client.get(lodging).status_code == 200,
        "lodging link": lodging in summit_page,
        "minutes": "SECRET-MINUTES" in group_page,
        "meeting link": "https://meet.example/next" in group_page,
        "desk link": f'href="{reverse("admin:index")}"' in summit_page,
        "desk": admin_index.status_code == 200 and "desk-module" in admin_index.content.decode(),
    }


EVERYTHING = {
    "lodging page": True,
    "lodging link": True,
    "minutes": True,
    "meeting link": True,
    "desk link": True,
    "desk": True,
}
NOTHING = dict.fromkeys(EVERYTHING, False)


def test_staff_without_the_group_sees_nothing_of_the_secretariat(client, content):
    client.force_login(UserFactory(is_staff=True))
    assert seen_by(client, content) == NOTHING


def test_the_secretariat_without_its_second_factor_sees_nothing(client, content, settings):
    settings.ADMIN_REQUIRE_OTP = True
    client.force_login(SecretariatUserFactory())  # a password login on the site
    assert seen_by(client, content) == NOTHING


def test_the_secretariat_past_its_second_factor_sees_it_all(client, content, settings):
    settings.ADMIN_REQUIRE_OTP = True
    user = SecretariatUserFactory()
    device, _codes = enrol_totp(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # as django_otp.login does
    session.save()
    assert seen_by(client, content) == EVERYTHING


def test_bare_staff_is_not_sent_to_the_desk_from_the_dashboard(client, db):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("secretariat:dashboard")).status_code == 403
    client.force_login(SecretariatUserFactory())
    response = client.get(reverse("secretariat:dashboard"))
    assert response.status_code == 302 and response.url == reverse("admin:index")


# --- the services ------------------------------------------------------------------------


def impostors():
    """A staff account without the group, and the secretariat on the web without its
    second factor (with the second factor required)."""
    return [UserFactory(is_staff=True), on_the_web(SecretariatUserFactory())]


@pytest.fixture
def otp_required(settings):
    settings.ADMIN_REQUIRE_OTP = True


def test_impostors_write_nothing_the_secretariat_writes(db, otp_required):
    election = ElectionFactory(summit=SummitFactory(year=2026))
    group = WorkingGroup.objects.get(slug="local-climate-action")
    for by in impostors():
        with pytest.raises(PermissionDenied):
            presidency_services.open_candidacy(election=election, by=by)
        with pytest.raises(PermissionDenied):
            group_services.close_group(group=group, by=by)
        with pytest.raises(PermissionDenied):
            presidency_services.submit_candidacy(
                election=election, city=City.objects.get(slug="split"), by=by
            )
    election.refresh_from_db()
    group.refresh_from_db()
    assert (election.state, group.state, election.candidacies.count()) == ("planned", "active", 0)
    # The control: the secretariat past its second factor may.
    secretariat = on_the_web(SecretariatUserFactory(), verified=True)
    presidency_services.open_candidacy(election=election, by=secretariat)
    group_services.close_group(group=group, by=secretariat)


def test_impostors_do_not_register_a_delegation_after_the_deadline(db, otp_required):
    summit = SummitFactory(
        year=2026, registration_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    day = summit.starts_on
    delegates = [presidency_services.DelegateData("Head", "head", day, day)]
    patras = City.objects.get(slug="patras")
    for by in impostors():
        with pytest.raises(PermissionDenied):
            presidency_services.register_delegation(
                summit=summit, city=patras, delegates=delegates, by=by
            )
    secretariat = on_the_web(SecretariatUserFactory(), verified=True)
    presidency_services.register_delegation(
        summit=summit, city=patras, delegates=delegates, by=secretariat
    )


# --- "acts for their own city": one mixin ------------------------------------------------


class Probe(mixins.CityUserMixin, View):
    def get(self, request):
        return HttpResponse(self.city.name)


class MayorProbe(Probe):
    mayor_only = True


def probe(view, user):
    request = RequestFactory().get("/")
    request.user = user
    return view.as_view()(request)


def test_the_mixin_lets_a_city_user_act_for_their_own_city(db):
    mayor = CityUserFactory(city=City.objects.get(slug="tirana"))
    assert probe(Probe, mayor).content == b"Tirana"
    assert probe(MayorProbe, mayor).content == b"Tirana"
    assert probe(Probe, AnonymousUser()).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("view", "make"),
    [
        (Probe, lambda: CityUserFactory(is_active=False)),  # a mayor whose account is closed
        (Probe, lambda: SecretariatUserFactory()),  # staff do not act for a city
        (Probe, lambda: UserFactory()),  # an account with no city
        (MayorProbe, lambda: CityUserFactory(city_role=CityRole.DELEGATE)),
    ],
    ids=["inactive-mayor", "secretariat", "no-city", "delegate-for-the-mayor"],
)
def test_the_mixin_refuses_anyone_not_acting_for_a_city(db, view, make):
    with pytest.raises(PermissionDenied):
        probe(view, make())


def test_every_city_page_uses_the_one_mixin():
    """presidency, working groups and the workspace: one definition, not three."""
    city_pages = {
        "presidency:candidacy-submit",
        "presidency:candidacy-propose",
        "presidency:candidacy-action",
        "presidency:delegation-register",
        "presidency:ballot-cast",
        "workinggroups:group-join",
        "workinggroups:group-leave",
        "workinggroups:request-create",
        "secretariat:followup-edit",
        "secretariat:person-add",
        "secretariat:person-edit",
        "secretariat:person-end",
        "secretariat:goal-agree",
        "secretariat:goal-propose",
    }
    found = {}
    for namespace in ("presidency", "workinggroups", "secretariat"):
        _prefix, resolver = get_resolver().namespace_dict[namespace]
        for pattern in resolver.url_patterns:
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None and issubclass(view_class, mixins.CityUserMixin):
                found[f"{namespace}:{pattern.name}"] = view_class
    assert city_pages <= set(found)
    for module in ("presidency.views", "workinggroups.views", "secretariat.views.workspace"):
        own = __import__(module, fromlist=["CityUserMixin"]).__dict__.get("CityUserMixin")
        assert own is None or issubclass(own, mixins.CityUserMixin)
