"""CSV exports a spreadsheet opens as data, never as formulas (issue 19, item 7)."""

import csv as stdlib_csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from common import csv
from tests.factories import CityFactory

FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "\n=1",
    ' =HYPERLINK("http://evil.example")',
    "\n\n  =1",
    ";=1",
    '"=1',
    "'=1",
    "\u3000=1",  # an ideographic space
    "\uff1d1+1",  # ＝, full-width
    "\uff0b1",  # ＋
    "\uff0d1",  # －
    "\uff20SUM(A1)",  # ＠
    " \uff1d1",
]


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_cell_a_spreadsheet_reads_as_a_formula_is_made_text(cell):
    assert csv.escape_cell(cell) == "'" + cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Kırklareli", "Kırklareli"),
        ("a=b", "a=b"),
        ("Novo Mesto - Dolenjska", "Novo Mesto - Dolenjska"),
        ("", ""),
        (None, ""),
        (-5, "-5"),  # a number is not a formula
        (Decimal("-2.5"), "-2.5"),
        (True, "True"),
    ],
)
def test_other_cells_are_left_as_they_are(value, expected):
    assert csv.escape_cell(value) == expected


def test_every_cell_is_quoted_so_a_semicolon_cannot_split_it():
    out = io.StringIO()
    csv.writer(out).writerow(["a;=1+1", 3, "=2"])
    # Quoted, "a;=1+1" stays one cell where ";" is the spreadsheet's separator.
    assert out.getvalue() == '"a;=1+1","3","\'=2"\r\n'


def test_the_admin_export_escapes_the_cells(secretariat_client):
    city = CityFactory(name='\n=HYPERLINK("http://evil.example")')
    response = secretariat_client.post(
        reverse("admin:members_city_changelist"),
        {"action": "export_as_csv", "_selected_action": [city.pk]},
    )
    rows = list(stdlib_csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[1][0] == "'" + city.name


def test_every_export_writes_through_the_helper():
    """csv.writer anywhere else would skip the escaping."""
    root = Path(settings.BASE_DIR)
    ours = [
        path
        for path in root.rglob("*.py")
        if not {".venv", "tests", "node_modules"} & set(path.relative_to(root).parts)
    ]
    direct = [
        str(path.relative_to(root))
        for path in ours
        if re.search(r"\bcsv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert direct == ["common/csv.py"]
