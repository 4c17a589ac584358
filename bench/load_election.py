"""The election under load (issue 8): every member city of a 1,000-city network votes
within one minute against gunicorn on PostgreSQL, while membership applications are filed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/b40_load python -m bench.load_election

The database named in DATABASE_URL is dropped and rebuilt: migrations, the members of
bench/generate.py, an election with an open round, one mayor per city logged in by
creating their session directly. Then gunicorn (production settings, behind a pretend
proxy on 127.0.0.1 so each applicant has their own X-Forwarded-For) takes the load from
threads of this process: each mayor loads the ballot page and posts the ballot, arrivals
spread over ``--window`` seconds (``--window 0``: all at once, to find the ceiling); each
applicant loads the form, takes the minimum fill time, and posts it.

Afterwards, from the database: ballot records == votes == mayors shown a tracker on their
confirmation page == the electorate, no refused attempt, no 5xx, every applicant's
application stored. Then the round is closed (``services.close_round``, which refuses a
broken arrival chain) and checked as issue 20 asks: it recounts to its result,
``services.verify_round_board`` is ok, every mayor's tracker is on the board with the choice
that mayor posted, and there is one final digest: the round's, the board's own, and the one
in every "election-board" mail (one per member city with an address). Prints the figures
and writes bench/results/load-election-*.json. Exits 1 if any check fails.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORT = 8775
PROXY = "127.0.0.1"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/b40_load"


def environment(database_url: str, cache_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "b40.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "TRUSTED_PROXIES": PROXY,
        "EMAIL_URL": "dummymail://",  # the outbox records every mail; nothing is printed
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_BROKER_URL", None)  # mail tasks run in-process (eager), as without Redis
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def reset_database(database_url: str, env: dict) -> None:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    args += ["-U", parts.username or "postgres"]
    subprocess.run(["dropdb", *args, "--if-exists", name], env=env, check=True)
    subprocess.run(["createdb", *args, name], env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "members.backends.CityModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def prepare(cities: int) -> dict:
    """The network, the election with round 1 open, and a logged-in mayor per city."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from bench.generate import generate_members
    from common.clock import frozen_at
    from members.enums import CityRole
    from members.models import City, Country, User
    from members.selectors import active_cities
    from presidency import services
    from presidency.models import Election, Summit

    with transaction.atomic():
        generate_members(random.Random(40), cities=cities)  # noqa: S311 - test data
    staff = User.objects.get(username="bench.staff")
    year = max(Summit.objects.values_list("year", flat=True), default=2026) + 1
    summit = Summit.objects.create(
        year=year,
        host_city=City.objects.get(slug="athens"),
        starts_on=datetime.date(year, 11, 20),
        ends_on=datetime.date(year, 11, 21),
        venue="Load test",
        state="open",
    )
    # rule S2: candidacies on the summit's eve, the round opened on its first day.
    eve = timezone.make_aware(datetime.datetime(year, 11, 19, 12))
    with frozen_at(eve):
        election = services.open_candidacy(
            election=Election.objects.create(summit=summit, is_secret=True), by=staff
        )
        candidates = [
            services.submit_candidacy(election=election, city=city, by=staff)
            for city in City.objects.filter(slug__startswith="benchgrad-").order_by("slug")[:3]
        ]
        services.close_candidacy(election=election, by=staff)
    with frozen_at(eve + datetime.timedelta(days=1)):
        round_ = services.open_round(election=election, by=staff)
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=f"load.{city.slug}",
                city=city,
                city_role=CityRole.MAYOR,
                password=unusable,
            )
            for city in active_cities()
        ],
        batch_size=500,
    )
    mayors = [
        {"city": user.city.slug, "session": session_for(user)}
        for user in User.objects.filter(username__startswith="load.").select_related("city")
    ]
    return {
        "year": year,
        "round": round_.pk,
        "electorate": round_.electorate.count(),
        "choices": [str(c.pk) for c in candidates] + ["abstain"],
        "mayors": mayors,
        "country": Country.objects.filter(eligible=True).order_by("pk").first().pk,
    }


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {}
        self.statuses: dict[str, dict[int, int]] = {}

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append(seconds)
            counts = self.statuses.setdefault(kind, {})
            counts[status] = counts.get(status, 0) + 1


