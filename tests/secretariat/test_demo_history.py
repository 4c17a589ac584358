"""The demo tells five years of the network's life, and its published reports say what
their figures show (issue 22)."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from members.models import City, User
from presidency.enums import RoundOutcome
from presidency.models import Election, Mandate
from reports.models import AnnualReport
from secretariat import demo_history
from secretariat.enums.applications import ApplicationState
from secretariat.models.applications import Application
from workinggroups.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def published() -> list[AnnualReport]:
    return list(AnnualReport.objects.filter(published=True).order_by("year"))


# --- the history ------------------------------------------------------------------------


def test_every_expired_mandate_has_its_published_report(demo):
    assert [report.year for report in published()] == [2022, 2023, 2024, 2025]
    assert list(Mandate.objects.order_by("year").values_list("year", "city__slug")) == [
        (2022, "istanbul"),
        (2023, "belgrade"),
        (2024, "thessaloniki"),
        (2025, "sarajevo"),
        (2026, "athens"),
    ]


def test_the_history_obeys_the_charter(demo):
    # rule S6: the president of N hosts the summit of N; rule S4: never two years running
    for mandate in Mandate.objects.select_related("elected_at"):
        assert mandate.elected_at.year == mandate.year - 1  # rule S5
    elections = Election.objects.filter(summit__year__lte=2025).order_by("summit__year")
    assert [e.summit.host_city.slug for e in elections] == [
        "istanbul",
        "istanbul",
        "belgrade",
        "thessaloniki",
        "sarajevo",
    ]
    runoffs = [e.summit.year for e in elections if e.rounds.count() > 1]
    assert runoffs == [2023, 2024]
    assert elections[2].rounds.get(number=1).outcome == RoundOutcome.RUNOFF
    # 2024: a tie for second place settled by a published lot between Kotor and Pula
    first_2024 = elections[3].rounds.get(number=1)
    assert first_2024.outcome == RoundOutcome.SECOND_TIE
    assert [c["city"] for c in first_2024.lot_draw.candidates] == ["Kotor", "Pula"]
    assert first_2024.lot_draw.winner in elections[3].rounds.get(number=2).candidates.all()
    # rule M2: admitted at their summits, on its first day
    admitted = Application.objects.filter(state=ApplicationState.ADMITTED).select_related(
        "city", "summit"
    )
    assert admitted.count() == 8
    assert all(a.city.joined_on == a.summit.starts_on for a in admitted)
    assert City.objects.filter(status="active").count() == 32  # 33 joined, Tekirdağ left
    states = set(Application.objects.values_list("state", flat=True))
    assert {ApplicationState.DECLINED, ApplicationState.WITHDRAWN} <= states
    # the admitted cities voted at their summit's election (rule P1: the frozen electorate)
    ohrid = City.objects.get(name="Ohrid (demo)")
    assert elections[1].rounds.get().electorate.filter(pk=ohrid.pk).exists()
    assert not elections[0].rounds.get().electorate.filter(pk=ohrid.pk).exists()


def test_loading_twice_adds_nothing(demo):
    counts = [Mandate.objects.count(), Meeting.objects.count(), Application.objects.count()]
    demo_history.load()
    call_command("load_demo", stdout=io.StringIO())
    assert [Mandate.objects.count(), Meeting.objects.count(), Application.objects.count()] == (
        counts
    )


# --- the reports: real figures, and texts that agree with them ---------------------------


def test_no_published_report_has_empty_figures(demo):
    for report in published():
        f = report.figures
        assert f["summit"]["delegations"] > 0, report.year
        assert f["summit"]["hosted_meals"] > 0, report.year
        assert f["election"]["rounds"], report.year
        assert f["groups"]["totals"]["held"] >= f["groups"]["totals"]["required"] > 0
        assert f["groups"]["totals"]["attendance_rate"], report.year
        assert f["goals"] and all(goal["is_set"] for goal in f["goals"]), report.year
        assert f["recommendations"]["rows"], report.year
        assert f["recommendations"]["average_rate"], report.year
        assert f["membership"]["admitted"], report.year
        assert f["exchange"]["announcements"] > 0, report.year


# Each sentence of the demo's texts that states a number, and what the number must be.
SENTENCES = [
    (
        r"The (\d+) mandate, presided by (.+) \(rules S1, S5\)\.",
        lambda f: (f["mandate"]["year"], f["mandate"]["city"]),
    ),
    (
        r"The network counted (\d+) member cities at the start of the year and (\d+) at its "
        r"end; (\d+) (?:city was|cities were) admitted at the summit \(rule M2\)\.",
        lambda f: (
            f["membership"]["cities_at_start"],
            f["membership"]["cities_at_end"],
            len(f["membership"]["admitted"]),
        ),
    ),
    (
        r"The (\d+) working groups? held (\d+) meetings? against (\d+) required by the "
        r"quarterly cadence \(rule W3\)\.",
        lambda f: tuple(f["groups"]["totals"][k] for k in ("groups", "held", "required")),
    ),
    (
        r"Members asked for (\d+) extra sessions? and (\d+) were held \(rule W4\)\.",
        lambda f: (f["groups"]["totals"]["extra_requested"], f["groups"]["totals"]["extra_held"]),
    ),
    (
        r"(\d+) delegations? registered for the summit in (.+); the host covered (\d+) nights? "
        r"of lodging and (\d+) meals? for (\d+) visiting delegates? \(rule S7\)\.",
        lambda f: tuple(
            f["summit"][k]
            for k in ("delegations", "host", "hosted_nights", "hosted_meals", "hosted_persons")
        ),
    ),
    (
        r"(\d+) of (\d+) goals? agreed by the president and the secretariat \(rule S8\), "
        r"(\d+) achieved\.",
        lambda f: (
            sum(g["is_set"] for g in f["goals"]),
            len(f["goals"]),
            sum(g["is_set"] and g["status"] == "achieved" for g in f["goals"]),
        ),
    ),
    (
        r"(\d+) recommendations? adopted; (\d+) follow-ups? by member cities so far "
        r"\(rule M5\)\.",
        lambda f: (
            len(f["recommendations"]["rows"]),
            sum(r["following"] for r in f["recommendations"]["rows"]),
        ),
    ),
    (
        r"(\d+) announcements? sent, (\d+) of them public\.",
        lambda f: (f["exchange"]["announcements"], f["exchange"]["public_announcements"]),
    ),
    (
        r"The (\d+) summit elected (.+) to preside over the network in (\d+), after (\d+) "
        r"rounds? of voting\.",
        lambda f: (
            f["election"]["summit"],
            f["election"]["elected"],
            f["election"]["summit"] + 1,
            len(f["election"]["rounds"]),
        ),
    ),
]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.)\s+", text.replace("(demo)", "").strip()) if s]


def test_each_number_in_the_reports_texts_is_the_figures(demo):
    checked = 0
    for report in published():
        for text in (report.introduction, report.highlights, report.outlook):
            for sentence in sentences(text):
                if not re.search(r"\d", sentence):
                    continue
                matches = [
                    (match, expected)
                    for pattern, expected in SENTENCES
                    if (match := re.fullmatch(pattern, sentence))
                ]
                assert matches, f"{report.year}: a number nobody checks: {sentence!r}"
                for match, expected in matches:
                    stated = match.groups()
                    assert stated == tuple(str(v) for v in expected(report.figures)), (
                        report.year,
                        sentence,
                    )
                    checked += 1
    assert checked >= 4 * 8


def test_the_report_page_shows_the_narrative_beside_its_tables(demo):
    page = Client().get("/reports/2023/").content.decode()
    report = AnnualReport.objects.get(year=2023)
    assert "after 2 rounds of voting" in report.outlook
    assert report.figures["election"]["rounds"][0]["outcome"] == RoundOutcome.RUNOFF
    held = report.figures["groups"]["totals"]["held"]
    assert f"{held} meetings held against" in page  # the table's sentence
    assert f"held {held} meetings against" in page  # and the introduction's


# --- the pages show a living network -----------------------------------------------------


def test_the_home_page_counts_the_grown_network(demo):
    page = Client().get("/").content.decode()
    assert '<p class="stat mb-0">32</p>' in page
    assert "Athens" in page  # presides over the network in 2026


def test_the_presidency_timeline_shows_every_past_mandate(demo):
    page = Client().get("/presidency/").content.decode()
    for city in ("Istanbul", "Belgrade", "Thessaloniki", "Sarajevo", "Athens"):
        assert city in page
    for year in range(2021, 2027):
        assert f"/presidency/summits/{year}/" in page


def test_a_groups_page_lists_years_of_meetings_with_minutes(demo):
    page = Client().get("/working-groups/local-climate-action/").content.decode()
    past = page.split('id="past-heading"', 1)[1]
    assert past.count('id="meeting-') >= 5 * 4  # every quarter since 2022, and extra sessions
    assert "member cities present" in past  # public minutes


def test_a_city_dashboard_shows_its_history(demo):
    client = Client()
    client.force_login(User.objects.get(username="mayor.tirana"))
    page = client.get("/my-city/").content.decode()
    assert "Athens presides the network in 2026 (demo)" in page  # an announcement of 2025
    assert "Local climate action" in page


def test_the_demo_shows_a_withdrawn_city_a_cancelled_and_a_held_meeting(demo):
    # issue 17: a city that left, with its date and reason, shown apart on the member list
    tekirdag = City.objects.get(slug="tekirdag")
    assert (tekirdag.status, str(tekirdag.left_on)) == ("withdrawn", "2026-10-01")
    assert "(demo)" in tekirdag.withdrawal_reason
    assert not tekirdag.group_memberships.exists()
    page = Client().get("/cities/").content.decode()
    assert "Former members" in page and "Tekirda" in page.split("Former members", 1)[1]
    # a cancelled quarterly meeting with its reason; held meetings with attendance, minutes
    cancelled = Meeting.objects.get(state="cancelled")
    assert "(demo)" in cancelled.cancellation_reason
    held = Meeting.objects.filter(state="held")
    assert held.count() >= 5 * 4
    assert all(m.minutes for m in held)
    assert held.filter(attendances__present=True).exists()
    # rule G1: each mandate with goals has its opening meeting recorded
    from secretariat.models import OpeningMeeting

    assert OpeningMeeting.objects.filter(mandate__goals__isnull=False).distinct().count() >= 3
    group_page = Client().get(cancelled.group.get_absolute_url()).content.decode()
    assert "The heritage festival in the host city" in group_page
