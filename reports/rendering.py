"""One snapshot, three outputs: the HTML page, the PDF (WeasyPrint) and the CSV annex."""

import datetime
import functools
import hashlib
import io
import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common import csv as safe_csv
from members.countries import COUNTRY_NAMES
from presidency.enums import ElectionState, RoundOutcome, SummitState
from presidency.maps import MapCity
from presidency.maps import draw as draw_map
from reports import charts
from reports.models import AnnualReport, ReportDocument
from secretariat.enums.workspace import AdoptedBy, GoalStatus, RosterRole
from workinggroups.enums import GroupState

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _dates(value):
    """The JSON snapshot stores dates as ISO strings; the templates format real dates."""
    if isinstance(value, dict):
        return {key: _dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates(item) for item in value]
    if isinstance(value, str) and ISO_DATE.match(value):
        return datetime.date.fromisoformat(value)
    return value


def _label(choices, code: str) -> str:
    return str(dict(choices.choices).get(code, code))


def network_map(figures: dict, *, year: int, for_print: bool = False):
    """The map of the snapshot's member cities (None for a snapshot taken before it had one):
    those that joined during the mandate marked and named, the presiding city highlighted."""
    section = figures.get("map")
    if not section or not section["cities"]:
        return None
    cities = [
        MapCity(
            name=city["name"],
            url=reverse("secretariat:city-detail", kwargs={"slug": city["slug"]}),
            latitude=city["latitude"],
            longitude=city["longitude"],
            is_founding=city["is_founding"],
            country_code=city["country"],
            is_new=city["joined_in_mandate"],
        )
        for city in section["cities"]
    ]
    presiding = reverse("secretariat:city-detail", kwargs={"slug": section["presiding"]})
    return draw_map(
        cities,
        title=_("The member cities at the end of the %(year)s mandate") % {"year": year},
        presiding_url=presiding,
        hover_labels=not for_print,
        id_prefix="report-map",
    )


def _country_name(row: dict) -> str:
    """The country in the reader's language (members/countries.py). The snapshot keeps the
    code and the English name; a snapshot older than the code is matched on the name."""
    name = COUNTRY_NAMES.get(row.get("country_code") or "")
    if name is None:
        with translation.override("en"):
            by_name = {str(local): local for local in COUNTRY_NAMES.values()}
        name = by_name.get(row.get("country") or "", row.get("country") or "")
    return str(name)


def figures_for_display(report: AnnualReport, *, for_print: bool = False) -> dict:
    """The snapshot with labels in the reader's language and the charts drawn."""
    figures = _dates(report.figures or {})
    if not figures:
        return {}
    figures["mandate"]["country"] = _country_name(figures["mandate"])
    for city in figures["membership"]["admitted"]:
        city["country"] = _country_name(city)
    if figures.get("summit"):
        figures["summit"]["state_label"] = _label(SummitState, figures["summit"]["state"])
    if figures.get("election"):
        election = figures["election"]
        election["state_label"] = _label(ElectionState, election["state"])
        for round_ in election["rounds"]:
            round_["outcome_label"] = _label(RoundOutcome, round_["outcome"])
    for row in figures["groups"]["rows"]:
        row["state_label"] = _label(GroupState, row["state"])
    for goal in figures["goals"]:
        goal["status_label"] = _label(GoalStatus, goal["status"])
    for row in figures["recommendations"]["rows"]:
        row["adopted_by_label"] = _label(AdoptedBy, row["adopted_by"])
    for member in figures["roster"]:
        member["role_label"] = _label(RosterRole, member["role"])
    figures["charts"] = {
        "meetings": charts.meetings_chart(figures["groups"]["rows"]),
        "attendance": charts.attendance_chart(figures["groups"]["by_city"]),
        "goals": charts.goals_chart(figures["goals"]),
        "map": network_map(figures, year=report.year, for_print=for_print),
    }
    return figures


def report_context(report: AnnualReport, *, for_print: bool = False) -> dict:
    return {"report": report, "figures": figures_for_display(report, for_print=for_print)}


# What the PDF is drawn with besides the report's row: a change to one of these (a deploy)
# makes every stored PDF out of date. The source of this module and of the charts is in it
# too; bump PDF_LAYOUT_VERSION for any other change that alters the PDF.
PDF_LAYOUT_VERSION = "1"
_LAYOUT_FILES = (
    "templates/reports/annualreport_pdf.html",
    "templates/reports/_report_body.html",
    "reports/rendering.py",
    "reports/charts.py",
    "templates/reports/_report_map.html",
    "common/maps/__init__.py",
    "common/maps/balkans.json",
    "presidency/maps.py",
)


