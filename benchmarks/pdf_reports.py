"""How fast are the committee briefing and the portfolio report, and does the portfolio's memory
stay flat as the pool grows?

    .venv/bin/python benchmarks/pdf_reports.py            # 300 projects; memory at 50, 150, 300
    .venv/bin/python benchmarks/pdf_reports.py --projects 100 --sizes 25,50,100 --runs 5

It makes a throwaway SQLite database in a temporary folder (migrated, then filled with bulk
inserts: one pool per size, each project with three goals, eight quarterly milestones and two
handed-in quarters with goal figures, KPIs and FIP averages), so the development database is
never touched. Then it measures, with time.process_time:

- one committee briefing (2nd quarter 2026 of a three-goal project): the median of `--runs`;
- the portfolio report of each pool, each in its own Python process so that the peak resident
  memory (resource.getrusage ru_maxrss) is that pool's alone; the same process then renders the
  report again under tracemalloc for the peak of Python allocations.

Targets (issue 6): a briefing under 0.5 s CPU; 300 projects under 60 s with flat memory.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

START, END = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
REPORTED = ((2026, 1), (2026, 2))
AS_OF = datetime.date(2026, 11, 23)
NARRATIVE = (
    "Projektet har i kvartalet etableret samarbejde med lokale virksomheder i rengøring, lager og "
    "ældrepleje. Ambassadøren har holdt informationsmøder på sprogcentret og fulgt borgerne i praktik. "
) * 8


def _setup() -> None:
    import django

    django.setup()


def pool_name(size: int) -> str:
    return f"Benchmarkpuljen med {size} projekter"


def build(sizes: list[int]) -> dict[int, int]:
    """A pool of each size; returns {size: pool id}."""
    from applications.accounts import set_person
    from applications.models import Application, Goal, GoalKind, Grant, Municipality, Pool, State
    from monitoring.models import (
        ExpectedValue,
        FipDimension,
        FipScore,
        GoalProgress,
        Milestone,
        NationalKpi,
        QuarterlyReport,
        ReportState,
        Respondent,
    )
    from monitoring.progress import linear_expected
    from monitoring.quarters import Quarter, quarters_between

    reviewer, _created = set_person("bench-reviewer", "reviewer", (), "bench-reviewer@example.test", None)
    applicant, _created = set_person("bench-applicant", "applicant", ("330",), "bench-applicant@example.test", None)
    municipalities = list(Municipality.objects.order_by("code"))
    quarters = quarters_between(START, END)
    for year, quarter in REPORTED:
        NationalKpi.objects.update_or_create(
            year=year,
            quarter=quarter,
            defaults={
                "self_supporting_share": Decimal("38.5"),
                "job_ready_share": Decimal("33"),
                "company_activation_share": Decimal("12"),
            },
        )
    pools: dict[int, int] = {}
    for size in sizes:
        pool = Pool.objects.create(
            name=pool_name(size),
            total_budget=Decimal(size) * Decimal(1_000_000),
            max_grant=Decimal(3_000_000),
            opens_on=datetime.date(2025, 9, 1),
            closes_on=datetime.date(2025, 10, 31),
            project_start_earliest=START,
            project_end_latest=END,
        )
        applications = Application.objects.bulk_create(
            [
                Application(
                    pool=pool,
                    lead_municipality=municipalities[i % len(municipalities)],
                    created_by=applicant,
                    title=f"Beskæftigelsesambassadør {i + 1:03d}",
                    state=State.GRANTED,
                    journal_number=f"B{pool.pk}-{i + 1:04d}",
                    start_date=START,
                    end_date=END,
                )
                for i in range(size)
            ]
        )
        goals = Goal.objects.bulk_create(
            [
                goal
                for application in applications
                for goal in (
                    Goal(
                        application=application,
                        title="Aktivitetsparate kvinder i beskæftigelse",
                        kind=GoalKind.COUNT,
                        target_value=35,
                        cumulative=True,
                    ),
                    Goal(
                        application=application,
                        title="Gennemsnitlig fremmødeprocent",
                        kind=GoalKind.PERCENTAGE,
                        target_value=70,
                        unit="%",
                        cumulative=False,
                    ),
                    Goal(
                        application=application,
                        title="Unge i uddannelse",
                        kind=GoalKind.COUNT,
                        target_value=15,
                        cumulative=True,
                    ),
                )
            ]
        )
        goals_of: dict[int, list[Goal]] = {}
        for goal in goals:
            goals_of.setdefault(goal.application_id, []).append(goal)
        grants = Grant.objects.bulk_create(
            [
                Grant(
                    application=a,
                    amount=Decimal(800_000 + 1_000 * i),
                    start_date=START,
                    end_date=END,
                    granted_by=reviewer,
                )
                for i, a in enumerate(applications)
            ]
        )
        milestones = Milestone.objects.bulk_create(
            [
                Milestone(
                    grant=grant, year=q.year, quarter=q.quarter, report_due_on=q.end + datetime.timedelta(days=30)
                )
                for grant in grants
                for q in quarters
            ]
        )
        ExpectedValue.objects.bulk_create(
            [
                ExpectedValue(
                    milestone=m, goal=goal, value=linear_expected(goal, quarters.index(m.period) + 1, len(quarters))
                )
                for m in milestones
                for goal in goals_of[m.grant.application_id]
            ]
        )
        reports = QuarterlyReport.objects.bulk_create(
            [
                QuarterlyReport(
                    grant=grant,
                    year=year,
                    quarter=quarter,
                    state=ReportState.ACCEPTED if quarter == 1 else ReportState.SUBMITTED,
                    narrative=NARRATIVE,
                    obstacles="Sygdom blandt mentorerne og lange ventetider på sprogskolen.",
                    enrolled=20 + i % 20,
                    spent_to_date=Decimal(100_000 * quarter + 1_000 * (i % 50)),
                    self_supporting_share=Decimal(30 + i % 20),
                    job_ready_share=Decimal(25 + i % 15),
                    company_activation_share=Decimal(10 + i % 10),
                    first_submitted_at=datetime.datetime.combine(
                        Quarter(year, quarter).end + datetime.timedelta(days=20 + i % 20),
                        datetime.time(12),
                        datetime.UTC,
                    ),
                    submitted_at=datetime.datetime.combine(
                        Quarter(year, quarter).end + datetime.timedelta(days=20 + i % 20),
                        datetime.time(12),
                        datetime.UTC,
                    ),
                )
                for i, grant in enumerate(grants)
                for year, quarter in REPORTED
            ]
        )
        Milestone.objects.filter(grant__in=grants).mark_handed_in()  # bulk rows send no signal
        GoalProgress.objects.bulk_create(
            [
                GoalProgress(report=report, goal=goal, value=Decimal(value))
                for n, report in enumerate(reports)
                for goal, value in zip(
                    goals_of[report.grant.application_id],
                    (4 * report.quarter + n % 3, 50 + n % 20, 2 * report.quarter),
                    strict=True,
                )
            ]
        )
        FipScore.objects.bulk_create(
            [
                FipScore(
                    report=report,
                    dimension=dimension,
                    respondent=respondent,
                    average=Decimal("3.5") + Decimal(k % 5) / 2,
                    n=12,
                )
                for report in reports
                for k, dimension in enumerate(FipDimension.values)
                for respondent in Respondent.values
            ]
        )
        pools[size] = pool.pk
    return pools


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def measure_briefing(pool_id: int, runs: int) -> dict[str, Any]:
    from applications.models import Grant
    from monitoring.pdf.briefing import briefing_pdf
    from monitoring.quarters import Quarter

    grant_id = Grant.objects.filter(application__pool_id=pool_id).order_by("pk").values_list("pk", flat=True)[0]
    briefing_pdf(grant_id, Quarter(2026, 2))  # fonts and modules loaded once, as in a running worker
    times = []
    for _run in range(runs):
        started = time.process_time()
        data, _filename = briefing_pdf(grant_id, Quarter(2026, 2))
        times.append(time.process_time() - started)
    return {
        "median_cpu_s": statistics.median(times),
        "max_cpu_s": max(times),
        "pages": page_count(data),
    }


def current_rss_kib() -> int | None:
    """The resident memory now (Linux), beside getrusage's high-water mark."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def child(pool_id: int) -> None:
    """One pool's portfolio in a fresh process: CPU, resident memory, then traced allocations."""
    from django.utils import translation

    from applications.models import Grant, Pool
    from monitoring.pdf.briefing import briefing_pdf
    from monitoring.pdf.portfolio import portfolio_pdf
    from monitoring.quarters import Quarter

    pool = Pool.objects.get(pk=pool_id)
    # Warm up as a worker would be: fonts registered, modules imported, one small document made.
    briefing_pdf(Grant.objects.filter(application__pool=pool).values_list("pk", flat=True)[0], Quarter(2026, 2))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_now_before = current_rss_kib()
    with translation.override("da"):
        started, wall = time.process_time(), time.perf_counter()
        data = portfolio_pdf(pool, as_of=AS_OF)
        cpu, wall = time.process_time() - started, time.perf_counter() - wall
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss_now = current_rss_kib()
        tracemalloc.start()
        portfolio_pdf(pool, as_of=AS_OF)
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        json.dumps(
            {
                "cpu_s": cpu,
                "wall_s": wall,
                "pages": page_count(data),
                "pdf_bytes": len(data),
                "rss_before_kib": rss_before,
                "rss_now_before_kib": rss_now_before,
                "rss_peak_kib": rss_after,
                "rss_now_kib": rss_now,
                "traced_peak_bytes": traced_peak,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=300, help="projects of the largest pool (default 300)")
    parser.add_argument("--sizes", default="50,150", help="smaller pools for the memory comparison (default 50,150)")
    parser.add_argument("--runs", type=int, default=10, help="briefings to time (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the database (its path is printed)")
    parser.add_argument("--database", help="measure an existing database made with --keep (no build)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup()
        child(args.child)
        return

    sizes = sorted({*(int(s) for s in args.sizes.split(",") if s.strip()), args.projects})
    folder = Path(tempfile.mkdtemp(prefix="puljeflow-pdf-bench-"))
    database = Path(args.database) if args.database else folder / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    try:
        _setup()
        from django.core.management import call_command

        from applications.models import Pool

        started = time.perf_counter()
        if args.database:
            pools = {size: Pool.objects.get(name=pool_name(size)).pk for size in sizes}
        else:
            call_command("migrate", verbosity=0, interactive=False)
            pools = build(sizes)
        print(
            f"database: {database} ({sum(sizes)} projects in {len(sizes)} pools, "
            f"ready in {time.perf_counter() - started:.1f} s)"
        )

        briefing = measure_briefing(pools[args.projects], args.runs)
        print(
            f"committee briefing (3 goals, {briefing['pages']} pages): median {briefing['median_cpu_s']:.3f} s CPU "
            f"of {args.runs} runs, max {briefing['max_cpu_s']:.3f} s   [target < 0.5 s]"
        )
        print("portfolio report, each in its own process:")
        print(
            f"{'projects':>9} {'pages':>6} {'CPU s':>7} {'wall s':>7} {'PDF KiB':>8} "
            f"{'RSS before':>11} {'RSS after':>10} {'max RSS':>9} {'traced peak':>12}"
        )
        for size in sizes:
            out = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--child", str(pools[size])],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ.copy(),
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{size:>9} {row['pages']:>6} {row['cpu_s']:>7.2f} {row['wall_s']:>7.2f} "
                f"{row['pdf_bytes'] / 1024:>8.0f} "
                f"{(row['rss_now_before_kib'] or 0) / 1024:>9.1f} M {(row['rss_now_kib'] or 0) / 1024:>8.1f} M "
                f"{row['rss_peak_kib'] / 1024:>7.1f} M {row['traced_peak_bytes'] / 2**20:>10.1f} M"
            )
        print(
            "RSS before/after: resident memory just before and after the report; max RSS: the process's high-water"
            " mark (getrusage); traced peak: tracemalloc's peak of Python allocations during a second run."
        )
        print(f"targets: {args.projects} projects < 60 s CPU; memory flat as the pool grows")
    finally:
        if args.keep and not args.database:
            (folder / "media").mkdir(exist_ok=True)
            print(f"kept: --database {database}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
