"""What one page of the benchmark costs in-process: ms of this process's CPU per request
(median), the queries it asks, and on request a cProfile of it.

    python -m bench.profile_page [--only NAME ...] [--profile NAME] [--sort tottime]
        [--database b40_bench | --db sqlite] [--cache-url redis://127.0.0.1:6379/11]

The pages are bench/pages.py's, read with the production settings as bench/run.py starts
gunicorn (bench/settings.py), through Django's test client: no server, no network, no wrk.
CPU time drifts less than wall time on a shared machine; it leaves out the database
server's own time. Run it on a generated network (``python -m bench.generate``).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "b40_bench"))
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/11")
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", nargs="*", help="page names (default: all but the POST)")
    parser.add_argument("--profile", help="a page's name: print its cProfile")
    parser.add_argument("--sort", default="cumulative", help="the profile's order")
    parser.add_argument("--lines", type=int, default=40, help="the profile's length")
    args = parser.parse_args()

    from bench.run import environment

    os.environ.update(
        environment(
            args.db, database=args.database, cache_url=args.cache_url, broker_url="memory://"
        )
    )
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import pages
    from bench.probe import session_cookie
    from members.models import User

    cookies = {
        "city": session_cookie(User.objects.get(username="bench.mayor")),
        "admin": session_cookie(User.objects.get(username="bench.staff"), otp=True),
    }
    for name, kind, url in pages():
        if kind == "post" or (args.only and name not in args.only):
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if kind in cookies:
            client.cookies["sessionid"] = cookies[kind]

        def get(client=client, url=url):
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        get()
        get()  # warm: imports, compiled templates, translations, the page cache
        reset_queries()  # each request clears the log: count before the next one
        with CaptureQueriesContext(connection) as context:
            get()
        queries = len(context.captured_queries)
        cpu, wall = [], []
        for _n in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            get()
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        print(
            f"{name:24} {statistics.median(cpu):7.2f} ms CPU {statistics.median(wall):7.2f} ms"
            f" {queries:3d} queries",
            flush=True,
        )
        if args.profile == name:
            profile = cProfile.Profile()
            profile.enable()
            for _n in range(10):
                get()
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
