"""The demo's second granted project: Gribskov's "Projekt 44 point = arbejde" (seed 000), a story
told before today with the seed's outcomes and economics; and the labels of the demo's
illustrative figures."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import Application, Grant, State
from core.illustrative import notes_for
from monitoring import services
from monitoring.demo_gribskov import POOL_NAME, PROJECT_TITLE
from monitoring.economics import read_economics
from monitoring.models import Milestone, NationalKpi, QuarterlyReport, ReportState
from monitoring.pdf import briefing
from monitoring.progress import monitoring_queryset, read_project
from monitoring.quarters import Quarter

from ..conftest import make_pool, page_client_for
from .handed_in import wrong_hand_ins

pytestmark = pytest.mark.django_db


def load(*commands: str) -> str:
    out = StringIO()
    for command in ("load_demo", *commands):
        call_command(command, stdout=StringIO())
    call_command("load_gribskov_demo", stdout=out)
    return out.getvalue()


def gribskovs_grant() -> Grant:
    return Grant.objects.select_related("application__pool").get(application__title=PROJECT_TITLE)


def test_the_demo_loads_gribskovs_granted_project_however_often_it_loads() -> None:
    first = load()
    assert "the granted project “Projekt 44 point = arbejde”, 2 quarterly report(s), its economics" in first
    assert load().strip() == "Gribskov demo data was already there."

    grant = gribskovs_grant()
    application = grant.application
    assert Application.objects.filter(title=PROJECT_TITLE).count() == 1
    assert QuarterlyReport.objects.filter(grant=grant).count() == 2
    assert application.state == State.GRANTED
    assert application.lead_municipality.code == "270"
    assert application.created_by.username == "gribskov"
    assert grant.amount == Decimal("450000.00")
    assert application.journal_number == "2023-0001"


def test_its_story_happens_in_order_and_before_today() -> None:
    load()
    grant = gribskovs_grant()
    application, pool = grant.application, grant.application.pool
    today = timezone.localdate()

    approval = application.political_approvals.get()
    submitted = timezone.localdate(application.submitted_at)
    granted = timezone.localdate(grant.granted_at)
    assert pool.opens_on <= approval.decided_on <= submitted <= pool.closes_on < granted < grant.start_date
    # The period is over, and so is the 12-month follow-up after it ended.
    assert grant.end_date == datetime.date(2024, 6, 30)
    assert datetime.date(grant.end_date.year + 1, 6, 30) < today
    assert not pool.is_open_on(today)

    reports = list(QuarterlyReport.objects.filter(grant=grant).order_by("year", "quarter"))
    due = {m.period: m.report_due_on for m in Milestone.objects.filter(grant=grant)}
    assert [r.period for r in reports] == sorted(due)
    for report in reports:
        handed_in = timezone.localdate(report.first_submitted_at)
        assert report.period.end < handed_in <= due[report.period]  # after its quarter, on time
        assert report.state == ReportState.ACCEPTED
    assert not wrong_hand_ins()  # the story's hand-in times, written after the services' own


def test_its_outcomes_are_the_seeds_first_run() -> None:
    """6 of 10 in ordinary work at the project's end; the seed's 10 of 10 twelve months after is a
    follow-up after the period, and its 5 of 6 and 6 of 6 belong to its second run."""
    load()
    grant = monitoring_queryset(Grant.objects.filter(application__title=PROJECT_TITLE)).get()
    reading = read_project(grant)
    assert [(o.point, o.employed, o.participants) for o in reading.outcomes] == [
        ("end", 6, 10),
    ]
    economics = read_economics(grant, reading.outcomes).economics
    assert economics is not None
    assert [(e.source, e.months) for e in economics.effects] == [
        ("end", Decimal("11.4")),
        ("entered", Decimal("8.6")),
    ]


def page(user: Any, url: str) -> str:
    response = page_client_for(user).get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_its_page_shows_the_months_and_says_which_figures_are_illustrative() -> None:
    load()
    grant = gribskovs_grant()
    gribskov = get_user_model().objects.get(username="gribskov")
    html = page(gribskov, reverse("monitoring:project", args=[grant.pk]))

    assert "11,4 måneder" in html and "8,6 måneder" in html
    assert "Ved projektafslutning: 6 af 10 i arbejde" in html
    assert "Illustrative tal" in html
    assert "Tilskudsbeløb, budget, projektperiode" in html

    data, _name = briefing.briefing_pdf(grant.pk, Quarter(2024, 2))
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "11,4 måneder" in text and "8,6 måneder" in text
    assert "Illustrative tal" in text and "Rapportens tekster og forbrug" in text


def test_the_base_demos_illustrative_figures_are_labelled_and_real_data_is_not(pool_admin: Any) -> None:
    load("load_monitoring_demo")
    slagelse_reports = QuarterlyReport.objects.filter(grant__application__title="Integrations Jobenheden")
    first, *others = slagelse_reports.order_by("year", "quarter")
    assert others
    assert "FIP-gennemsnittene" in notes_for(first)[0]
    assert all(notes_for(report) == ["Rapportens tal og tekster er illustrative."] for report in others)
    assert NationalKpi.objects.exists()
    assert all("nationale gennemsnit" in notes_for(kpi)[0] for kpi in NationalKpi.objects.all())

    reviewer = get_user_model().objects.get(username="reviewer")
    pools_page = page(reviewer, reverse("applications:pools"))
    assert "Illustrative tal" in pools_page and "Puljens budget" in pools_page
    dashboard = page(reviewer, reverse("monitoring:dashboard", args=[first.grant.application.pool_id]))
    assert "De nationale gennemsnit er illustrative" in dashboard
    report_page = page(reviewer, reverse("monitoring:report", args=[first.grant_id, first.pk]))
    assert "FIP-gennemsnittene" in report_page

    # A pool SIRI makes itself, and a national average it enters, carry no label, even after the
    # demo's labels are put on again.
    real = make_pool(name="Pulje uden demodata")
    average = services.set_national_kpi(pool_admin, 2020, 1, {"self_supporting_share": Decimal(20)})
    call_command("load_gribskov_demo", stdout=StringIO())
    assert notes_for(real, average) == []
    assert "Pulje uden demodata" in page(reviewer, reverse("applications:pools"))


def test_without_the_base_demo_it_says_what_to_load_first() -> None:
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_gribskov_demo", stdout=StringIO())
    assert not Application.objects.filter(title=PROJECT_TITLE).exists()
    assert not Application.objects.filter(pool__name=POOL_NAME).exists()
