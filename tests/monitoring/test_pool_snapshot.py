"""SIRI's figures of a whole pool are kept in the cache from one change to the next
(monitoring/pool_snapshot.py): a second look at the dashboard, by anyone at SIRI, reads no
project's row, and whatever the figures count shows at the next look once it is committed."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Grant, GrantState, Municipality, Pool
from core import cache as core_cache
from monitoring import pool_snapshot, services
from monitoring.models import PoolStamp
from monitoring.pool_figures import row_figures
from monitoring.pool_summary import pool_rows
from monitoring.stages import Stage, with_stage

from ..conftest import make_pool, require_service
from .conftest import recent_period
from .test_view_queries import add_projects
from .test_views import HTMX, client, complete, first_quarter, submitted_report

pytestmark = pytest.mark.django_db

# The one query that reads every project's row of the pool, with its reporting calendar.
ROWS_QUERY = '"calendar"'


def look(user: Any, pool_pk: int, **params: str) -> tuple[Any, bool]:
    """The dashboard's results (the htmx partial: no name of the person looking) and whether the
    view read the pool's rows."""
    url = reverse("monitoring:dashboard", args=[pool_pk])
    with CaptureQueriesContext(connection) as captured:
        response = client(user).get(url, params, **HTMX, HTTP_HX_TARGET="dashboard-results")
    assert response.status_code == 200
    return response, any(ROWS_QUERY in query["sql"] for query in captured)


@pytest.fixture
def pool_of_projects(slagelse_applicant: Any, reviewer: Any) -> Any:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, 6, slagelse_applicant, reviewer)
    call_command("rebuild_progress", stdout=None)  # the summaries, as the services keep them
    return pool


def test_a_second_look_by_anyone_at_siri_reads_no_projects_row(
    pool_of_projects: Any, reviewer: Any, pool_admin: Any
) -> None:
    first, read = look(reviewer, pool_of_projects.pk)
    assert read
    again, read_again = look(pool_admin, pool_of_projects.pk)
    assert not read_again
    assert again.content == first.content
    assert len(again.context["projects"]) == 6

    # A stage or a page of the same pool is cut from the same figures; a municipality's are its own.
    stage = first.context["projects"][0].stage
    chosen, read = look(reviewer, pool_of_projects.pk, stage=stage, page="1")
    assert not read and len(chosen.context["projects"]) == 6
    other = next(value for value, *_rest in first.context["stage_counts"] if value != stage)
    none, read = look(reviewer, pool_of_projects.pk, stage=other)
    assert not read and none.context["projects"] == []
    mine, read = look(reviewer, pool_of_projects.pk, municipality="330")
    assert read and len(mine.context["projects"]) == 3


def test_figures_computed_while_a_summary_was_missing_are_not_kept(slagelse_applicant: Any, reviewer: Any) -> None:
    """Rows loaded in bulk have no summary until a rebuild: kept, their figures would outlive
    the projects loaded next, as nothing would renew the pool's token."""
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    add_projects(pool, 2, slagelse_applicant, reviewer)
    assert len(look(reviewer, pool.pk)[0].context["projects"]) == 2
    add_projects(pool, 3, slagelse_applicant, reviewer)
    response, read = look(reviewer, pool.pk)
    assert read and len(response.context["projects"]) == 5


