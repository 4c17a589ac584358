"""One snapshot, three outputs: the HTML page, the PDF (WeasyPrint) and the CSV annex."""

import csv
import datetime
import io
import re

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from members.adminkit import _csv_safe
from presidency.enums import ElectionState, RoundOutcome, SummitState
from reports import charts
from reports.models import AnnualReport
from secretariat.enums.workspace import AdoptedBy, GoalStatus, RosterRole
from workinggroups.enums import GroupState

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PDF_CACHE_SECONDS = 60 * 60 * 24


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


def figures_for_display(report: AnnualReport) -> dict:
    """The snapshot with labels in the reader's language and the charts drawn."""
    figures = _dates(report.figures or {})
    if not figures:
        return {}
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
    }
    return figures


def report_context(report: AnnualReport) -> dict:
    return {"report": report, "figures": figures_for_display(report)}


def render_pdf(report: AnnualReport) -> bytes:
    """The PDF of the report, cached until the report changes (in any of its texts)."""
    stamp = report.updated_at.timestamp() if report.updated_at else 0
    key = f"reports:pdf:{report.pk}:{stamp}:{get_language()}"
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import CSS, HTML

        html = render_to_string("reports/annualreport_pdf.html", report_context(report))
        stylesheet = CSS(filename=finders.find("css/report-print.css"))
        pdf = HTML(string=html).write_pdf(stylesheets=[stylesheet])
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


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
    writer = csv.writer(out)
    writer.writerow(["section", "item", "measure", "value"])
    for row in annex_rows(report.figures or {}):
        writer.writerow([_csv_safe(cell) for cell in row])
    return out.getvalue()
