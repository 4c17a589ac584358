import pytest

from members.selectors import cities_by_country, network_numbers, search_cities


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Durres", ["Durrës"]),
        ("kirklareli", ["Kırklareli"]),
        ("KIRKLARELI", ["Kırklareli"]),
        ("Kırklareli", ["Kırklareli"]),
        ("canakkale", ["Çanakkale"]),
        ("constanta", ["Constanța"]),
        ("laktasi", ["Laktaši"]),
        ("tekirdag", ["Tekirdağ"]),
        ("shkod", ["Shkodër"]),
        ("zzz", []),
    ],
)
def test_search_ignores_case_and_diacritics(db, query, expected):
    assert [c.name for c in search_cities(query)] == expected


def test_network_numbers_count_active_cities_and_countries(db):
    assert network_numbers() == {"cities": 25, "countries": 11}


def test_cities_are_grouped_by_country(db):
    groups = {country.code: [c.name for c in cities] for country, cities in cities_by_country()}
    assert groups["AL"] == ["Durrës", "Shkodër", "Tirana"]
    assert groups["XK"] == ["Pristina", "Prizren"]
    assert len(groups) == 11
