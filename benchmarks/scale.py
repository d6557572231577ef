"""How fast is Puljeflow at a national deployment's size? `make bench` runs this:

    .venv/bin/python benchmarks/scale.py [--factor 1] [--rounds 25] [--sizes 100,300,600] [--keep]

1. makes a throwaway PostgreSQL database on the server of BENCH_DATABASE_URL (default
   postgres://puljeflow:puljeflow@127.0.0.1:5432/postgres: a role that may CREATEDB), migrates it
   and fills it with `manage.py seed_scale --factor F`;
2. starts the production profile's web server on it (gunicorn with config/gunicorn.conf.py, DEBUG
   off, one worker so that requests do not compete), logs in as each role;
3. for each main page and API list and detail, as the role that uses it: the number of queries
   (counted in-process with Django's test client), then `--rounds` requests interleaved with a
   bare Django view that answers the very same bytes through the same middleware
   (benchmarks/bench_urls.py): the median and 95th percentile of each, and their ratio;
4. builds the portfolio report of pools of 100, 300 and 600 projects, each in a process of its
   own: wall time, peak resident memory and the peak of Python's allocations;
5. prints the tables, stops the server and drops the database (unless --keep).

Targets (issue 16): details ≤ 5×, lists ≤ 8× and no page above 15× the bare view; the portfolio
report of 600 projects in under 5 s with memory flat across the sizes. PostgreSQL runs locally:
`pg_lsclusters` lists the clusters, `pg_ctlcluster 15 main start` starts one; CI's .ci/run
starts one and makes the role. Nothing but PostgreSQL is needed: no Redis, no worker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://puljeflow:puljeflow@127.0.0.1:5432/postgres")
PASSWORD = "bench-" + secrets.token_urlsafe(12)
TARGETS = {"detail": 5.0, "list": 8.0}
# An empty page of the site (benchmarks/bench_urls.py) for two roles: not a target, the floor
# under every page's ratio.
FLOOR = "empty page"
PAGE_LIMIT = 15.0


@dataclass
class Endpoint:
    role: str
    label: str
    kind: str  # detail or list, or FLOOR
    url: str
    queries: int | None = None
    size: int = 0
    page: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    status: int = 0

    @property
    def key(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", f"{self.role}-{self.label}".lower()).strip("-")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# The throwaway database ----------------------------------------------------------------------------


def database_url(name: str) -> str:
    parts = urlsplit(ADMIN_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin(sql: str, url: str = ADMIN_URL) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def environment(url: str, bytes_dir: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "BENCH_BYTES_DIR": bytes_dir,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "1",
        "WEB_ACCESS_LOG": "/dev/null",
        "PYTHONPATH": str(ROOT),
        # The pages' tasks (none is triggered by a GET) would run in-process: no broker is needed.
        "CELERY_BROKER_URL": "",
    }


def manage(env: dict[str, str], *args: str) -> str:
    command = [PYTHON, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# What is measured, as whom -------------------------------------------------------------------------


def endpoints() -> tuple[list[Endpoint], dict[str, str]]:
    """The main pages and API lists and details, each as the role that uses it, on the seed's
    data: the municipality with the most projects, its latest report, the pool that reports."""
    from django.db.models import Count

    from ambassadors.models import Ambassador
    from applications.models import Application, Grant, Pool, State
    from monitoring.models import QuarterlyReport

    lead = (
        Grant.objects.values("application__lead_municipality__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "application__lead_municipality__code")
        .first()["application__lead_municipality__code"]
    )
    grant = Grant.objects.filter(application__lead_municipality__code=lead).order_by("pk").first()
    report = QuarterlyReport.objects.filter(grant=grant).handed_in().order_by("-year", "-quarter").first()
    queued = Application.objects.filter(state=State.POLITICALLY_APPROVED, award__isnull=True).order_by("pk").first()
    pool = Pool.objects.annotate(n=Count("applications__award")).order_by("-n").first()
    committee = (
        Grant.objects.filter(application__lead_municipality__people__role="committee")
        .values_list("application__lead_municipality__code", flat=True)
        .first()
    )
    ambassador = Ambassador.objects.select_related("user").order_by("pk").first()
    users = {
        "applicant": f"scale-applicant-{lead}",
        "reviewer": "scale-reviewer-1",
        "pool admin": "scale-pooladmin-1",
        "ambassador": ambassador.user.username,
        "committee": f"scale-committee-{committee}",
    }
    g, a = grant.pk, grant.application_id
    rows = [
        ("applicant", "inbox", "list", "/inbox/"),
        ("applicant", "my applications", "list", "/applications/"),
        ("applicant", "application", "detail", f"/applications/{a}/"),
        ("applicant", "my projects", "list", "/projects/"),
        ("applicant", "project", "detail", f"/projects/{g}/"),
        ("applicant", "quarterly report", "detail", f"/projects/{g}/reports/{report.pk}/"),
        ("applicant", "API applications", "list", "/api/v1/applications/"),
        ("applicant", "API application", "detail", f"/api/v1/applications/{a}/"),
        ("applicant", "API grants", "list", "/api/v1/grants/"),
        ("applicant", "API grant", "detail", f"/api/v1/grants/{g}/"),
        ("applicant", "API grant progress", "detail", f"/api/v1/grants/{g}/progress/"),
        ("applicant", "API reports", "list", "/api/v1/reports/"),
        ("applicant", "API report", "detail", f"/api/v1/reports/{report.pk}/"),
        ("reviewer", "inbox", "list", "/inbox/"),
        ("reviewer", "review queue", "list", "/review/"),
        ("reviewer", "review queue by score", "list", "/review/?sort=-score"),
        ("reviewer", "application", "detail", f"/applications/{queued.pk}/"),
        ("reviewer", "monitoring overview", "list", "/monitoring/"),
        ("reviewer", "ambassador network", "list", "/network/"),
        ("reviewer", "API applications", "list", "/api/v1/applications/?state=politically_approved"),
        ("reviewer", "API grants", "list", "/api/v1/grants/"),
        ("reviewer", "API reports waiting", "list", "/api/v1/reports/?state=submitted"),
        ("pool admin", "pools", "list", "/pools/"),
        ("pool admin", "pool dashboard", "list", f"/pools/{pool.pk}/monitoring/"),
        ("pool admin", "payments", "list", "/payments/"),
        ("pool admin", "API pools", "list", "/api/v1/pools/"),
        ("pool admin", "API national KPIs", "list", "/api/v1/national-kpis/"),
        ("ambassador", "ambassador page", "detail", "/ambassador/"),
        ("ambassador", "catalogue", "list", "/best-practices/"),
        ("ambassador", "API best practices", "list", "/api/v1/best-practices/"),
        ("ambassador", "API ambassador reports", "list", "/api/v1/ambassador-reports/"),
        ("committee", "our projects", "list", "/projects/"),
        ("committee", "inbox", "list", "/inbox/"),
        ("applicant", FLOOR, FLOOR, "/__bench_empty__/"),
        ("reviewer", FLOOR, FLOOR, "/__bench_empty__/"),
    ]
    return [Endpoint(*row) for row in rows], users


def set_passwords(users: dict[str, str]) -> None:
    from django.contrib.auth import get_user_model

    for username in users.values():
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def count_queries(points: list[Endpoint], users: dict[str, str]) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict[str, Client] = {}
    for point in points:
        if point.role not in clients:
            clients[point.role] = Client()
            clients[point.role].force_login(get_user_model().objects.get(username=users[point.role]))
        client = clients[point.role]
        client.get(point.url)  # caches warm, as in the server
        with CaptureQueriesContext(connection) as captured:
            response = client.get(point.url)
        point.queries = len(captured)
        point.status = response.status_code


# Over HTTP -------------------------------------------------------------------------------------------


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    import requests

    server = subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz/", timeout=2).status_code in (200, 503):
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start:\n" + (server.stderr.read().decode() if server.stderr else ""))
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz/ within a minute")


def log_in(base: str, username: str) -> Any:
    import requests

    session = requests.Session()
    session.get(f"{base}/login/", timeout=30)
    answer = session.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise SystemExit(f"could not log in as {username}: {answer.status_code}")
    return session


def measure(
    points: list[Endpoint], users: dict[str, str], base: str, bytes_dir: Path, rounds: int, budget: float
) -> None:
    """`rounds` interleaved pairs per endpoint; a slow one stops after `budget` seconds (3 at least)."""
    sessions = {role: log_in(base, username) for role, username in users.items()}
    for point in points:
        session = sessions[point.role]
        answer = session.get(base + point.url, timeout=120)
        point.status = answer.status_code
        point.size = len(answer.content)
        (bytes_dir / f"{point.key}.body").write_bytes(answer.content)
        (bytes_dir / f"{point.key}.type").write_text(answer.headers.get("Content-Type", "text/html"))
        bare = f"{base}/__bench__/{point.key}/"
        session.get(bare, timeout=30)  # the bare view reads its bytes once
        spent = 0.0
        for done in range(rounds):
            if done >= 3 and spent > budget:
                break
            for url, into in ((base + point.url, point.page), (bare, point.bare)):
                started = time.perf_counter()
                session.get(url, timeout=120)
                into.append((time.perf_counter() - started) * 1000)
            spent += point.page[-1] / 1000
        print(
            f"  {point.role:10} {point.label:28} {statistics.median(point.page):8.1f} ms ({len(point.page)} rounds)",
            flush=True,
        )


# The portfolio report --------------------------------------------------------------------------------


def portfolio(size: int) -> dict[str, Any]:
    """Build the portfolio report of a pool of `size` projects (the reporting pool's first ones,
    moved into a pool of their own inside a transaction that is rolled back)."""
    import resource
    import tracemalloc

    from django.db import transaction
    from django.db.models import Count

    from applications.models import Application, Pool
    from config.startup import collect_less
    from monitoring.pdf.portfolio import portfolio_pdf

    collect_less()  # as a Celery worker's process builds it (config/celery.py)

    class Rollback(Exception):
        pass

    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            source = Pool.objects.annotate(n=Count("applications__award")).order_by("-n").first()
            pool = Pool.objects.get(pk=source.pk)
            pool.pk = None
            pool.name = f"Benchmark: {size} projekter"
            pool.save()
            ids = list(
                Application.objects.filter(pool=source, award__isnull=False).order_by("pk").values_list("pk", flat=True)
            )
            Application.objects.filter(pk__in=ids[:size]).update(pool=pool)
            started = time.perf_counter()
            data = portfolio_pdf(pool)
            result["seconds"] = time.perf_counter() - started
            result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            result["bytes"] = len(data)
            result["projects"] = min(size, len(ids))
            del data
            tracemalloc.start()
            portfolio_pdf(pool)
            result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
            tracemalloc.stop()
            raise Rollback
    except Rollback:
        pass
    return result


def run_portfolio(env: dict[str, str], size: int) -> dict[str, Any]:
    command = [PYTHON, __file__, "--portfolio-size", str(size)]  # this very script
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# Report ----------------------------------------------------------------------------------------------


def verdict(point: Endpoint) -> tuple[float, str]:
    ratio = statistics.median(point.page) / statistics.median(point.bare)
    if point.kind == FLOOR:
        return ratio, "(floor)"
    limit = min(TARGETS[point.kind], PAGE_LIMIT)
    return ratio, "ok" if ratio <= limit else f"> {limit:g}×"


def print_table(points: list[Endpoint]) -> None:
    header = (
        "| role | endpoint | kind | status | queries | KiB | median ms | p95 ms "
        "| bare median ms | bare p95 ms | ratio | target |"
    )
    print(header)
    print("|" + "---|" * 12)
    for point in points:
        ratio, ok = verdict(point)
        print(
            f"| {point.role} | {point.label} (`{point.url}`) | {point.kind} | {point.status} | {point.queries} "
            f"| {point.size / 1024:.0f} | {statistics.median(point.page):.1f} | {p95(point.page):.1f} "
            f"| {statistics.median(point.bare):.1f} | {p95(point.bare):.1f} | {ratio:.1f}× | {ok} |"
        )


def print_portfolio(results: dict[int, dict[str, Any]]) -> None:
    print("| projects | wall s | peak RSS MiB | peak Python MiB | PDF KiB |")
    print("|---|---|---|---|---|")
    for size, row in results.items():
        if "error" in row:
            print(f"| {size} | failed: {row['error']} | | | |")
            continue
        print(
            f"| {row['projects']} | {row['seconds']:.1f} | {row['rss_mb']:.0f} | {row['python_peak_mb']:.1f} "
            f"| {row['bytes'] / 1024:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=float, default=1.0, help="seed_scale's factor (default 1)")
    parser.add_argument("--rounds", type=int, default=25, help="requests per endpoint and bare view (default 25)")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds per endpoint before it stops early (default 60)"
    )
    parser.add_argument("--sizes", default="100,300,600", help="portfolio sizes (default 100,300,600)")
    parser.add_argument("--only", default="", help="measure only endpoints whose label contains this")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument("--database", default="", help="an existing seeded database to measure (not dropped)")
    parser.add_argument("--portfolio-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.portfolio_size:  # the child process of one portfolio measurement
        import django

        django.setup()
        print(json.dumps(portfolio(args.portfolio_size)))
        return

    name = args.database or f"puljeflow_bench_{os.getpid()}"
    bytes_dir = Path(tempfile.mkdtemp(prefix="puljeflow-bench-"))
    port = free_port()
    env = environment(database_url(name), str(bytes_dir), port)
    server = None
    try:
        import psycopg

        if not args.database:
            try:
                admin(f'CREATE DATABASE "{name}"')
            except psycopg.Error as error:
                raise SystemExit(
                    f"Cannot create a database with {ADMIN_URL} ({error}).\n"
                    "make bench needs a local PostgreSQL and a role that may CREATEDB: see `pg_lsclusters`, "
                    "`pg_ctlcluster 15 main start`, or set BENCH_DATABASE_URL."
                ) from error
            print(f"Database {name}: migrating and seeding (factor {args.factor:g})", flush=True)
            manage(env, "migrate", "--noinput", "-v0")
            started = time.perf_counter()
            print(manage(env, "seed_scale", "--factor", str(args.factor)).strip().splitlines()[-1], flush=True)
            seeded = time.perf_counter() - started
            print(f"seed_scale took {seeded:.1f} s", flush=True)
            # What autovacuum does within minutes of a bulk load, and PostgreSQL's advice after one:
            # the planner's statistics, and the visibility map that lets a query read an index alone.
            admin("VACUUM ANALYZE", database_url(name))
        os.environ.update(env)
        import django

        django.setup()
        points, users = endpoints()
        if args.only:
            points = [p for p in points if args.only.lower() in p.label.lower()]
        set_passwords(users)
        count_queries(points, users)
        from django.db import connections

        connections.close_all()

        server = start_server(env, port)
        print(f"gunicorn on port {port}; {args.rounds} rounds per endpoint", flush=True)
        measure(points, users, f"http://127.0.0.1:{port}", bytes_dir, args.rounds, args.budget)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server = None

        results = {}
        for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
            results[size] = run_portfolio(env, size)
            print(f"  portfolio {size}: {results[size]}", flush=True)

        print()
        print_table(points)
        print()
        print_portfolio(results)
        targeted = [p for p in points if p.kind != FLOOR]
        failed = [p for p in targeted if verdict(p)[1] != "ok"]
        print()
        print(f"{len(targeted) - len(failed)} of {len(targeted)} endpoints within their targets.")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(bytes_dir, ignore_errors=True)
        if not args.database and not args.keep:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: S110 (Django may not be set up yet)
                pass
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif args.keep:
            print(f"Kept the database {name}: {database_url(name)}")


if __name__ == "__main__":
    main()
