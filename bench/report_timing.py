"""Time the annual report on a synthetic network: 1,000 cities, 60 working groups, ten years
of meetings with their attendance, and a year of goals, recommendations and mail.

    python -m bench.report_timing                 # PostgreSQL, database b40_reports_bench
    python -m bench.report_timing --db sqlite     # the embedded default

The database is dropped and created again, migrated, filled (bulk inserts, fixed seed),
then the report of the 2025 mandate is built several times; the table shows the median.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
YEARS = range(2016, 2026)


def prepare_environment(db: str) -> None:
    if db == "postgres":
        for command in ("dropdb", "createdb"):
            args = [command, "-h", "127.0.0.1", "-U", "postgres", "b40_reports_bench"]
            if command == "dropdb":
                args.insert(1, "--if-exists")
            subprocess.run(args, check=True)  # noqa: S603  # nosec B603: fixed arguments
        url = "postgres://postgres@127.0.0.1:5432/b40_reports_bench"
    else:
        path = ROOT / "bench" / "results" / "report-bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "b40.settings.local"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("CELERY_BROKER_URL", None)  # the build runs in this process, eagerly


def aware(*args) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(*args))


def generate_network(rng: random.Random, *, cities: int, groups: int) -> dict:
    from django.utils import timezone

    from bench.generate import generate_members
    from members.models import City, User
    from outbox.enums import MailState
    from outbox.models import Mail
    from presidency.models import Mandate
    from secretariat.enums.workspace import AdoptedBy, Audience, FollowUpState, Party, RosterRole
    from secretariat.models.workspace import (
        Announcement,
        AnnouncementDelivery,
        FollowUp,
        Goal,
        GoalProgress,
        Recommendation,
        RosterMember,
    )
    from workinggroups.enums import GroupState, MeetingKind
    from workinggroups.models import Attendance, GroupMembership, Meeting, WorkingGroup

    counts: dict[str, int] = {}
    generate_members(rng, cities=cities)
    city_ids = list(City.objects.values_list("pk", flat=True))
    counts["cities"] = len(city_ids)
    now = timezone.now()
    existing = WorkingGroup.objects.count()
    WorkingGroup.objects.bulk_create(
        WorkingGroup(
            name=f"Bench group {n:02d}",
            slug=f"bench-group-{n:02d}",
            topic="(bench)",
            state=GroupState.ACTIVE,
            created_on=datetime.date(2016, 1, 1),
            presidency_approved_at=now,
            secretariat_approved_at=now,
        )
        for n in range(existing, groups)
    )
    group_ids = list(WorkingGroup.objects.values_list("pk", flat=True))
    counts["groups"] = len(group_ids)
    members: dict[int, list[int]] = {g: [] for g in group_ids}
    memberships = []
    for city_id in city_ids:
        for group_id in rng.sample(group_ids, 3):
            members[group_id].append(city_id)
            memberships.append(GroupMembership(group_id=group_id, city_id=city_id))
    GroupMembership.objects.bulk_create(memberships, batch_size=5000)
    counts["memberships"] = len(memberships)
    meetings = []
    for group_id in group_ids:
        for year in YEARS:
            for month in (2, 5, 8, 11):
                start = aware(year, month, 10, 11)
                meetings.append(
                    Meeting(
                        group_id=group_id,
                        kind=MeetingKind.REGULAR,
                        regular_slot=start.date(),
                        starts_at=start,
                        ends_at=start + datetime.timedelta(minutes=90),
                    )
                )
            if rng.random() < 0.5:
                start = aware(year, rng.randint(1, 12), 20, 11)
                meetings.append(
                    Meeting(
                        group_id=group_id,
                        kind=MeetingKind.EXTRA,
                        starts_at=start,
                        ends_at=start + datetime.timedelta(minutes=90),
                    )
                )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    counts["meetings"] = len(meetings)
    attendance = []
    for meeting_id, group_id in Meeting.objects.values_list("pk", "group_id"):
        for city_id in members[group_id]:
            draw = rng.random()
            if draw < 0.75:
                attendance.append(Attendance(meeting_id=meeting_id, city_id=city_id, present=True))
            elif draw < 0.85:
                attendance.append(Attendance(meeting_id=meeting_id, city_id=city_id, present=False))
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    counts["attendance"] = len(attendance)

    tirana = City.objects.get(slug="tirana")
    mandate, _ = Mandate.objects.get_or_create(year=YEAR, defaults={"city": tirana})
    goals = Goal.objects.bulk_create(
        Goal(
            mandate=mandate,
            title=f"Goal {n}",
            indicator="cities",
            unit="cities",
            baseline=0,
            target=100,
            proposed_by=Party.SECRETARIAT,
            secretariat_agreed_at=now,
            presidency_agreed_at=now,
        )
        for n in range(10)
    )
    GoalProgress.objects.bulk_create(
        GoalProgress(goal=goal, value=rng.randint(0, 120), recorded_on=datetime.date(YEAR, m, 1))
        for goal in goals
        for m in (3, 6, 9)
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            year=YEAR,
            number=n + 1,
            title=f"Recommendation {n + 1}",
            text="(bench)",
            adopted_by=AdoptedBy.PRESIDENCY,
            adopted_on=datetime.date(YEAR, 3, 1),
        )
        for n in range(20)
    )
    follow_ups = [
        FollowUp(
            recommendation=recommendation,
            city_id=city_id,
            state=rng.choice([FollowUpState.WILL_FOLLOW, FollowUpState.DONE]),
        )
        for recommendation in recommendations
        for city_id in rng.sample(city_ids, len(city_ids) // 2)
    ]
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
    counts["follow_ups"] = len(follow_ups)
    announcements = Announcement.objects.bulk_create(
        Announcement(
            title=f"Announcement {n}",
            body="(bench)",
            audience=Audience.ALL,
            sent_at=aware(YEAR, 1 + n % 12, 5),
        )
        for n in range(20)
    )
    mails = Mail.objects.bulk_create(
        (
            Mail(
                to=["x@bench.example"],
                subject="(bench)",
                body="(bench)",
                state=rng.choice([MailState.SENT] * 9 + [MailState.FAILED]),
            )
            for _ in range(len(announcements) * len(city_ids))
        ),
        batch_size=5000,
    )
    Mail.objects.update(created_at=aware(YEAR, 6, 1))
    deliveries = [
        AnnouncementDelivery(
            announcement=announcement, city_id=city_id, mail=mails[i * len(city_ids) + j]
        )
        for i, announcement in enumerate(announcements)
        for j, city_id in enumerate(city_ids)
    ]
    AnnouncementDelivery.objects.bulk_create(deliveries, batch_size=5000)
    counts["mails"] = len(mails)
    for n in range(5):
        user, _ = User.objects.get_or_create(
            username=f"bench.roster{n}", defaults={"is_staff": True}
        )
        RosterMember.objects.create(
            user=user,
            role=RosterRole.SECRETARY if n == 0 else RosterRole.EXPERT,
            english_fluent=True,
            active_from=datetime.date(2020, 1, 1),
        )
    return counts


def time_report(runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from presidency.models import Mandate
    from reports import rendering, selectors, services
    from reports.models import AnnualReport

    mandate = Mandate.objects.get(year=YEAR)
    timings = []
    with CaptureQueriesContext(connection) as queries:
        selectors.compute_figures(mandate)
    for _ in range(runs):
        started = time.perf_counter()
        selectors.compute_figures(mandate)
        timings.append(time.perf_counter() - started)
    report = services.request_report(mandate=mandate)  # outside a transaction: on_commit runs now
    report = AnnualReport.objects.get(pk=report.pk)
    if report.state != "done":  # no broker configured here: the task ran eagerly already
        services.build_report(report_id=report.pk)
        report.refresh_from_db()
    started = time.perf_counter()
    services.request_report(mandate=mandate)
    report.refresh_from_db()
    build = time.perf_counter() - started
    started = time.perf_counter()
    html = rendering.render_to_string(
        "reports/annualreport_pdf.html", rendering.report_context(report)
    )
    render_html = time.perf_counter() - started
    started = time.perf_counter()
    pdf = rendering.render_pdf(report)
    render_pdf = time.perf_counter() - started
    started = time.perf_counter()
    annex = rendering.render_csv(report)
    render_csv = time.perf_counter() - started
    return {
        "queries": len(queries.captured_queries),
        "figures_median_s": round(statistics.median(timings), 3),
        "figures_runs_s": [round(t, 3) for t in timings],
        "build_task_s": round(build, 3),
        "state": report.state,
        "html_s": round(render_html, 3),
        "html_kb": round(len(html) / 1024),
        "pdf_s": round(render_pdf, 3),
        "pdf_kb": round(len(pdf) / 1024),
        "csv_s": round(render_csv, 3),
        "csv_rows": annex.count("\n"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=40)
    args = parser.parse_args()
    prepare_environment(args.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        counts = generate_network(random.Random(args.seed), cities=args.cities, groups=args.groups)
    generated = time.perf_counter() - started
    result = {"db": args.db, "rows": counts, "generated_s": round(generated, 1)}
    result.update(time_report(args.runs))
    for key, value in result.items():
        print(f"{key:>18}: {value}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"report-timing-{args.db}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
