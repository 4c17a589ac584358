"""The admin site is ours everywhere: the second factor and the secretariat's titles."""

from django.contrib import admin
from django.urls import reverse

from b40.admin_site import SecretariatAdminSite


def test_the_default_admin_site_is_the_secretariats():
    assert isinstance(admin.site, SecretariatAdminSite)  # through AdminConfig.default_site
    assert admin.site.name == "admin"  # not django-otp's "otpadmin": admin: URLs reverse
    assert reverse("admin:index") == "/admin/"


def test_the_admin_pages_carry_the_secretariats_titles(secretariat_client):
    page = secretariat_client.get(reverse("admin:index")).content.decode()
    assert "<title>The secretariat&#x27;s desk | B40 secretariat</title>" in page
    assert "B40 Permanent Secretariat" in page


def test_the_login_goes_to_the_staff_login_when_the_second_factor_is_required(client, settings):
    settings.ADMIN_REQUIRE_OTP = True
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))
    settings.ADMIN_REQUIRE_OTP = False
    assert client.get(reverse("admin:login")).status_code == 200  # Django's own login


def test_the_index_lists_the_models_without_a_sidebar_on_every_page(secretariat_client):
    index = secretariat_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:members_city_changelist")}"' in index
    members = secretariat_client.get(reverse("admin:app_list", args=["members"])).content.decode()
    assert f'href="{reverse("admin:members_person_changelist")}"' in members
    cities = secretariat_client.get(reverse("admin:members_city_changelist")).content.decode()
    assert 'id="nav-sidebar"' not in cities  # AdminSite.enable_nav_sidebar is off