# Real commits: what a change renews, it renews after its transaction's commit, and a test's own
# transaction never commits (nor would a callback captured after the fixtures' own).
@pytest.mark.django_db(transaction=True)
def test_a_report_handed_in_shows_at_the_next_look(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    pool = granted_project.application.pool
    call_command("rebuild_progress", stdout=None)
    before, _read = look(reviewer, pool.pk)
    late = before.context["late_page"].paginator.count
    assert late >= 1
    assert look(reviewer, pool.pk)[1] is False  # kept

    submitted_report(granted_project, slagelse_applicant, first_quarter(granted_project), women=6)
    after, read = look(reviewer, pool.pk)
    assert read
    assert after.context["late_page"].paginator.count == late - 1
    women = after.context["shown"][0].goals[0]
    assert women.actual == 6


@pytest.mark.django_db(transaction=True)
def test_a_draft_written_keeps_the_figures_and_handed_in_renews_them(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    """A municipality writing its report (each autosave a save) changes nothing SIRI's figures
    count until it hands it in: 600 projects' drafts in the reporting weeks would otherwise keep
    every look computing."""
    pool = granted_project.application.pool_id
    call_command("rebuild_progress", stdout=None)
    quarter = first_quarter(granted_project)
    report = services.create_report(
        granted_project.pk, slagelse_applicant, {"year": quarter.year, "quarter": quarter.quarter}
    )
    look(reviewer, pool)
    services.update_report(report.pk, slagelse_applicant, complete(granted_project, quarter))
    assert look(reviewer, pool)[1] is False
    services.submit_report(report.pk, slagelse_applicant)
    assert look(reviewer, pool)[1] is True


def test_a_deployment_migrating_renews_every_pools_figures(pool_of_projects: Any, reviewer: Any) -> None:
    """Redis outlives the processes: the code of a new release reads nothing the last one kept."""
    look(reviewer, pool_of_projects.pk)
    call_command("migrate", verbosity=0)
    assert look(reviewer, pool_of_projects.pk)[1] is True


def test_other_thresholds_of_lateness_are_judged_anew(pool_of_projects: Any, reviewer: Any, settings: Any) -> None:
    kept, _read = look(reviewer, pool_of_projects.pk)
    settings.MONITORING = {**settings.MONITORING, "LATE_DAYS_MEDIUM": 100_000, "LATE_DAYS_HIGH": 100_000}
    judged, read = look(reviewer, pool_of_projects.pk)
    assert read and judged.context["risk_counts"] != kept.context["risk_counts"]


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_leaves_the_kept_figures(pool_of_projects: Any, reviewer: Any) -> None:
    kept, _read = look(reviewer, pool_of_projects.pk)
    application = Application.objects.filter(pool=pool_of_projects).first()
    with pytest.raises(RuntimeError), transaction.atomic():
        application.title = "Nyt navn"
        application.save()
        raise RuntimeError("the save fails further on")
    response, read = look(reviewer, pool_of_projects.pk)
    assert not read and response.content == kept.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["title", "municipality", "pool", "grant deleted"])
def test_what_the_figures_show_renews_them_once_committed(change: str, pool_of_projects: Any, reviewer: Any) -> None:
    look(reviewer, pool_of_projects.pk)
    assert look(reviewer, pool_of_projects.pk)[1] is False  # kept
    grant = Grant.objects.filter(application__pool=pool_of_projects).select_related("application").first()
    if change == "title":
        grant.application.title = "Job til flere kvinder"
        grant.application.save()
    elif change == "municipality":
        Municipality.objects.get(code="330").save()
    elif change == "pool":
        pool_of_projects.final_report_days = 30
        pool_of_projects.save()
    else:
        grant.delete()
    response, read = look(reviewer, pool_of_projects.pk)
    assert read
    if change == "title":
        assert "Job til flere kvinder" in response.content.decode()
    if change == "grant deleted":
        assert len(response.context["projects"]) == 5


@pytest.mark.django_db(transaction=True)
def test_another_pools_change_keeps_this_pools_figures(
    pool_of_projects: Any, granted_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    look(reviewer, pool_of_projects.pk)
    submitted_report(granted_project, slagelse_applicant, first_quarter(granted_project))
    assert look(reviewer, pool_of_projects.pk)[1] is False


def test_a_cache_that_does_not_answer_costs_the_page_its_speed_not_its_answer(
    pool_of_projects: Any, reviewer: Any, settings: Any, caplog: Any, monkeypatch: Any
) -> None:
    kept, _read = look(reviewer, pool_of_projects.pk)
    monkeypatch.setattr(core_cache, "_paused_until", 0.0)  # this process's pause goes with the test
    # Nothing listens on port 1: the look computes the figures, and says so in the log.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response, read = look(reviewer, pool_of_projects.pk)
    assert read and response.content == kept.content
    assert caplog.text.count("The cache could not be read") == 1
    # The looks after it leave the cache alone for a while instead of waiting on it each time.
    response, read = look(reviewer, pool_of_projects.pk)
    assert read and response.content == kept.content
    assert caplog.text.count("The cache could not be") == 1


def test_a_pool_made_without_a_stamp_has_its_figures_computed_each_time(pool_of_projects: Any, reviewer: Any) -> None:
    PoolStamp.objects.filter(pool=pool_of_projects).delete()
    assert look(reviewer, pool_of_projects.pk)[1]
    assert look(reviewer, pool_of_projects.pk)[1]
    pool_snapshot.renew(every=True)  # as `rebuild_progress` and `seed_scale` do
    assert PoolStamp.objects.filter(pool=pool_of_projects).exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_figures_kept_in_redis_are_shared_and_renewed(
    pool_of_projects: Any, reviewer: Any, pool_admin: Any, settings: Any
) -> None:
    """Production keeps them in Redis (CACHE_URL), shared by every web process: CI's Redis."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    require_service("Redis", url.startswith("redis://"), "set CELERY_BROKER_URL to a Redis server")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    first, read = look(reviewer, pool_of_projects.pk)
    assert read
    name = pool_snapshot.key(
        Pool.objects.select_related("figures_stamp").get(pk=pool_of_projects.pk), timezone.localdate()
    )
    assert len(cache.get(name).rows) == 6  # in Redis, not in this process
    again, read = look(pool_admin, pool_of_projects.pk)
    assert not read and again.content == first.content

    grant = Grant.objects.filter(application__pool=pool_of_projects).select_related("application").first()
    grant.application.title = "Job til flere kvinder"
    grant.application.save()
    renewed, read = look(reviewer, pool_of_projects.pk)
    assert read and "Job til flere kvinder" in renewed.content.decode()


def test_the_figures_added_up_stage_by_stage_are_those_of_every_project(pool_of_projects: Any) -> None:
    """The kept figures of the whole pool are the sum of each stage's (each row counted once)."""
    grants = list(Grant.objects.filter(application__pool=pool_of_projects).order_by("pk"))
    Grant.objects.filter(pk=grants[0].pk).update(state=GrantState.CLOSED)
    Grant.objects.filter(pk=grants[1].pk).update(state=GrantState.REVOKED)  # in no stage
    call_command("rebuild_progress", stdout=None)
    today = timezone.localdate()
    chosen = with_stage(Grant.objects.filter(application__pool=pool_of_projects), pool_of_projects, today)
    snapshot = pool_snapshot.compute(chosen, Municipality.objects.none(), today, None)
    rows = pool_rows(chosen.order_by("pk"), today).rows
    assert len({row.stage for row in rows}) == 3
    assert snapshot.figures[""] == row_figures(rows, today)
    for stage in Stage:
        assert snapshot.figures[stage] == row_figures([row for row in rows if row.stage == stage], today)