@functools.cache
def _layout_digest(language: str) -> str:
    digest = hashlib.sha256(PDF_LAYOUT_VERSION.encode())
    paths = [settings.BASE_DIR / name for name in _LAYOUT_FILES]
    paths.append(Path(finders.find("css/report-print.css")))
    paths.append(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo")
    for path in paths:
        digest.update(str(path.name).encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def pdf_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def pdf_language(language: str | None = None) -> str | None:
    """The PDF language for the reader's language (``get_language()`` by default)."""
    try:
        return translation.get_supported_language_variant(language or get_language() or "")
    except LookupError:
        return None


def pdf_fingerprint(report: AnnualReport, language: str) -> str:
    """A hash of everything the PDF in ``language`` shows: the figures, the texts as that
    reader sees them (the fallback language included), the layout. Publishing does not
    change it (the PDF does not say whether it is published)."""
    with translation.override(language):
        content = {
            "layout": _layout_digest(language),
            "language": language,
            "year": report.year,
            "provisional": report.provisional,
            "state": report.state,
            "generated_at": report.generated_at,
            "texts": [report.introduction, report.highlights, report.outlook],
            "figures": report.figures,
        }
    raw = json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def render_pdf_bytes(report: AnnualReport, language: str) -> bytes:
    """Render the PDF with WeasyPrint (seconds at 1,000 cities: see NOTES-pdf.md)."""
    from weasyprint import CSS, HTML

    with translation.override(language):
        html = render_to_string(
            "reports/annualreport_pdf.html", report_context(report, for_print=True)
        )
        stylesheet = CSS(filename=finders.find("css/report-print.css"))
        return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def stored_pdf(report: AnnualReport, language: str) -> bytes | None:
    """The stored PDF, only if it was rendered from the report as it is now."""
    pdf = (
        ReportDocument.objects.filter(
            report=report, language=language, fingerprint=pdf_fingerprint(report, language)
        )
        .values_list("pdf", flat=True)
        .first()
    )
    return None if pdf is None else bytes(pdf)


def render_pdf(report: AnnualReport, language: str | None = None) -> bytes:
    """The PDF rendered now: the fallback when no stored PDF matches the report yet
    (views.pdf_response, which has the stored ones brought up to date)."""
    language = pdf_language(language) or settings.LANGUAGE_CODE
    return render_pdf_bytes(report, language)


def annex_rows(figures: dict) -> list[list]:
    """Every figure behind the report's tables and charts, one per row:
    section, item, measure, value."""
    rows: list[list] = []

    def scalars(section: str, item: str, data: dict, skip: tuple = ()) -> None:
        for key, value in data.items():
            if key in skip or isinstance(value, dict | list):
                continue
            rows.append([section, item, key, "" if value is None else value])

    scalars("mandate", "", figures.get("mandate", {}))
    if figures.get("summit"):
        scalars("summit", "", figures["summit"])
    if figures.get("election"):
        election = figures["election"]
        scalars("election", "", election)
        for round_ in election["rounds"]:
            item = f"round {round_['number']}"
            scalars("election", item, round_)
            for tally in round_["tallies"]:
                rows.append(["election", item, f"votes: {tally['city']}", tally["votes"]])
    membership = figures.get("membership", {})
    scalars("membership", "", membership)
    scalars("membership", "applications", membership.get("applications", {}))
    for city in membership.get("admitted", []):
        scalars("membership", f"admitted: {city['city']}", city, skip=("city",))
    for name in membership.get("withdrawn", []):
        rows.append(["membership", f"withdrawn: {name}", "withdrew", 1])
    groups = figures.get("groups", {})
    for row in groups.get("rows", []):
        scalars("working groups", row["name"], row, skip=("name",))
    scalars("working groups", "total", groups.get("totals", {}))
    for name in groups.get("created", []):
        rows.append(["working groups", name, "created in the mandate", 1])
    for name in groups.get("closed", []):
        rows.append(["working groups", name, "closed in the mandate", 1])
    for row in groups.get("by_city", []):
        scalars("attendance by city", row["city"], row, skip=("city",))
    for goal in figures.get("goals", []):
        scalars("goals", goal["title"], goal, skip=("title",))
    recommendations = figures.get("recommendations", {})
    scalars("recommendations", "", recommendations)
    for row in recommendations.get("rows", []):
        scalars("recommendations", row["reference"], row, skip=("reference",))
    scalars("information exchange", "", figures.get("exchange", {}))
    for member in figures.get("roster", []):
        scalars("roster", member["name"], member, skip=("name",))
    return rows


def render_csv(report: AnnualReport) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 (Kırklareli, Durrës) only with a BOM
    writer = safe_csv.writer(out)
    writer.writerow(["section", "item", "measure", "value"])
    for row in annex_rows(report.figures or {}):
        writer.writerow(row)
    return out.getvalue()
