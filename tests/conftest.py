"""Personas and builders shared by every test.

The personas: an applicant of Slagelse (330), one of Gribskov (270), a SIRI reviewer, a pool
admin, an ambassador and a committee member of Slagelse.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from applications import services
from applications.accounts import set_person
from applications.data.municipalities import MUNICIPALITIES
from applications.models import (
    Application,
    ApprovalStatus,
    BudgetLine,
    Criterion,
    Goal,
    Municipality,
    Pool,
    State,
    TargetGroup,
)
from config.celery import app as celery_app

from . import static_files  # noqa: F401  (WhiteNoise's index of the static files, built once)
from .databases import django_db_setup, end_run, start_run  # noqa: F401  (django_db_setup: a fixture)
from .shared_data import module_data  # noqa: F401  (a fixture)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    start_run(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    end_run(config)


# The fixtures through which a test reaches the database (each persona and builder asks for `db`).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that never reaches the database is marked `no_database`: PostgreSQL has nothing to
    add to it, so CI runs it once, on the embedded default (part 1), not again in part 3."""
    for item in items:
        if item.get_closest_marker("django_db") is None and not DATABASE_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.no_database)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: what an earlier test kept there (whether anything is
    marked illustrative) speaks of rows its rollback took away."""
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language() -> None:
    """Each test starts in the site's language: a request leaves the language it was answered in
    active in the thread (LocaleMiddleware does not reset it), so a service's message asserted
    after a page in English came out in English or Danish by the order xdist ran the tests in."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_in_process(request: pytest.FixtureRequest) -> Any:
    """Tasks run in-process unless a test is marked `worker` and talks to the real one."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


def require_service(name: str, available: bool, why: str) -> None:
    """A test that needs a real service fails under CI when it is missing, and skips elsewhere."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required under CI: {why}")
    pytest.skip(f"{name} not available: {why}")


@pytest.fixture
def postgres() -> None:
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")


@pytest.fixture(autouse=True)
def _municipalities(request: pytest.FixtureRequest) -> None:
    """The 98 municipalities come from a data migration; a transactional test's flush removes
    them, so put them back for the next one."""
    if "django_db_setup" not in request.fixturenames:
        return
    request.getfixturevalue("django_db_blocker")
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    restore_municipalities()


def restore_municipalities() -> None:
    if Municipality.objects.count() < len(MUNICIPALITIES):
        Municipality.objects.bulk_create(
            [Municipality(code=code, name=name, region=region) for code, name, region in MUNICIPALITIES],
            ignore_conflicts=True,
        )


def _person(username: str, role: str, *codes: str) -> Any:
    user, _created = set_person(username, role, codes, f"{username}@example.test", "pw")
    return user


# The personas: fixture name → (username, role, municipality codes).
PERSONA_ACCOUNTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "slagelse_applicant": ("slagelse", "applicant", ("330",)),
    "gribskov_applicant": ("gribskov", "applicant", ("270",)),
    "reviewer": ("reviewer", "reviewer", ()),
    "pool_admin": ("pooladmin", "pool_admin", ()),
    "ambassador": ("ambassador", "ambassador", ("330",)),
    "committee": ("udvalg", "committee", ("330",)),
}


def _persona(name: str) -> Any:
    username, role, codes = PERSONA_ACCOUNTS[name]
    return _person(username, role, *codes)


def make_personas() -> dict[str, Any]:
    """The personas as the fixture `personas` gives them, for data a module builds once."""
    return {**{name: _persona(name) for name in PERSONA_ACCOUNTS}, "anonymous": None}


@pytest.fixture
def slagelse_applicant(db: None) -> Any:
    return _persona("slagelse_applicant")


@pytest.fixture
def gribskov_applicant(db: None) -> Any:
    return _persona("gribskov_applicant")


@pytest.fixture
def reviewer(db: None) -> Any:
    return _persona("reviewer")


@pytest.fixture
def second_reviewer(db: None) -> Any:
    return _person("reviewer2", "reviewer")


@pytest.fixture
def pool_admin(db: None) -> Any:
    return _persona("pool_admin")


@pytest.fixture
def ambassador(db: None) -> Any:
    return _persona("ambassador")


@pytest.fixture
def committee(db: None) -> Any:
    return _persona("committee")


@pytest.fixture
def personas(
    slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, pool_admin: Any, ambassador: Any, committee: Any
) -> dict[str, Any]:
    return {
        "slagelse_applicant": slagelse_applicant,
        "gribskov_applicant": gribskov_applicant,
        "reviewer": reviewer,
        "pool_admin": pool_admin,
        "ambassador": ambassador,
        "committee": committee,
        "anonymous": None,
    }


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_client_for(user: Any) -> Client:
    """A browser-like client (session login, CSRF enforced) for the server-rendered pages."""
    client = Client(enforce_csrf_checks=False)
    if user is not None:
        client.force_login(user)
    return client


def make_pool(**overrides: Any) -> Pool:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "name": "Pulje til beskæftigelsesambassadører",
        "total_budget": Decimal("10000000.00"),
        "max_grant": Decimal("3000000.00"),
        "opens_on": today - datetime.timedelta(days=30),
        "closes_on": today + datetime.timedelta(days=30),
        "project_start_earliest": datetime.date(today.year + 1, 1, 1),
        "project_end_latest": datetime.date(today.year + 4, 12, 31),
        "requires_political_approval": True,
    }
    fields.update(overrides)
    pool = Pool.objects.create(**fields)
    Criterion.objects.create(pool=pool, name="Mål", weight=Decimal(3), position=0)
    Criterion.objects.create(pool=pool, name="Organisering", weight=Decimal(1), position=1)
    return pool


