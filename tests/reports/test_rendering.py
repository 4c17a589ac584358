"""The PDF as a reader sees it: every label beside its own value, in every language.

The text is extracted with ``pdftotext -layout`` (poppler-utils), which keeps what is side
by side on the page on one line: a label whose value slid down beside the next label (the
float layout of issue 18) shows the wrong figure on the label's line.
"""

import datetime
import re
import shutil
import subprocess

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from presidency.enums import SummitState
from reports import rendering, services
from tests.conftest import IN_CI

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def pdftotext():
    if PDFTOTEXT is None:
        if IN_CI:
            pytest.fail("CI needs pdftotext (apt-get install poppler-utils)")
        pytest.skip("no pdftotext (apt-get install poppler-utils): PDF layout test skipped")
    return PDFTOTEXT


def layout_text(pdf: bytes, pdftotext: str) -> list[str]:
    out = subprocess.run(  # noqa: S603  # nosec B603: a fixed program, our own bytes
        [pdftotext, "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return out.stdout.decode().splitlines()


def value_beside(lines: list[str], label: str) -> str | None:
    """The value on the line where ``label`` starts; the label may wrap, its words then
    going on at the start of the next lines (the value column holds nothing else there
    unless the value wraps too)."""
    words = label.split()
    for head_size in range(len(words), 0, -1):
        head, tail = words[:head_size], words[head_size:]
        pattern = re.compile(r"^\s*" + r"\s+".join(map(re.escape, head)) + r"\s{2,}(\S.*?)\s*$")
        for number, line in enumerate(lines):
            match = pattern.match(line)
            if match is None:
                continue
            following = [
                re.split(r"\s{2,}", text.strip())[0] for text in lines[number + 1 : number + 4]
            ]
            if " ".join(following).split()[: len(tail)] == tail:
                return match.group(1)
    return None


def expected_rows() -> list[tuple[str, str]]:
    """The facts of the 2025 report (tests/reports/conftest.py), in the active language."""

    def day(year, month, day_):
        return date_format(datetime.date(year, month, day_), "DATE_FORMAT")

    return [
        (gettext("Presiding city"), f"Tirana ({pgettext('country', 'Albania')})"),
        (gettext("Mayor"), "Erion Veliaj"),
        (gettext("Mandate"), f"{day(2025, 1, 1)} – {day(2025, 12, 31)}"),
        (gettext("Elected at the summit of"), "2024"),
        (gettext("Summit"), f"2025, Tirana — Palace of Congresses ({SummitState.CLOSED.label})"),
        (gettext("Dates"), f"{day(2025, 10, 15)} – {day(2025, 10, 16)}"),
        (gettext("Delegations registered"), "3"),
        (gettext("Delegations present"), "2"),
        (gettext("Delegates"), "3"),
        (
            gettext("Covered by the host (rule S7)"),
            gettext("%(persons)s visiting delegates, %(nights)s nights of lodging, %(meals)s meals")
            % {"persons": 2, "nights": 3, "meals": 15},
        ),
        (gettext("Member cities at the start of the mandate"), "26"),
        (gettext("Member cities at the end of the mandate"), "26"),
        (gettext("Applications received"), "3"),
        (
            gettext("Applications decided"),
            gettext("%(n)s (%(admitted)s admitted, %(declined)s declined)")
            % {"n": 2, "admitted": 1, "declined": 1},
        ),
        (gettext("Applications withdrawn"), "1"),
        (gettext("Applications open at the end"), "1"),
        (gettext("Announcements sent"), "2 ({})".format(gettext("%(n)s public") % {"n": 1})),
        (gettext("Cities reached"), "4"),
        (gettext("Mails delivered"), "2"),
        (gettext("Mails failed"), "1"),
        (gettext("Mails still queued"), "1"),
    ]


@pytest.fixture
def report(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(mandate=network)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("language", ["en", "bg", "tr"])
def test_each_label_of_the_pdf_stands_beside_its_own_value(report, pdftotext, language):
    lines = layout_text(rendering.render_pdf_bytes(report, language), pdftotext)
    with translation.override(language):
        rows = expected_rows()
        slovenia = pgettext("country", "Slovenia")
    found = {label: value_beside(lines, label) for label, _value in rows}
    assert found == dict(rows)
    # The election's tallies: each candidate's votes on the candidate's line.
    assert any(re.search(r"Skopje: 2\b", line) for line in lines)
    assert any(re.search(r"Split: 1\b", line) for line in lines)
    # The admitted city's country in the edition's language.
    assert any(re.search(rf"Novo Mesto\s+{re.escape(slovenia)}\s", line) for line in lines)


def test_the_country_names_are_those_of_the_reader(report):
    with translation.override("bg"):
        figures = rendering.figures_for_display(report)
    assert figures["mandate"]["country"] == "Албания"
    assert figures["membership"]["admitted"][0]["country"] == "Словения"


def test_a_snapshot_without_country_codes_is_translated_by_name(report):
    del report.figures["mandate"]["country_code"]
    with translation.override("tr"):
        figures = rendering.figures_for_display(report)
    assert figures["mandate"]["country"] == "Arnavutluk"
