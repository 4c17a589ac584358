"""What a black-box probe found on PostgreSQL (issue 19, items 1 and 2; RELIABILITY 27).

SQLite forgives both: it stores a NUL byte and ignores a varchar's length. These tests run
in both of CI's passes and guard the PostgreSQL one, where each was a 500.
"""

import pytest
from axes.models import AccessAttempt
from django.db.models import Model
from django.urls import reverse

from members.models import City
from members.selectors import search_cities
from secretariat.models.applications import Application
from tests.factories import ApplicationFactory, CityFactory
from tests.secretariat.test_applications_views import URL, form_data

LONG_CYRILLIC = "Щ" * 30  # 30 characters, 120 once folded ("shch" each)
LONG_CHINESE = "乌鲁木齐市天山区和平北路社区" * 2  # 28 characters, 140 once folded


def admin_form_data(client, url: str, **overrides) -> dict:
    """What the browser posts back from an admin change form, plus ``overrides``."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = [v.pk if isinstance(v, Model) else v for v in value]
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    data.update(overrides)
    return data


# --- 1. a name that grows when folded --------------------------------------------------


@pytest.mark.parametrize("name", [LONG_CYRILLIC, LONG_CHINESE])
def test_the_public_form_takes_a_name_that_folds_past_its_length(client, db, settings, name):
    settings.APPLICATION_RATE_LIMIT = "100/h"
    response = client.post(URL, form_data(city_name=name))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.city_name == name
    assert len(application.search_name) > 100


def test_a_long_folded_name_is_found_by_its_end(db):
    """Why the column holds the whole folded name rather than its first 100 letters."""
    city = CityFactory(name=LONG_CYRILLIC + " Ljubljana")
    assert list(search_cities("LJUBLJANA")) == [city]
    assert list(search_cities(LONG_CYRILLIC + " Lj")) == [city]


def test_the_name_that_folds_the_longest_still_fits_the_index(db):
    # unidecode's longest folding of one character (13 letters), 100 times: 1,300 letters in
    # the unique index (name, country); PostgreSQL's b-tree takes about 2,700 bytes a row.
    city = CityFactory(name="爫" * 100)
    city.refresh_from_db()
    assert len(city.search_name) == 1299


def test_the_admin_city_form_takes_a_name_that_folds_long(secretariat_client):
    city = CityFactory()
    url = reverse("admin:members_city_change", args=[city.pk])
    response = secretariat_client.post(
        url, admin_form_data(secretariat_client, url, name=LONG_CHINESE)
    )
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.name == LONG_CHINESE
    response = secretariat_client.post(
        url, admin_form_data(secretariat_client, url, name=LONG_CYRILLIC)
    )
    assert response.status_code == 302
    assert City.objects.get(pk=city.pk).search_name == "shch" * 30


def test_the_admin_application_form_takes_a_name_that_folds_long(secretariat_client):
    application = ApplicationFactory()
    url = reverse("admin:secretariat_application_change", args=[application.pk])
    data = admin_form_data(secretariat_client, url, city_name=LONG_CYRILLIC)
    assert secretariat_client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert (application.city_name, application.search_name) == (LONG_CYRILLIC, "shch" * 30)


# --- 2. NUL bytes ----------------------------------------------------------------------


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert b"Bad request" in response.content  # the site's page, not a traceback
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/cities/?q=%00",
        "/cities/?q=a%00b",
        "/cities/?a%00b=1",
        "/apply/status/%00/",
        "/apply/sent/%00/",
        "/apply/sent/abc%00def/",
        "/cities/%00/",
    ],
)
def test_a_nul_byte_in_the_path_or_query_is_a_400(client, db, url):
    assert_refused(client.get(url))


def test_a_nul_byte_in_an_admin_filter_is_a_400(secretariat_client):
    url = reverse("admin:members_city_changelist") + "?status__exact=%00"
    assert_refused(secretariat_client.get(url))


def test_a_nul_byte_in_a_form_field_is_a_400_and_stores_nothing(client, db, settings):
    settings.APPLICATION_RATE_LIMIT = "100/h"
    assert_refused(client.post(URL, form_data(city_name="Lju\x00bljana")))
    assert_refused(client.post(URL, form_data(motivation="a\x00")))
    assert not Application.objects.exists()


def test_a_nul_byte_in_a_stored_header_is_a_400(client, mayor, settings):
    """django-axes stores the user agent of a failed login."""
    settings.AXES_ENABLED = True
    login = reverse("login")
    data = {"username": mayor.username, "password": "wrong"}
    assert_refused(client.post(login, data, headers={"user-agent": "probe\x00"}))
    assert_refused(client.get(login, headers={"cookie": "sessionid=abcdefgh\x00ijk"}))
    assert not AccessAttempt.objects.exists()


def test_other_unusual_text_is_not_refused(client, db):
    response = client.get("/cities/", {"q": "Щ\u0301 北京 \x01"})
    assert response.status_code == 200
    assert client.get("/cities/?q=%2500").status_code == 200  # "%00", three characters


def test_an_id_of_no_row_in_the_admin_is_a_404_or_django_s_redirect(secretariat_client):
    """django-simple-history's and django-otp's pages were 500s (b40/admin_site.py)."""
    get = secretariat_client.get
    assert get("/admin/members/city/abc/history/").status_code == 404
    assert get("/admin/members/city/abc/history/1/").status_code == 404
    assert get("/admin/members/city/1/history/abc/").status_code == 404
    assert get("/admin/otp_totp/totpdevice/999999/config/").status_code == 404
    # Django's own change form says so on the admin's index, as ever.
    assert get("/admin/members/city/abc/change/").status_code == 302