@pytest.fixture
def pool(db: None) -> Pool:
    return make_pool()


# The grant-responsible person's declaration a submit carries, matching `make_complete_draft`.
DECLARATION = {"declared_by_name": "Tilskudsansvarlig", "declared_by_title": "Leder", "declaration": True}


def make_complete_draft(pool: Pool, creator: Any, code: str = "330", amount: str = "1000000.00") -> Application:
    """An application with every part SIRI's form asks for, ready to submit."""
    start = pool.project_start_earliest
    application = Application.objects.create(
        pool=pool,
        lead_municipality=Municipality.objects.get(code=code),
        created_by=creator,
        title="Beskæftigelsesambassadør",
        purpose="Højere beskæftigelsesgrad for kvinder og unge.",
        target_group_description="Flygtninge og familiesammenførte, primært kvinder.",
        target_group_total=340,
        current_effort="Jobparate i arbejde først.",
        approach="Individuelle tværfaglige indsatser med virksomheden og familien.",
        objectives="35 kvinder i beskæftigelse.",
        measures=["internship", "mentor"],
        methods="Progressionsværktøj.",
        political_anchoring="Projektet bliver politisk godkendt.",
        management="Arbejdsmarkedschef er projektejer.",
        cross_sector_ownership="Workshop på tværs af organisationen.",
        continuation="Implementeres i den daglige drift efter projektet.",
        committee_briefing="Orientering kvartalsvis til fagligt udvalg.",
        anchoring="Implementeres i den daglige drift.",
        cvr="29188505",
        grant_responsible_name="Tilskudsansvarlig",
        grant_responsible_title="Leder",
        grant_responsible_email="ansvarlig@example.test",
        start_date=start,
        end_date=datetime.date(start.year + 1, 12, 31),
    )
    women = TargetGroup.objects.create(application=application, name="aktivitetsparate kvinder", size=35)
    TargetGroup.objects.create(application=application, name="unge under 18 år", size=15)
    Goal.objects.create(
        application=application,
        target_group=women,
        title="Kvinder i beskæftigelse",
        kind="count",
        target_value=35,
        cumulative=True,
    )
    BudgetLine.objects.create(
        application=application, year=start.year, category="salaries", amount=Decimal(amount), fte=1
    )
    return application


def approve(application: Application, user: Any) -> None:
    services.record_political_approval(
        application.pk,
        user,
        {
            "municipality": application.lead_municipality,
            "status": ApprovalStatus.APPROVED,
            "decided_on": timezone.localdate(),
            "body": "Byrådet",
        },
    )


REASONS = {"Mål": "Konkrete og målbare mål.", "Organisering": "Ledelsen er forankret, bemandingen knap."}


def review(application: Application, user: Any, recommendation: str = "grant") -> None:
    """A complete assessment (a score and a reason per criterion of `make_pool`), recommending a
    grant of what was applied for unless told otherwise."""
    data: dict[str, Any] = {"scores": {"Mål": 4, "Organisering": 3}, "reasons": REASONS}
    data["recommendation"] = recommendation
    if recommendation == "grant":
        data["amount"] = application.requested_total
    services.save_review(application.pk, user, data)


def application_in_state(state: str, pool: Pool, applicant: Any, reviewer: Any) -> Application:
    """Reach a state through the real services, as users would."""
    application = make_complete_draft(pool, applicant)
    if state == State.DRAFT:
        return application
    services.submit(application.pk, applicant)
    if state == State.WITHDRAWN:  # withdrawn after submitting, so SIRI sees it too
        services.withdraw(application.pk, applicant)
    if state == State.REJECTED:
        review(application, reviewer, "reject")  # a rejection needs an assessment
        services.reject(application.pk, reviewer, "Ikke tilstrækkeligt konkret.")
    if state in (State.POLITICALLY_APPROVED, State.GRANTED):
        approve(application, applicant)
    if state == State.GRANTED:
        review(application, reviewer)
        services.grant(application.pk, reviewer, Decimal("900000"))
    application = Application.objects.get(pk=application.pk)
    assert application.state == state
    return application


def pytest_ignore_collect(collection_path: Any, config: pytest.Config) -> bool | None:
    """The browser tests (tests/e2e) run with `make e2e`, which sets PULJEFLOW_E2E=1."""
    if "e2e" in collection_path.parts and not os.environ.get("PULJEFLOW_E2E"):
        return True
    return None


DEAD_BROKER = "redis://127.0.0.1:1/0"  # no broker listens on port 1


def _drop_broker_connections() -> None:
    """Forget the app's broker pools, so the next send connects to the broker now configured."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Celery pointed at a port where no broker listens, tasks really sent. Celery reads
    CELERY_BROKER_URL from the environment before its own settings (CI sets it for the real
    Redis), so that changes too. Call the value to bring "the broker" back: tasks run in-process."""
    conf = celery_app.conf
    previous = (settings.CELERY_BROKER_URL, conf.broker_url, conf.task_always_eager)
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_BROKER)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    settings.CELERY_BROKER_URL = DEAD_BROKER
    conf.broker_url, conf.task_always_eager = DEAD_BROKER, False
    _drop_broker_connections()

    def back() -> None:
        conf.task_always_eager = True
        _drop_broker_connections()

    yield back
    monkeypatch.undo()
    settings.CELERY_BROKER_URL = previous[0]
    conf.broker_url, conf.task_always_eager = previous[1], previous[2]
    _drop_broker_connections()
