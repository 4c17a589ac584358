"""The ballot board (issue 20): trackers, the chain, the sealed board, the mailed digest, the
"check my ballot" page, and no link from a city to a tracker anywhere (RELIABILITY 11)."""

import io
import json
import logging
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from members.enums import PersonRole
from members.models import Person
from outbox.models import Mail
from presidency import board, services
from presidency.models import Round, Vote
from tests.factories import CityUserFactory
from tests.presidency.conftest import city, start_voting, vote

VOTE_URL = reverse("presidency:ballot-cast", kwargs={"year": 2026})
CHECK_URL = reverse("presidency:ballot-check")


def cast_on_the_site(slug: str, choice) -> str:
    """A mayor votes on the site and reads the tracker off the confirmation page."""
    client = Client()
    client.force_login(CityUserFactory(city=city(slug), username=f"mayor.{slug}"))
    response = client.post(VOTE_URL, {"choice": choice.pk if choice else "abstain"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r"data-tracker>([0-9A-Z]{5}-[0-9A-Z]{5})<", response.content.decode())
    return board.normalize_tracker(match.group(1))


@pytest.fixture
def closed_round(election, staff):
    for slug in ("kotor", "pula"):
        Person.objects.create(
            city=city(slug), role=PersonRole.MAYOR, name=slug, email=f"mayor@{slug}.example"
        )
    """Round 1, secret: Kotor and Durrës for Split, Pula for Tirana, Edirne abstains."""
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    trackers = {
        "kotor": cast_on_the_site("kotor", split),
        "durres": cast_on_the_site("durres", split),
        "pula": cast_on_the_site("pula", tirana),
        "edirne": cast_on_the_site("edirne", None),
    }
    services.close_round(round=round_, by=staff)
    round_.refresh_from_db()
    return round_, trackers


def test_trackers_are_short_unambiguous_and_printed_in_two_groups():
    drawn = {board.new_tracker() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(board.is_tracker(t) and not set(t) & set("01ILO") for t in drawn)
    assert board.spaced("7KQ2MXR9TP") == "7KQ2M-XR9TP"
    assert board.normalize_tracker(" 7kq2m-xr9tp ") == "7KQ2MXR9TP"


def test_each_city_finds_its_tracker_with_its_choice_on_the_board(client, closed_round):
    round_, trackers = closed_round
    sealed = {e["tracker"]: e["choice"] for e in round_.board["entries"]}
    assert sealed == {
        trackers["kotor"]: "Split (HR)",
        trackers["durres"]: "Split (HR)",
        trackers["pula"]: "Tirana (AL)",
        trackers["edirne"]: None,
    }
    # Sorted by tracker, so that the order says nothing of who voted when.
    assert [e["tracker"] for e in round_.board["entries"]] == sorted(trackers.values())
    assert round_.board["voted"] == ["Durrës (AL)", "Edirne (TR)", "Kotor (ME)", "Pula (HR)"]
    assert round_.board["count"] == {"Split (HR)": 2, "Tirana (AL)": 1}
    assert round_.board["abstentions"] == 1
    page = client.get(round_.get_board_url()).content.decode()
    for tracker in trackers.values():
        assert board.spaced(tracker) in page
    assert round_.board_digest in page
    assert "the chain, the count and the final digest agree" in page
    # Linked from the summit's page, with the digest.
    summit = client.get(round_.election.summit.get_absolute_url()).content.decode()
    assert round_.get_board_url() in summit and round_.board_digest in summit


def test_the_downloaded_board_recounts_to_the_result_and_the_mailed_digest(client, closed_round):
    round_, _ = closed_round
    url = reverse("presidency:round-board-json", kwargs={"year": 2026, "number": 1})
    response = client.get(url)
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    # The README's few lines of plain Python, as a city's IT office runs them.
    digest, count = document["genesis"], {}
    for e in document["entries"]:
        entry = {k: v for k, v in e.items() if k != "digest"}
        text = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = __import__("hashlib").sha256((digest + text).encode()).hexdigest()
        assert digest == e["digest"]
        count[e["choice"]] = count.get(e["choice"], 0) + 1
    assert count == {"Split (HR)": 2, "Tirana (AL)": 1, None: 1}
    assert round_.get_outcome_display() and round_.elected.city.name == "Split"
    # Every member city with an address got the digest in a mail at the close.
    mails = Mail.objects.filter(kind="election-board")
    assert sorted(tuple(m.to) for m in mails) == [("mayor@kotor.example",), ("mayor@pula.example",)]
    assert all(digest in mail.body and "Split 2" in mail.body for mail in mails)
    assert digest == round_.board_digest


def test_a_vote_altered_after_the_close_no_longer_gives_the_mailed_digest(closed_round):
    round_, trackers = closed_round
    out = io.StringIO()
    call_command("verify_board", "2026", "1", stdout=out)
    assert "The board verifies." in out.getvalue()
    # Somebody with the database changes Pula's ballot from Tirana to Split.
    split = round_.candidates.get(city__slug="split")
    Vote.objects.filter(tracker=trackers["pula"]).update(choice=split)
    err = io.StringIO()
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify_board", "2026", "1", stdout=io.StringIO(), stderr=err)
    assert "not the one mailed" in err.getvalue()
    assert trackers["pula"] in err.getvalue()
    assert not services.verify_round_board(round=round_).ok
    # A dropped ballot is caught as well.
    Vote.objects.filter(tracker=trackers["kotor"]).delete()
    assert not services.verify_round_board(round=round_).ok


def test_a_downloaded_board_edited_by_hand_does_not_verify(closed_round, tmp_path):
    round_, trackers = closed_round
    document = json.loads(json.dumps(round_.board))
    path = tmp_path / "board.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("verify_board", file=str(path), digest=round_.board_digest, stdout=io.StringIO())
    first = document["entries"][0]
    first["choice"] = "Tirana (AL)" if first["choice"] != "Tirana (AL)" else "Split (HR)"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("verify_board", file=str(path), stdout=io.StringIO(), stderr=io.StringIO())
    result = board.verify(document, expected_digest=round_.board_digest)
    assert any("does not follow" in p for p in result.problems)


def test_a_ballot_changed_while_the_round_is_open_stops_the_close(election, staff, caplog):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    vote(round_, {"kotor": split, "pula": tirana}, by=staff)
    Vote.objects.filter(choice=tirana).update(choice=split)
    with caplog.at_level(logging.ERROR), pytest.raises(ValidationError, match="chain"):
        services.close_round(round=round_, by=staff)
    assert Round.objects.get(pk=round_.pk).is_open
    assert "chain of round" in caplog.text
    # A dropped ballot too.
    Vote.objects.filter(choice=split).first().delete()
    with pytest.raises(ValidationError, match="chain"):
        services.close_round(round=round_, by=staff)


def test_check_my_ballot(client, closed_round):
    round_, trackers = closed_round
    page = client.post(CHECK_URL, {"tracker": board.spaced(trackers["pula"]).lower()})
    html = page.content.decode()
    assert "Tirana" in html and round_.get_board_url() in html
    assert "no-store" in page["Cache-Control"]
    missing = client.post(CHECK_URL, {"tracker": "22222-22222"}).content.decode()
    assert "No closed round has a ballot with this tracker" in missing
    wrong = client.post(CHECK_URL, {"tracker": "O1IL0-<b>x"}).content.decode()
    assert "A tracker is ten letters and digits" in wrong
    assert "<b>x" not in wrong


def test_an_open_round_has_no_board_and_its_trackers_are_not_found(client, election, staff):
    round_, (split,) = start_voting(election, "split", by=staff)
    tracker = services.cast_ballot(
        round=round_, city=city("kotor"), choice=split, by=staff, paper=True
    ).tracker
    assert client.get(round_.get_board_url()).status_code == 404
    html = client.post(CHECK_URL, {"tracker": tracker}).content.decode()
    assert "No closed round has a ballot with this tracker" in html


def test_an_open_ballot_board_names_each_city(client, election, staff):
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff, secret=False)
    vote(round_, {"kotor": split, "pula": tirana}, by=staff)
    services.close_round(round=round_, by=staff)
    round_.refresh_from_db()
    named = {e["city"]: e["choice"] for e in round_.board["entries"]}
    assert named == {"Kotor (ME)": "Split (HR)", "Pula (HR)": "Tirana (AL)"}
    assert round_.board["secret"] is False
    assert board.verify(round_.board, expected_digest=round_.board_digest).ok
    assert "Named vote: every ballot with the city that cast it." in (
        client.get(round_.get_board_url()).content.decode()
    )


def test_no_table_log_or_mail_links_a_city_to_its_tracker(election, staff, caplog):
    """RELIABILITY 11: trackers live in the votes (and the published board), nowhere else."""
    caplog.set_level(logging.DEBUG)
    round_, (split, tirana) = start_voting(election, "split", "tirana", by=staff)
    trackers = [cast_on_the_site("kotor", split), cast_on_the_site("pula", tirana)]
    paper = services.cast_ballot(
        round=round_, city=city("edirne"), choice=None, by=staff, paper=True
    ).tracker
    trackers.append(paper)
    services.close_round(round=round_, by=staff)
    allowed = {Vote._meta.db_table, Round._meta.db_table}
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            text = repr(cursor.fetchall())
            hits = [t for t in trackers if t in text]
            if hits:
                found[table] = hits
    assert set(found) <= allowed, found
    # The round holds the trackers only in its published board: no city beside them there.
    for entry in Round.objects.get(pk=round_.pk).board["entries"]:
        assert set(entry) == {"tracker", "choice", "digest"}
    for mail in Mail.objects.all():
        assert not any(t in mail.body or t in mail.subject for t in trackers)
    assert not any(t in caplog.text for t in trackers)


def test_the_admin_shows_the_board_and_its_recount_checks_the_mailed_digest(
    closed_round, secretariat_client
):
    round_, trackers = closed_round
    page = secretariat_client.get(
        reverse("admin:presidency_round_change", args=[round_.pk])
    ).content.decode()
    assert round_.board_digest in page and round_.get_board_url() in page
    assert 'name="board_digest"' not in page  # shown, never editable
    changelist = reverse("admin:presidency_round_changelist")
    recount = {"action": "recount", "_selected_action": [str(round_.pk)]}
    ok = secretariat_client.post(changelist, recount, follow=True).content.decode()
    assert "give the ballot board" in ok
    split = round_.candidates.get(city__slug="split")
    Vote.objects.filter(tracker=trackers["pula"]).update(choice=split)
    bad = secretariat_client.post(changelist, recount, follow=True).content.decode()
    assert "not the one mailed" in bad


def test_the_readme_lines_recompute_a_downloaded_board(client, closed_round, tmp_path, capsys):
    """The few lines of plain Python the README gives a city's IT office work as printed."""
    round_, _ = closed_round
    url = reverse("presidency:round-board-json", kwargs={"year": 2026, "number": 1})
    name = "b40-ballot-board-2026-round-1.json"
    (tmp_path / name).write_bytes(client.get(url).content)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("recomputes a downloaded board with plain Python 3:")[1]
    snippet = snippet.split("```python\n")[1].split("```")[0]
    assert name in snippet
    exec(compile(snippet.replace(name, str(tmp_path / name)), "README", "exec"), {})  # noqa: S102
    printed = capsys.readouterr().out
    assert printed.startswith(round_.board_digest)
    assert "'Split (HR)': 2" in printed and printed.rstrip().endswith("True")
