"""Who someone is for the network: one definition of each role (STYLE 17, RELIABILITY 30).

Services, views, the admin and (through selectors' ``can_*`` flags) templates ask these
functions, never ``is_staff``, a group name or a permission that stands for a role.

The presiding mayor depends on mandates, which live a floor up: see ``presidency.roles``.
"""

from django.conf import settings

from members.models import City, User
from members.permissions import SECRETARIAT_GROUP


def second_factor_passed(user) -> bool:
    """Has ``user`` passed the second factor, where the portal asks for one?

    django-otp's ``OTPMiddleware`` gives every request's user an ``is_verified()``; that is
    the answer on the web. A user object that did not come through a request (loaded in
    ``manage.py shell``, a task, the demo loader) has no such method: whoever runs code on
    the server has passed more than a second factor already, so it counts as passed. A view
    therefore always passes ``request.user`` to a service, never a user it loaded itself
    (``tests/members/test_roles.py`` checks that the middleware is installed).
    """
    if not settings.ADMIN_REQUIRE_OTP:
        return True
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None:
        return True
    return bool(is_verified())


def is_secretariat(user: User | None) -> bool:
    """Staff of the Permanent Secretariat (rule T1), acting as such right now.

    An active staff account in the ``Secretariat`` group (or a superuser) that has passed
    the second factor when ``ADMIN_REQUIRE_OTP`` asks for one. ``is_staff`` alone is not
    enough: it only lets an account try the admin's login.
    """
    if user is None or not user.is_authenticated:
        return False
    if not (user.is_active and user.is_staff):
        return False
    if not second_factor_passed(user):
        return False
    return user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()


def acts_for_city(user: User | None, city: City | None = None, *, mayor: bool = False) -> bool:
    """Does ``user`` act for a member city — their own, or ``city`` if given (RELIABILITY 8)?

    A city user is an active account tied to one city, as its mayor or a delegate;
    ``mayor=True`` asks for the mayor (rule S3: the mayor stands or proposes).
    """
    if user is None or not user.is_authenticated or not user.acts_for_city:
        return False
    if city is not None and user.city_id != city.pk:
        return False
    return user.is_mayor if mayor else True
