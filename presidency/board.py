"""The ballot board of a round: trackers, the digest chain and the published document.

Plain functions on plain data, no database: the services write with them, the views and
``manage.py verify_board`` read with them, and a city's IT office can redo all of it with
the few lines of Python in the README.

- A **tracker** is drawn for every ballot: ten characters of an alphabet without look-alikes
  (no 0/O, 1/I/L), read out in two groups of five. It is stored with the vote, never with
  the city (RELIABILITY 11).
- Every ballot is an **entry** ``{"tracker": …, "choice": "Tirana (AL)" or null}`` (an
  open ballot adds the voter's ``"city"``), written as canonical JSON (sorted keys, no
  spaces, UTF-8).
- Entries are **chained**: an entry's digest is SHA-256 of the previous digest (hex)
  followed by the entry's canonical JSON. The chain starts from the round's genesis,
  SHA-256 of ``"B40 ballot board <year> round <n>"``, so a board cannot pass for another
  round's. While the round is open the chain runs in the order ballots come in; at the
  close it is sealed in tracker order (an order that reveals nothing about who voted when)
  and its last digest is mailed to every member city.
"""

import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field

TRACKER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKER_LENGTH = 10
FORMAT = "b40-ballot-board/1"


def new_tracker() -> str:
    """A fresh tracker from the operating system's CSPRNG: 31^10, about 8·10^14 values."""
    return "".join(secrets.choice(TRACKER_ALPHABET) for _ in range(TRACKER_LENGTH))


def normalize_tracker(text: str) -> str:
    """What a person typed, as stored: in capitals, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def is_tracker(text: str) -> bool:
    return len(text) == TRACKER_LENGTH and all(ch in TRACKER_ALPHABET for ch in text)


def spaced(tracker: str) -> str:
    """``"7KQ2MXR9TP"`` → ``"7KQ2M-XR9TP"``, as printed and read out."""
    half = TRACKER_LENGTH // 2
    return f"{tracker[:half]}-{tracker[half:]}" if len(tracker) == TRACKER_LENGTH else tracker


def city_label(name: str, country_code: str) -> str:
    """A city as the board names it: city names are unique only within a country."""
    return f"{name} ({country_code})"


def genesis(year: int, number: int) -> str:
    return hashlib.sha256(f"B40 ballot board {year} round {number}".encode()).hexdigest()


def entry(tracker: str, choice: str | None, city: str | None = None) -> dict:
    """One ballot as the board shows it; ``city`` only for an open (named) ballot."""
    item = {"tracker": tracker, "choice": choice}
    if city is not None:
        item["city"] = city
    return item


def canonical(item: dict) -> str:
    return json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link(previous: str, item: dict) -> str:
    """The digest of ``item`` following ``previous`` in the chain."""
    return hashlib.sha256((previous + canonical(item)).encode()).hexdigest()


def chain(start: str, items: list[dict]) -> list[str]:
    """The digest after each item, from ``start``."""
    digests, digest = [], start
    for item in items:
        digest = link(digest, item)
        digests.append(digest)
    return digests


def tracker_order(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda item: item["tracker"])


def document(
    *,
    year: int,
    number: int,
    secret: bool,
    candidates: list[str],
    voted: list[str],
    items: list[dict],
    closed_at: str,
) -> dict:
    """The round's board as published (and downloaded as JSON): sealed in tracker order."""
    start = genesis(year, number)
    ordered = tracker_order(items)
    digests = chain(start, ordered)
    counts = Counter(item["choice"] for item in ordered)
    return {
        "format": FORMAT,
        "election": year,
        "round": number,
        "secret": secret,
        "closed_at": closed_at,
        "candidates": sorted(candidates),
        "voted": sorted(voted),
        "genesis": start,
        "entries": [{**item, "digest": d} for item, d in zip(ordered, digests, strict=True)],
        "count": {name: counts.get(name, 0) for name in sorted(candidates)},
        "abstentions": counts.get(None, 0),
        "digest": digests[-1] if digests else start,
    }


@dataclass
class Verification:
    """What recomputing a board found; ``ok`` when nothing."""

    digest: str
    count: dict[str, int]
    abstentions: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(board: dict, *, expected_digest: str | None = None) -> Verification:
    """Recompute a board's chain and count from its entries alone, as a city would.

    Reports (in English, for the command line and the logs) every entry whose digest does not
    follow, a count or a final digest that differs from the board's, a ballot count that is
    not the number of cities that voted, a repeated tracker, and a final digest other than
    ``expected_digest`` (the one mailed at the close), when given.
    """
    problems = []
    entries = board.get("entries", [])
    digest = genesis(board["election"], board["round"])
    if board.get("genesis") != digest:
        problems.append("the board's genesis is not this round's")
    counts: Counter = Counter()
    for position, item in enumerate(entries, start=1):
        plain = {key: value for key, value in item.items() if key != "digest"}
        digest = link(digest, plain)
        if item.get("digest") != digest:
            problems.append(f"entry {position} ({item.get('tracker')}): its digest does not follow")
        counts[item.get("choice")] += 1
    trackers = [item.get("tracker") for item in entries]
    if trackers != sorted(trackers) or len(set(trackers)) != len(trackers):
        problems.append("the trackers are not in order, or one is repeated")
    count = {name: counts.get(name, 0) for name in board.get("candidates", [])}
    unknown = set(counts) - set(count) - {None}
    if unknown:
        problems.append(f"votes for names not on the ballot: {sorted(unknown)}")
    if count != board.get("count") or counts.get(None, 0) != board.get("abstentions"):
        problems.append("the published count is not what the entries give")
    if len(entries) != len(board.get("voted", [])):
        problems.append(
            f"{len(entries)} ballots but {len(board.get('voted', []))} cities that voted"
        )
    if digest != board.get("digest"):
        problems.append("the published final digest is not what the entries give")
    if expected_digest is not None and digest != expected_digest:
        problems.append(f"the final digest {digest} is not the one mailed, {expected_digest}")
    return Verification(
        digest=digest, count=count, abstentions=counts.get(None, 0), problems=problems
    )
