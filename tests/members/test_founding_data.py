"""The founding members are data (facts F1–F3, rule M1)."""

import datetime

from members.enums import FoundingSignatory
from members.models import City, Country
from presidency.models import Summit

BY_DELEGATE = {"Constanța", "Çanakkale", "Pristina", "Prizren"}


def test_founding_cities_are_the_25_of_fact_f2(db):
    founders = City.objects.filter(is_founding=True)
    assert founders.count() == 25
    assert set(founders.values_list("joined_on", flat=True)) == {datetime.date(2021, 11, 30)}


def test_founding_countries_are_the_11_of_fact_f2(db):
    codes = set(City.objects.filter(is_founding=True).values_list("country__code", flat=True))
    assert codes == {"TR", "RS", "GR", "BA", "ME", "BG", "HR", "AL", "MK", "RO", "XK"}
    assert Country.objects.get(code="SI").eligible  # eligible, not a founder (rule M2)


def test_four_founders_signed_through_a_delegate(db):
    by_delegate = City.objects.filter(founding_signatory=FoundingSignatory.DELEGATE)
    assert set(by_delegate.values_list("name", flat=True)) == BY_DELEGATE
    assert City.objects.filter(founding_signatory=FoundingSignatory.MAYOR).count() == 21


def test_names_keep_their_diacritics_and_slugs_are_ascii(db):
    names = set(City.objects.values_list("name", flat=True))
    assert {
        "Laktaši",
        "Durrës",
        "Shkodër",
        "Kırklareli",
        "Tekirdağ",
        "Çanakkale",
        "Constanța",
    } <= names
    for slug in City.objects.values_list("slug", flat=True):
        assert slug.isascii()


def test_bulgaria_is_represented_by_kardzhali(db):
    assert list(City.objects.filter(country__code="BG").values_list("name", flat=True)) == [
        "Kardzhali"
    ]


def test_founding_summit_is_istanbul_2021(db):
    summit = Summit.objects.get(year=2021)
    assert summit.host_city.name == "Istanbul"
    assert (summit.starts_on, summit.ends_on) == (
        datetime.date(2021, 11, 29),
        datetime.date(2021, 11, 30),
    )


def test_secretariat_group_can_manage_cities_but_not_add_or_delete_them(db):
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Secretariat").permissions.values_list("codename", flat=True)
    )
    assert {"view_city", "change_city", "view_mail", "add_person"} <= codenames
    # rule M2: a city joins by admission at a summit, never added in the admin
    assert "add_city" not in codenames
    assert "delete_city" not in codenames
