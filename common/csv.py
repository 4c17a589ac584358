"""CSV that a spreadsheet opens as data, never as formulas (CSV injection, OWASP).

Every export writes through ``writer()``: each cell goes through ``escape_cell`` and every
cell is quoted. A cell a spreadsheet would read as a formula gets a leading apostrophe,
which spreadsheets show as text. Quoting every cell keeps a ``;`` inside a cell from
splitting it where the spreadsheet's separator is ``;`` (Excel in most of Europe), so
``a;=cmd`` cannot become a cell of its own.
"""

import csv
from decimal import Decimal
from typing import Any

# What makes a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula,
# the full-width and small forms included, which some of them fold to the ASCII ones.
TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63")
# What a spreadsheet may skip or split on before it looks at the first character: white
# space of any kind, a quote, a separator.
LEADING = " \t\r\n\v\f\u00a0\u3000\ufeff\"';,|"


def escape_cell(value: Any) -> str:
    """``value`` as text a spreadsheet shows as it is (a number stays a number)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)  # -5 is a number, not a formula
    text = "" if value is None else str(value)
    if text[:1] in TRIGGERS or text.lstrip(LEADING)[:1] in TRIGGERS:
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` with every cell escaped and quoted."""

    def __init__(self, out) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_ALL)

    def writerow(self, row) -> None:
        self._writer.writerow([escape_cell(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def writer(out) -> SafeWriter:
    return SafeWriter(out)
