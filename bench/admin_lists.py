"""Time the admin's change lists in-process: ms per request (median) and queries per list.

    python -m bench.admin_lists [--only NAME ...] [--profile NAME] [--sql NAME]

The wall time drifts with the machine's load; the process's CPU time (Python: the ORM, the
templates) and the SQL time of one request drift less (on PostgreSQL, the server's own
execution time of each query, from EXPLAIN ANALYZE). Run it on a generated network
(``python -m bench.generate --cities 1000``). Each list is read as the superuser
``bench.staff`` with a verified second factor, through Django's test client
(no server, no network): the figure is the view's own cost, the same in every run's order.
"""

import argparse
import collections
import cProfile
import json
import os
import pstats
import re
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b40.settings.local")

LISTS = [
    ("cities", "members", "city"),
    ("people", "members", "person"),
    ("users", "members", "user"),
    ("countries", "members", "country"),
    ("mails", "outbox", "mail"),
    ("summits", "presidency", "summit"),
    ("mandates", "presidency", "mandate"),
    ("delegations", "presidency", "delegation"),
    ("candidacies", "presidency", "candidacy"),
    ("elections", "presidency", "election"),
    ("rounds", "presidency", "round"),
    ("ballot records", "presidency", "ballotrecord"),
    ("ballot attempts", "presidency", "ballotattempt"),
    ("lot draws", "presidency", "lotdraw"),
    ("groups", "workinggroups", "workinggroup"),
    ("meetings", "workinggroups", "meeting"),
    ("extra sessions", "workinggroups", "extrasessionrequest"),
    ("applications", "secretariat", "application"),
    ("roster", "secretariat", "rostermember"),
    ("goals", "secretariat", "goal"),
    ("goal progress", "secretariat", "goalprogress"),
    ("recommendations", "secretariat", "recommendation"),
    ("follow-ups", "secretariat", "followup"),
    ("announcements", "secretariat", "announcement"),
    ("deliveries", "secretariat", "announcementdelivery"),
    ("annual reports", "reports", "annualreport"),
]


def _execution_ms(connection, sql: str) -> float:
    if not sql.startswith("SELECT"):
        return 0.0
    times = []
    with connection.cursor() as cursor:
        for _n in range(3):  # the best of three: the first may read pages from disk
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")  # noqa: S608 - ours
            times.append(float(cursor.fetchone()[0][0]["Execution Time"]))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", nargs="*", help="list names (default: all)")
    parser.add_argument("--profile", help="a list's name: print its cProfile top 25")
    parser.add_argument("--sort", default="cumulative", help="the profile's order")
    parser.add_argument("--sql", help="a list's name: print its queries with their times")
    args = parser.parse_args()
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.probe import session_cookie
    from members.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_cookie(User.objects.get(username="bench.staff"), otp=True)
    result = []
    for name, app, model in LISTS:
        if args.only and name not in args.only:
            continue
        url = reverse(f"admin:{app}_{model}_changelist")
        for _warm in range(2):
            response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as context:
            client.get(url, secure=True)
        queries = list(context.captured_queries)  # the next request clears the log
        timings, cpu = [], []
        for _n in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url, secure=True)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        if connection.vendor == "postgresql":  # the server's own time, less drift than ours
            sql_ms = sum(_execution_ms(connection, q["sql"]) for q in queries)
        result.append(
            {
                "list": name,
                "ms": round(statistics.median(timings), 1),
                "python_cpu_ms": round(statistics.median(cpu), 1),
                "queries": len(queries),
                "sql_ms": round(sql_ms, 1),
            }
        )
        if args.sql == name:
            groups = collections.defaultdict(list)  # the same query but for its numbers
            for q in queries:
                groups[re.sub(r"\d+", "N", q["sql"])].append(float(q["time"]) * 1000)
            for sql, times in sorted(groups.items(), key=lambda g: -sum(g[1])):
                shown = re.sub(r"^SELECT .*? FROM", "SELECT … FROM", sql)[:240]
                print(f"{len(times):3d}× {sum(times):6.1f} ms  {shown}")
        if args.profile == name:
            profile = cProfile.Profile()
            profile.enable()
            for _n in range(5):
                client.get(url, secure=True)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(45)
    for row in result:
        print(
            f"{row['list']:16} {row['ms']:7.1f} ms  {row['python_cpu_ms']:7.1f} ms CPU"
            f"  {row['queries']:3d} queries  {row['sql_ms']:6.1f} ms SQL"
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
