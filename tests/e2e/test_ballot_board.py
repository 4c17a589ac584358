"""Issue 20 in a real Chromium: three cities vote in a secret round and each notes the tracker
shown on its confirmation page; the secretariat closes the round in the admin; each mayor finds
the tracker with its choice on the round's ballot board, reached from the summit's page, and
on the "check my ballot" page; the board's JSON, downloaded through its link and recounted by
the lines of Python the board page prints, gives the published count and the final digest
mailed to every member city at the close."""

import ast
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import as_user
from tests.presidency.conftest import CLOCK

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Who votes for whom: the radio button's label on the ballot, and the choice as the board
# names it (a city with its country: names are unique only within a country).
VOTERS = {
    "kotor": ("Split", "Split (HR)"),
    "durres": ("Split", "Split (HR)"),
    "pula": ("Tirana", "Tirana (AL)"),
}
DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


@pytest.fixture
def secret_round(summit_eve):
    """The 2026 election, secret, with Split and Tirana standing and round 1 open; the
    three voting cities have a mayor with an address, who gets the election's mails."""
    from members.enums import PersonRole
    from members.models import City, Person
    from presidency import services
    from tests.factories import CityUserFactory, ElectionFactory

    summit, staff = summit_eve
    for slug in VOTERS:
        city = City.objects.get(slug=slug)
        Person.objects.create(
            city=city, role=PersonRole.MAYOR, name=f"Mayor of {city.name}",
            email=f"mayor@{slug}.example",
        )  # fmt: skip
        CityUserFactory(city=city, username=f"mayor.{slug}")
    election = services.open_candidacy(election=ElectionFactory(summit=summit), by=staff)
    assert election.is_secret
    for slug in ("split", "tirana"):
        services.submit_candidacy(election=election, city=City.objects.get(slug=slug), by=staff)
    services.close_candidacy(election=election, by=staff)
    CLOCK.to_summit()
    services.open_round(election=election, by=staff)
    return election


def cast_and_note_the_tracker(page, site, slug: str, label: str) -> str:
    as_user(page, site, f"mayor.{slug}")
    page.get_by_role("link", name="Vote in round 1").click()
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Cast the ballot").click()
    expect(page.get_by_role("heading", name="Your city's ballot is cast")).to_be_visible()
    tracker = page.locator("[data-tracker]")
    expect(tracker).to_have_text(re.compile(r"^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$"))
    return tracker.inner_text()


def published_count(page) -> dict:
    """The count table of the board page, as {choice: ballots}; abstentions under None."""
    table = page.get_by_role("table", name="Ballots per candidate, counted from the board")
    count = {}
    for row in table.locator("tbody tr").all():
        name = row.get_by_role("rowheader").inner_text().strip()
        count[None if name == "Abstentions" else name] = int(row.get_by_role("cell").inner_text())
    return count


def test_three_cities_vote_and_verify_the_board(site, page, secret_round, tmp_path):
    from outbox.models import Mail
    from presidency.models import Round

    trackers = {
        slug: cast_and_note_the_tracker(page, site, slug, label)
        for slug, (label, _choice) in VOTERS.items()
    }
    assert len(set(trackers.values())) == 3
    # The tracker was shown once: back on the city's page, it is nowhere.
    page.get_by_role("link", name="Back to your city's page").click()
    expect(page.get_by_text("Your city voted in round 1 at")).to_be_visible()
    expect(page.get_by_text(trackers["pula"])).to_have_count(0)

    # The secretariat closes the round through the admin's action.
    as_user(page, site, "secretariat")
    page.goto(f"{site}/admin/presidency/election/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label="Close the open round and count it")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        "Round 1 of the 2026 election closed: Split 2, Tirana 1, 0 abstentions. "
        "A candidate is elected."
    )

    # Each mayor finds the tracker with the city's choice on the board and on the check page.
    for slug, (label, choice) in VOTERS.items():
        as_user(page, site, f"mayor.{slug}")
        page.goto(f"{site}/presidency/summits/2026/")
        page.get_by_role("link", name="Ballot board of round 1").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Ballot board, round 1 of the 2026 election"
        )
        row = page.get_by_role("row").filter(has_text=trackers[slug])
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell").first).to_have_text(choice)
        expect(page.get_by_text("the chain, the count and the final digest agree")).to_be_visible()

        page.get_by_role("link", name="Check a ballot by its tracker").click()
        page.get_by_label("Tracker").fill(trackers[slug])
        page.get_by_role("button", name="Check").click()
        result = page.locator("section[aria-labelledby=check-result]")
        expect(result).to_contain_text(f"Tracker {trackers[slug]}")
        expect(result.get_by_text("Round 1 of the 2026 election:")).to_have_text(
            f"Round 1 of the 2026 election: {label} · the round's ballot board"
        )

    # A visitor downloads the board and runs the lines of Python printed on its page.
    page.context.clear_cookies()
    page.goto(f"{site}/presidency/summits/2026/rounds/1/board/")
    shown = page.get_by_text(DIGEST)
    expect(shown).to_have_count(1)  # beside "Final digest"
    shown_digest = shown.inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the board (JSON)").click()
    download = info.value
    assert download.suggested_filename == "b40-ballot-board-2026-round-1.json"
    download.save_as(tmp_path / download.suggested_filename)
    script = page.locator("section[aria-labelledby=board-verify] pre").text_content()
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    digest, rest = run.stdout.strip().split(" ", 1)
    recount, whole = rest.rsplit(" ", 1)
    recount = ast.literal_eval(recount)
    assert whole == "True"  # one entry per city that voted

    # The recount is the published count, on the board and in the round's result.
    published = published_count(page)
    assert published == {"Split (HR)": 2, "Tirana (AL)": 1, None: 0}
    assert recount == {name: n for name, n in published.items() if n}
    round_ = Round.objects.get(election=secret_round, number=1)
    assert round_.elected.city.slug == "split"

    # One final digest: the recomputed one is the page's, the round's and every mail's.
    assert digest == shown_digest == round_.board_digest
    mails = Mail.objects.filter(kind="election-board")
    assert sorted(tuple(m.to) for m in mails) == [
        (f"mayor@{slug}.example",) for slug in sorted(VOTERS)
    ]
    assert {d for mail in mails for d in DIGEST.findall(mail.body)} == {digest}
    # The mails carry the digest, not a tracker (RELIABILITY 11).
    compact = {t.replace("-", "") for t in trackers.values()}
    assert not any(t in mail.body for mail in mails for t in [*trackers.values(), *compact])
