"""`make run` ends with the demo's logins, after everything the demo loading printed."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from applications.demo import DEMO_PASSWORD, DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]


def test_the_logins_name_every_demo_user_and_the_password() -> None:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert DEMO_PASSWORD in lines[0]
    assert [line.split()[0] for line in lines[1:]] == [user.username for user in DEMO_USERS]


def test_make_run_prints_them_after_loading_the_demo() -> None:
    makefile = (ROOT / "Makefile").read_text()
    run = makefile[makefile.index("\nrun: demo") :].split("\n\n")[0]
    assert run.index("demo_logins") < run.index("runserver")
    assert "EMAIL_BACKEND := django.core.mail.backends.locmem.EmailBackend" in makefile
