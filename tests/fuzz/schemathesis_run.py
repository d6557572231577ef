"""`make fuzz`: schemathesis against a live server, as three roles; the bar is no 5xx at all.

A throwaway SQLite database gets the demo (`make demo`'s three commands) and a token for each of
the demo users `slagelse` (applicant), `reviewer` and `pooladmin`; `manage.py runserver` serves it
on a free port of 127.0.0.1, and schemathesis runs the OpenAPI schema's every operation once per
token, checking `not_a_server_error`. The server's own request log is counted too, so a 5xx that
schemathesis's report misses still fails the run. Bounded: a few examples per operation, so that
every operation of the schema is tried within the timeout per role even on CI's busy cores (with
10, a role ran into its 75 s beside the other parts and the operations last in the schema were
never tried; with 5, a role takes some 40 s alone), well under four minutes on two cores.

    .venv/bin/python tests/fuzz/schemathesis_run.py   # FUZZ_EXAMPLES=5 FUZZ_ROLE_TIMEOUT=90
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PYTHON = sys.executable
ROLES = {"applicant": "slagelse", "reviewer": "reviewer", "pool admin": "pooladmin"}
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "5")
# A safety net: a role that still runs into it has left the operations last in the schema untried.
ROLE_TIMEOUT = int(os.environ.get("FUZZ_ROLE_TIMEOUT", "90"))
# The coverage phase (boundary values of every parameter) takes minutes per role: FUZZ_PHASES adds it.
PHASES = os.environ.get("FUZZ_PHASES", "examples,fuzzing")
SEED = os.environ.get("FUZZ_SEED", "11")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
# A request line in runserver's log: "GET /api/v1/grants/abc/ HTTP/1.1" 500 1234
REQUEST = re.compile(r'"[A-Z]+ \S+ HTTP/[\d.]+" \d{3} ')
SERVER_ERROR = re.compile(r'"([A-Z]+) (\S+) HTTP/[\d.]+" (5\d\d) ')
TOKENS = """
from django.contrib.auth import get_user_model
from core.tokens import issue
for username in {usernames!r}:
    print(username, issue(get_user_model().objects.get(username=username), name="fuzz")[1])
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300
    )
    return done.stdout


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own server on localhost)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def run_role(role: str, token: str, base: str, report: Path) -> tuple[int, int, str]:
    """schemathesis as one role: (its exit code, the test cases it ran, the tail of its output)."""
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{base}/api/schema/",
        "--checks",
        "not_a_server_error",
        "--header",
        f"Authorization: Token {token}",
        "--max-examples",
        EXAMPLES,
        "--phases",
        PHASES,
        "--seed",
        SEED,
        "--workers",
        "2",
        "--request-timeout",
        "20",
        "--no-shrink",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    try:
        done = subprocess.run(  # noqa: S603 (the venv's schemathesis)
            command,
            cwd=ROOT,
            env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
            capture_output=True,
            text=True,
            timeout=ROLE_TIMEOUT,
        )
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as timeout:
        out = timeout.stdout or b""
        output = (out.decode(errors="replace") if isinstance(out, bytes) else out) + "\n(timed out)"
        code = 124
    found = re.search(r"Test cases:\s*\n?\s*(\d+) generated", output) or re.search(r"(\d+) generated", output)
    return code, int(found.group(1)) if found else 0, output


def _shown(output: str) -> str:
    """What a role's output says of its problems: the start of schemathesis's ERRORS section (which
    operation, which error; a traceback's lines cut short), then its summary, the last 40 lines."""
    lines = output.splitlines()
    errors = next((index for index, line in enumerate(lines) if line.strip(" =") == "ERRORS"), None)
    shown = [line[:200] for line in lines[errors : errors + 30]] if errors is not None else []
    return "\n".join([*shown, *lines[-40:]])


def _requests(log_path: Path) -> int:
    """The requests the server has logged so far."""
    return len(REQUEST.findall(log_path.read_text(errors="replace"))) if log_path.exists() else 0


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="puljeflow-fuzz-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
        "CELERY_BROKER_URL": "",  # tasks in-process: no broker needed
        # Production's settings (DEBUG off), with a throwaway key and plain HTTP.
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_TEST_NAME", None)
    server = None
    log_path = workdir / "server.log"
    try:
        print(f"fuzz: demo database in {workdir}", flush=True)
        manage(env, "migrate", "--noinput")
        for command in ("load_demo", "load_monitoring_demo", "load_ambassadors_demo", "load_gribskov_demo"):
            manage(env, command)
        printed = manage(env, "shell", "-c", TOKENS.format(usernames=list(ROLES.values())))
        tokens = {
            words[0]: words[1]
            for words in (line.split() for line in printed.splitlines())
            if len(words) == 2 and words[0] in ROLES.values()
        }
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with log_path.open("w") as log:
            server = subprocess.Popen(  # noqa: S603
                [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(f"{base}/api/schema/")
        failed_roles, cases = [], 0
        for role, username in ROLES.items():
            started, before = time.monotonic(), _requests(log_path)
            code, ran, output = run_role(role, tokens[username], base, workdir / f"{username}.xml")
            ran = ran or _requests(log_path) - before  # cut off by the timeout: the requests it sent
            cases += ran
            print(f"fuzz: {role} ({username}): {ran} test cases, exit {code}, {time.monotonic() - started:.0f} s")
            if code == 124:
                print(f"fuzz: {role} was cut off after {ROLE_TIMEOUT} s: the schema's last operations went untried")
            if code not in (0, 124):
                # The bar is no 5xx: a server error fails the run; anything else schemathesis
                # reports (a request that timed out, a case it could not generate) is shown only.
                if "Server error" in output:
                    failed_roles.append(role)
                print(_shown(output))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
    errors = [match.groups() for match in SERVER_ERROR.finditer(log_text)]
    print(f"fuzz: {cases} test cases in all; {len(errors)} server errors (5xx) in the server's log")
    for method, path, code in sorted(set(errors))[:50]:
        print(f"  {code} {method} {path}")
    if errors:
        print(f"fuzz: the server's log, with the tracebacks: {log_path}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if errors or failed_roles else 0


if __name__ == "__main__":
    sys.exit(main())
