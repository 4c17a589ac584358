"""Names sorted as the reader's language sorts them (issue 18: "Çanakkale" sorted last)."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from common.collation import collation_name, sort_key
from members.selectors import cities_for_list

NAMES = [
    "Zagreb",
    "Çanakkale",
    "Edirne",
    "Ohrid",
    "Ístip",
    "İzmir",
    "Istanbul",
    "Şile",
    "Sarajevo",
    "Čačak",
    "Cetinje",
    "Ürgüp",
    "Ulcinj",
    "Kırklareli",
    "Kicevo",
    "Öhringen",
    "Ağrı",
    "Agios",
    "durrës",
    "Durrës",
    "Тирана",
    "Шумен",
    "Айтос",
    "Ямбол",
    "Ъглен",
]


def ordered(names, collation):
    return sorted(names, key=lambda name: sort_key(name, collation))


def test_turkish_letters_follow_their_latin_neighbour():
    assert ordered(["Edirne", "Çanakkale", "Cetinje", "Dobrich"], "tr-x-icu") == [
        "Cetinje",
        "Çanakkale",
        "Dobrich",
        "Edirne",
    ]
    # Turkish: ı before i, I pairs with ı and İ with i.
    assert ordered(["İzmir", "Istanbul", "Ilıca"], "tr-x-icu") == ["Ilıca", "Istanbul", "İzmir"]


def test_other_languages_sort_accents_with_their_base_letter():
    assert ordered(["Zagreb", "Çanakkale", "Edirne", "Cetinje"], "und-x-icu") == [
        "Çanakkale",
        "Cetinje",
        "Edirne",
        "Zagreb",
    ]
    assert ordered(["Ямбол", "Ъглен", "Айтос", "Шумен"], "bg-x-icu") == [
        "Айтос",
        "Шумен",
        "Ъглен",
        "Ямбол",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "und-x-icu"), ("bg", "bg-x-icu"), ("tr", "tr-x-icu"), ("de", "und-x-icu")],
)
def test_each_language_has_its_collation(language, expected):
    assert collation_name(language) == expected


@pytest.mark.parametrize("language", ["en", "bg", "tr"])
def test_the_member_list_puts_canakkale_first_among_turkish_cities(db, language):
    with translation.override(language):
        turkish = [city.name for city in cities_for_list() if city.country.code == "TR"]
    assert turkish[0] == "Çanakkale", turkish


def test_the_member_list_orders_countries_by_their_name_in_the_language(client, db):
    html = client.get(reverse("secretariat:city-list"), HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    # Bulgarian: Албания … България … Турция (not the English order Albania, Bosnia…, Bulgaria).
    positions = [
        html.index(name) for name in ["Албания", "Босна и Херцеговина", "България", "Турция"]
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("collation", ["und-x-icu", "bg-x-icu", "tr-x-icu"])
def test_python_order_is_postgresql_icu_order(db, collation):
    """On PostgreSQL the database sorts; SQLite's collations (computed in Python) agree."""
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's ICU collations")
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT name FROM unnest(%s::text[]) AS name ORDER BY name COLLATE "{collation}"',
            [NAMES],
        )
        in_database = [row[0] for row in cursor.fetchall()]
    assert ordered(NAMES, collation) == in_database