_local = threading.local()


def request(
    rec: Recorder, kind: str, method: str, path: str, *, headers: dict, body: str | None = None
) -> tuple[int, dict, bytes]:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    all_headers = {
        "Host": f"127.0.0.1:{PORT}",
        "X-Forwarded-Proto": "https",
        "Origin": f"https://127.0.0.1:{PORT}",
        **headers,
    }
    if body is not None:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        content = response.read()
        status, response_headers = response.status, dict(response.getheaders())
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.conn = None
        status, response_headers, content = 599, {}, b""
    rec.add(kind, status, time.perf_counter() - started)
    if response_headers.get("Connection", "").lower() == "close":
        conn.close()
    return status, response_headers, content


TRACKER = re.compile(rb"data-tracker>([0-9A-Z]{5})-([0-9A-Z]{5})<")


def vote(rec: Recorder, mayor: dict, *, year: int, choice: str, at: float) -> tuple[int, str]:
    """The mayor's ballot: the answer's status and the tracker its confirmation page shows."""
    time.sleep(max(0.0, at - time.time()))
    csrf = secrets.token_hex(16)  # 32 characters: Django takes an unmasked secret too
    cookie = {"Cookie": f"sessionid={mayor['session']}; csrftoken={csrf}"}
    url = f"/presidency/summits/{year}/vote/"
    status, _h, page = request(rec, "ballot page", "GET", url, headers=cookie)
    if status != 200 or b'name="choice"' not in page:
        return status, ""
    body = urlencode({"csrfmiddlewaretoken": csrf, "choice": choice})
    status, _h, receipt = request(rec, "ballot post", "POST", url, headers=cookie, body=body)
    match = TRACKER.search(receipt) if status == 200 else None
    return status, (match.group(1) + match.group(2)).decode() if match else ""


TOKEN = re.compile(rb'name="form_token" value="([^"]+)"')


def apply(rec: Recorder, n: int, *, country: int, at: float, fill_seconds: float) -> int:
    time.sleep(max(0.0, at - time.time()))
    client = {"X-Forwarded-For": f"198.18.{n // 250}.{n % 250 + 1}"}
    csrf = secrets.token_hex(16)
    headers = {**client, "Cookie": f"csrftoken={csrf}"}
    status, _h, page = request(rec, "apply page", "GET", "/apply/", headers=headers)
    match = TOKEN.search(page)
    if status != 200 or not match:
        return status
    time.sleep(fill_seconds)  # people take a while (RELIABILITY 14)
    body = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "form_token": match.group(1).decode(),
            "city_name": f"Loadville {n:04d}",
            "country": country,
            "mayor_name": f"Mayor {n}",
            "contact_name": f"Contact {n}",
            "contact_position": "International relations",
            "contact_email": f"contact{n}@loadville.example",
            "contact_phone": "+30 210 000 0000",
            "website": f"https://loadville{n}.example",
            "population": "12000",
            "motivation": "We would like to join the network's work on climate and culture.",
            "consent": "on",
            "homepage": "",
        }
    )
    status, _h, _c = request(rec, "apply post", "POST", "/apply/", headers=headers, body=body)
    return status


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def start_gunicorn(env: dict, workers: int) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "b40.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--forwarded-allow-ips",
            PROXY,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        sys.exit("gunicorn did not start")
    # Warm every worker up (imports, templates, connections) before the clock starts.
    with ThreadPoolExecutor(workers) as pool:
        for _ in range(workers * 4):
            pool.submit(urllib.request.urlopen, f"http://127.0.0.1:{PORT}/readyz", timeout=10)
    return process


DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


