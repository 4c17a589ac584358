"""Demo data: the published annual report of every expired mandate (rule G2), built by the
report service from the demo's history, with texts written from its own figures — so
that what the introduction says is what the tables show. Their PDFs are rendered when the
demo's transaction commits (eagerly without a broker). Idempotent."""

from members.models import User
from presidency.models import Mandate
from reports import services
from reports.models import AnnualReport

DEMO = "(demo)"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def narrative(figures: dict) -> dict[str, str]:
    """The introduction, highlights and outlook of a report, each number taken from
    ``figures`` (the snapshot the page, the PDF and the annex show)."""
    mandate = figures["mandate"]
    year = mandate["year"]
    membership = figures["membership"]
    groups = figures["groups"]["totals"]
    summit = figures.get("summit")
    election = figures.get("election")
    goals = figures["goals"]
    recommendations = figures["recommendations"]["rows"]
    exchange = figures["exchange"]

    introduction = [
        f"{DEMO} The {year} mandate, presided by {mandate['city']} (rules S1, S5).",
        f"The network counted {membership['cities_at_start']} member cities at the start of "
        f"the year and {membership['cities_at_end']} at its end; "
        f"{_plural(len(membership['admitted']), 'city was', 'cities were')} admitted "
        "at the summit (rule M2).",
    ]
    if groups["groups"]:
        introduction.append(
            f"The {_plural(groups['groups'], 'working group', 'working groups')} held "
            f"{_plural(groups['held'], 'meeting', 'meetings')} against {groups['required']} "
            "required by the quarterly cadence (rule W3)."
        )
        asked = _plural(groups["extra_requested"], "extra session", "extra sessions")
        introduction.append(
            f"Members asked for {asked} and {groups['extra_held']} were held (rule W4)."
            if groups["extra_requested"]
            else "No member asked for an extra session (rule W4)."
        )
    else:
        introduction.append("No working group was active.")

    highlights = []
    if summit:
        highlights.append(
            f"{_plural(summit['delegations'], 'delegation', 'delegations')} registered for "
            f"the summit in {summit['host']}; the host covered "
            f"{_plural(summit['hosted_nights'], 'night', 'nights')} of lodging and "
            f"{_plural(summit['hosted_meals'], 'meal', 'meals')} for "
            f"{_plural(summit['hosted_persons'], 'visiting delegate', 'visiting delegates')} "
            "(rule S7)."
        )
    agreed = [goal for goal in goals if goal["is_set"]]
    achieved = [goal for goal in agreed if goal["status"] == "achieved"]
    if goals:
        highlights.append(
            f"{len(agreed)} of {_plural(len(goals), 'goal', 'goals')} agreed by the president "
            f"and the secretariat (rule S8), {len(achieved)} achieved."
        )
    else:
        highlights.append("No goal was set for the mandate.")
    if recommendations:
        following = sum(row["following"] for row in recommendations)
        highlights.append(
            f"{_plural(len(recommendations), 'recommendation', 'recommendations')} adopted; "
            f"{_plural(following, 'follow-up', 'follow-ups')} by member cities so far (rule M5)."
        )
    else:
        highlights.append("No recommendation was adopted.")
    highlights.append(
        f"{_plural(exchange['announcements'], 'announcement', 'announcements')} sent, "
        f"{exchange['public_announcements']} of them public."
    )

    if election and election["elected"]:
        rounds = len(election["rounds"])
        outlook = (
            f"{DEMO} The {election['summit']} summit elected {election['elected']} to preside "
            f"over the network in {election['summit'] + 1}, after "
            f"{_plural(rounds, 'round', 'rounds')} of voting."
        )
    else:
        outlook = f"{DEMO} The summit elects the next presiding city."
    return {
        "introduction": " ".join(introduction),
        "highlights": " ".join(highlights),
        "outlook": outlook,
    }


def load() -> None:
    staff = User.objects.get(username="secretariat")
    for mandate in services.selectors.mandates_due():
        if AnnualReport.objects.filter(mandate=mandate).exists():
            continue
        publish(mandate=mandate, staff=staff)


def publish(*, mandate: Mandate, staff: User) -> AnnualReport:
    report = services.request_report(mandate=mandate)
    services.build_report(report_id=report.pk)
    report.refresh_from_db()
    for name, text in narrative(report.figures).items():
        setattr(report, name, text)
    report.save(update_fields=["introduction", "highlights", "outlook"])
    return services.publish_report(report=report, by=staff)
