"""Request size and field counts are bounded on every form: 400, never 500 (RELIABILITY 16).

Every POST of the site and the admin goes through the CSRF check, which reads the body
first; Django refuses a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or with more than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields there, with the generic 400 page.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from tests.admin import registered_admins
from tests.b40.test_permission_matrix import _cases, world  # noqa: F401 - the fixture
from tests.factories import SecretariatUserFactory

CSRF = "a" * 32  # a well-formed token, sent both as cookie and as field


def _client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    if user is not None:
        client.force_login(user)
    return client


def _too_big() -> str:
    return urlencode({"csrfmiddlewaretoken": CSRF, "x": "y" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})


def _too_many() -> str:
    fields = [("csrfmiddlewaretoken", CSRF)]
    fields += [(f"f{i}", "1") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)]
    return urlencode(fields)


def _assert_bounded(client: Client, url: str) -> None:
    form = "application/x-www-form-urlencoded"
    for body in (_too_big(), _too_many()):
        response = client.post(url, body, content_type=form)
        assert response.status_code == 400, (url, response.status_code)
        assert b"Traceback" not in response.content
    multipart = {"csrfmiddlewaretoken": CSRF}
    multipart.update({f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    assert client.post(url, multipart).status_code == 400, url


def test_the_bounds_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000


@pytest.mark.parametrize(
    "url",
    [
        reverse("login"),
        reverse("password_reset"),
        "/admin/login/",
        reverse("secretariat:application-create"),
    ],
)
def test_public_forms_refuse_oversized_posts(db, url):
    _assert_bounded(_client(), url)


def test_every_city_form_refuses_oversized_posts(world, mayor):  # noqa: F811
    client = _client(mayor)
    for name, kwargs, data, _allowed in _cases(world):
        if data is not None:
            _assert_bounded(client, reverse(name, kwargs=kwargs))


def test_every_admin_form_refuses_oversized_posts(db):
    client = _client(SecretariatUserFactory())
    for model, _model_admin in registered_admins():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        _assert_bounded(client, reverse(f"{prefix}_changelist"))  # the actions
        _assert_bounded(client, reverse(f"{prefix}_add"))