def verify(setup: dict, receipts: dict[str, str], chosen: dict[str, str], filed: list[int]) -> dict:
    """``receipts``: city slug -> the tracker its mayor was shown; ``chosen``: city slug -> the
    choice posted (a candidacy's id or "abstain")."""
    from django.core.exceptions import ValidationError

    from members.models import User
    from members.selectors import active_cities, contact_emails_of
    from outbox.models import Mail
    from presidency import board, services
    from presidency.models import BallotAttempt, BallotRecord, Round, Vote
    from secretariat.models.applications import Application

    round_ = Round.objects.get(pk=setup["round"])
    ballots = BallotRecord.objects.filter(round=round_).count()
    votes = Vote.objects.filter(round=round_).count()
    answered = len(receipts)
    refused = BallotAttempt.objects.filter(round=round_, outcome="refused").count()
    stored = set(
        Application.objects.filter(city_name__startswith="Loadville ").values_list(
            "city_name", flat=True
        )
    )
    lost = [n for n in filed if f"Loadville {n:04d}" not in stored]
    figures = {
        "electorate": setup["electorate"],
        "ballot_records": ballots,
        "votes": votes,
        "mayors_shown_a_tracker": answered,
        "refused_attempts": refused,
        "applications_answered_302": len(filed),
        "applications_stored": len(stored),
        "applications_lost": len(lost),
    }
    # The close walks the chain the ballots made as they came in and refuses a broken one.
    started = time.perf_counter()
    try:
        services.close_round(round=round_, by=User.objects.get(username="bench.staff"))
    except ValidationError as exc:
        print(f"the close was refused: {' '.join(exc.messages)}", flush=True)
        return {**figures, "chain_held": False, "ok": False}
    close_seconds = time.perf_counter() - started
    round_.refresh_from_db()
    recount = services.recount_round(round=round_)
    check = services.verify_round_board(round=round_)
    for problem in check.problems:
        print(f"board: {problem}", flush=True)
    # Every mayor finds the tracker shown on the confirmation page with the choice posted.
    labels = {"abstain": None} | {
        str(pk): board.city_label(name, code)
        for pk, name, code in round_.candidates.values_list(
            "pk", "city__name", "city__country__code"
        )
    }
    sealed = {entry["tracker"]: entry["choice"] for entry in round_.board["entries"]}
    found = sum(
        1
        for city, tracker in receipts.items()
        if tracker in sealed and sealed[tracker] == labels[chosen[city]]
    )
    # One final digest: the round's, the sealed board's, the recomputed one, the mailed one.
    mails = list(Mail.objects.filter(kind="election-board").values_list("body", flat=True))
    mailed = {digest for body in mails for digest in DIGEST.findall(body)}
    digests = {round_.board_digest, round_.board["digest"], check.digest} | mailed
    cities_with_address = len(contact_emails_of(list(active_cities())))
    return {
        **figures,
        "chain_held": True,
        "close_seconds": round(close_seconds, 2),
        "recount_matches": recount.matches,
        "board_verifies": check.ok,
        "board_entries": len(round_.board["entries"]),
        "trackers_found_with_their_choice": found,
        "board_mails": len(mails),
        "cities_with_an_address": cities_with_address,
        "final_digests": len(digests),
        "final_digest": round_.board_digest,
        "ok": (
            ballots == votes == answered == setup["electorate"]
            and refused == 0
            and not lost
            and recount.matches
            and check.ok
            and len(round_.board["entries"]) == found == ballots
            and len(mails) == cities_with_address > 0
            and len(digests) == 1
            and DIGEST.fullmatch(round_.board_digest) is not None
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--window", type=float, default=50.0, help="seconds over which to vote")
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--threads", type=int, default=48)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--cache", default="", help="CACHE_URL for gunicorn (e.g. redis://…/10)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not database_url.startswith("postgres"):
        sys.exit("the load scenario runs on PostgreSQL (DATABASE_URL=postgres://…)")
    env = environment(database_url, args.cache)
    print(f"rebuilding {urlsplit(database_url).path.lstrip('/')}…", flush=True)
    reset_database(database_url, env)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    t = time.perf_counter()
    setup = prepare(args.cities)
    connection.close()
    print(
        f"network of {args.cities} cities, electorate {setup['electorate']}, "
        f"{len(setup['mayors'])} mayors logged in ({time.perf_counter() - t:.0f} s)",
        flush=True,
    )
    gunicorn = start_gunicorn(env, args.workers)
    rec = Recorder()
    rng = random.Random(8)  # noqa: S311 - test data
    fill = float(settings.APPLICATION_MIN_FILL_SECONDS) + 0.5
    try:
        start = time.time() + 1.0
        voters = ThreadPoolExecutor(args.threads)
        applicants = ThreadPoolExecutor(max(4, args.threads // 2))
        mayors = setup["mayors"]
        chosen = {m["city"]: rng.choice(setup["choices"]) for m in mayors}
        vote_futures = {
            m["city"]: voters.submit(
                vote,
                rec,
                m,
                year=setup["year"],
                choice=chosen[m["city"]],
                at=start + args.window * i / len(mayors),
            )
            for i, m in enumerate(mayors)
        }
        apply_futures = {
            n: applicants.submit(
                apply,
                rec,
                n,
                country=setup["country"],
                at=start + max(args.window, 10) * n / max(1, args.applications),
                fill_seconds=fill,
            )
            for n in range(args.applications)
        }
        statuses = {city: f.result() for city, f in vote_futures.items()}
        voting_done = time.time()
        filed_statuses = {n: f.result() for n, f in apply_futures.items()}
        finished = time.time()
        voters.shutdown()
        applicants.shutdown()
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)
    filed = [n for n, s in filed_statuses.items() if s == 302]
    receipts = {city: tracker for city, (_status, tracker) in statuses.items() if tracker}
    checks = verify(setup, receipts, chosen, filed)
    total = sum(len(v) for v in rec.samples.values())
    server_errors = sum(n for c in rec.statuses.values() for s, n in c.items() if s >= 500)
    checks["no_5xx"] = server_errors == 0
    checks["ok"] = checks["ok"] and checks["no_5xx"] and len(filed) == args.applications
    rows = []
    for kind, samples in sorted(rec.samples.items()):
        rows.append(
            {
                "kind": kind,
                "requests": len(samples),
                "p50_ms": round(percentile(samples, 50) * 1000, 1),
                "p99_ms": round(percentile(samples, 99) * 1000, 1),
                "max_ms": round(max(samples) * 1000, 1),
                "statuses": rec.statuses[kind],
            }
        )
    voting_seconds = voting_done - start
    summary = {
        "cities": args.cities,
        "window_s": args.window,
        "gunicorn_workers": args.workers,
        "client_threads": args.threads,
        "voting_seconds": round(voting_seconds, 1),
        "all_seconds": round(finished - start, 1),
        "requests": total,
        "requests_per_s": round(total / (finished - start), 1),
        "ballots_per_s": round(checks["ballot_records"] / voting_seconds, 1),
        "server_errors": server_errors,
        "rows": rows,
        "checks": checks,
    }
    print(f"\n{'request':<14} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses")
    for row in rows:
        print(
            f"{row['kind']:<14} {row['requests']:>6} {row['p50_ms']:>8} {row['p99_ms']:>8} "
            f"{row['max_ms']:>8}  {row['statuses']}"
        )
    print(
        f"\nvoting took {voting_seconds:.1f} s ({summary['ballots_per_s']} ballots/s); "
        f"{total} requests in {finished - start:.1f} s ({summary['requests_per_s']} req/s)"
    )
    print(json.dumps(checks, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-election-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(summary, indent=2))
    print(f"written to {out.relative_to(ROOT)}")
    sys.exit(0 if checks["ok"] else 1)


if __name__ == "__main__":
    main()
