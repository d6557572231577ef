"""The pool's charts: goals by status, money granted / paid out / spent, reports per quarter, on
the dashboard (SVG with its table for screen readers) and in the portfolio report (read back with
pypdf). A small pool worked out by hand:

    project          goals (women 35 cumulative, attendance 70 %)        reports
    A "Kvinder i job" Q1 4 / 62 %, Q2 8 / 63 %: on track, at risk        Q1, Q2 on time
    B "Tom start"     nothing reported: no figures, no figures           none
    C "Virksomhed"    Q1 1 / 70 %: off track, on track                   Q1 late

Goals by status: on track 2, at risk 1, off track 1, no figures 2. As of 23.11.2026 three
quarters are due: Q1 on time 1, late 1, missing 1; Q2 on time 1, missing 2; Q3 missing 3.
Granted 3 × 800.000 = 2.400.000 kr.; spent 150.000 + 50.000 = 200.000 kr.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from applications import services as application_services
from applications.models import Goal, GoalKind, Grant, GrantState, Pool
from awards import services as award_services
from awards.models import Payment, PaymentKind
from monitoring import services
from monitoring.models import Milestone, QuarterlyReport
from monitoring.pdf import portfolio
from monitoring.pool_figures import PoolFigures, pool_figures
from monitoring.progress import monitoring_queryset, read_project
from monitoring.quarters import Quarter
from monitoring.views.pool_charts import completeness_chart, money_chart, status_chart

from ..conftest import approve, make_complete_draft, make_pool, page_client_for, review
from .conftest import recent_period
from .test_view_queries import add_projects

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
AS_OF = datetime.date(2026, 11, 23)


def granted(pool: Pool, applicant: Any, reviewer: Any, title: str, code: str = "330") -> Grant:
    """A granted and accepted project of `pool`: 35 women into work and 70 % attendance."""
    application = make_complete_draft(pool, applicant, code=code)
    application.title, application.start_date, application.end_date = title, START, END
    application.save()
    application.budget_lines.update(year=START.year)
    women = application.goals.get()
    women.title, women.target_value = "Kvinder i job", Decimal(35)
    women.save()
    Goal.objects.create(
        application=application,
        title="Fremmøde",
        kind=GoalKind.PERCENTAGE,
        target_value=Decimal(70),
        unit="%",
        cumulative=False,
    )
    application_services.submit(application.pk, applicant)
    approve(application, applicant)
    review(application, reviewer)
    application_services.grant(application.pk, reviewer, Decimal(800000))
    grant = Grant.objects.get(application=application)
    award_services.accept(
        grant.pk, applicant, {"accepted_by_name": "Helle Larsen", "accepted_by_title": "Leder", "declaration": True}
    )
    return grant


def hand_in(grant: Grant, user: Any, quarter: Quarter, women: int, attendance: int, spent: str, on_time: bool) -> None:
    goals = {goal.kind: goal for goal in grant.application.goals.all()}
    data = {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Forløbet kører som planlagt.",
        "enrolled": 40,
        "spent_to_date": Decimal(spent),
        "progress": [
            {"goal": goals[GoalKind.COUNT].pk, "value": Decimal(women)},
            {"goal": goals[GoalKind.PERCENTAGE].pk, "numerator": attendance, "denominator": 100},
        ],
    }
    report = services.submit_report(services.create_report(grant.pk, user, data).pk, user)
    due = Milestone.objects.get(grant=grant, year=quarter.year, quarter=quarter.quarter).report_due_on
    # Handed in on the due date, or a week after it (the tests run long after both).
    moment = datetime.datetime.combine(due + datetime.timedelta(days=0 if on_time else 7), datetime.time(12))
    QuarterlyReport.objects.filter(pk=report.pk).update(first_submitted_at=timezone.make_aware(moment))


@pytest.fixture
def pool(slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any) -> Pool:
    pool = make_pool(project_start_earliest=START, project_end_latest=END, name="Integrationspuljen 2026")
    a = granted(pool, slagelse_applicant, reviewer, "Kvinder i job")
    granted(pool, slagelse_applicant, reviewer, "Tom start")
    c = granted(pool, gribskov_applicant, reviewer, "Virksomhed", code="270")
    hand_in(a, slagelse_applicant, Quarter(2026, 1), 4, 62, "60000", on_time=True)
    hand_in(a, slagelse_applicant, Quarter(2026, 2), 8, 63, "150000", on_time=True)
    hand_in(c, gribskov_applicant, Quarter(2026, 1), 1, 70, "50000", on_time=False)
    return pool


def figures_of(pool: Pool) -> PoolFigures:
    grants = Grant.objects.filter(application__pool=pool)
    readings = [read_project(grant, AS_OF) for grant in monitoring_queryset(grants)]
    return pool_figures(readings, grants, AS_OF)


def test_the_chart_figures_of_a_small_pool(pool: Pool) -> None:
    figures = figures_of(pool)
    assert figures.statuses == [("on_track", 2), ("at_risk", 1), ("off_track", 1), (None, 2)]
    assert [(str(q.quarter), q.on_time, q.late, q.missing) for q in figures.quarters] == [
        ("1. kvt. 2026", 1, 1, 1),
        ("2. kvt. 2026", 1, 0, 2),
        ("3. kvt. 2026", 0, 0, 3),
    ]
    assert figures.granted == Decimal(2400000) and figures.spent == Decimal(200000)
    # nothing paid yet, nothing repaid or returned
    assert [(f.key, f.amount) for f in figures.money] == [
        ("paid", Decimal(0)),
        ("repaid", Decimal(0)),
        ("returned", Decimal(0)),
    ]

    with translation.override("da"):
        goals = status_chart(figures)
        money = money_chart(figures)
        reports = completeness_chart(figures)
    assert goals.rows == [
        ["På rette spor", "2"],
        ["I risiko", "1"],
        ["Ikke på rette spor", "1"],
        ["Ingen tal endnu", "2"],
    ]
    assert goals.bars[0].label == "På rette spor: 2"
    assert money.rows == [
        ["Bevilget", "2.400.000 kr."],
        ["Udbetalt", "0 kr."],
        ["Tilbagebetalt", "0 kr."],
        ["Tilbage i puljen (afsluttede tilskud)", "0 kr."],
        ["Forbrugt (indberettet)", "200.000 kr."],
    ]
    assert reports.rows == [
        ["1. kvt. 2026", "1", "1", "1", "3"],
        ["2. kvt. 2026", "1", "0", "2", "3"],
        ["3. kvt. 2026", "0", "0", "3", "3"],
    ]
    # Three quarters: a stack of three segments, then two, then one.
    assert len(reports.bars) == 6
    assert reports.summary.startswith("9 rapporter har haft frist")
    assert goals.summary.startswith("6 mål i 3 projekter: På rette spor 2; I risiko 1;")
    assert money.summary.endswith("Forbrugt (indberettet) 200.000 kr.") and "kr.." not in money.summary


def test_bars_are_as_long_as_their_figures_and_their_labels_never_meet(pool: Pool) -> None:
    figures = figures_of(pool)
    goals = status_chart(figures)
    on_track, at_risk, off_track, none = goals.bars
    assert on_track.width == pytest.approx(2 * at_risk.width) == pytest.approx(none.width)
    assert at_risk.width == pytest.approx(off_track.width)
    for above, below in zip(goals.bars, goals.bars[1:], strict=False):
        # A label sits on its own line between the bar above and its own bar.
        assert above.y + above.height < below.label_y - 20 and below.label_y < below.y
    assert goals.bars[-1].y + goals.bars[-1].height <= goals.height
    reports = completeness_chart(figures)
    # Each quarter's stack reaches as high as its reports due (3 each): one column height.
    tops = {round(bar.x): min(b.y for b in reports.bars if round(b.x) == round(bar.x)) for bar in reports.bars}
    assert len(set(tops.values())) == 1 and len(tops) == 3


def test_money_paid_out_comes_from_the_grant_administration(pool: Pool, pool_admin: Any) -> None:
    # Its instalments are held while its third quarter is late; on a day before that, they were not.
    early = START + datetime.timedelta(days=5)
    payment = Payment.objects.filter(grant__application__title="Kvinder i job", kind=PaymentKind.INSTALMENT).earliest(
        "due_on"
    )
    award_services.pay(payment.pk, pool_admin, early, early)
    figures = figures_of(pool)
    assert [(f.key, f.amount) for f in figures.money] == [
        ("paid", payment.amount),
        ("repaid", Decimal(0)),
        ("returned", Decimal(0)),  # no grant is closed
    ]
    with translation.override("da"):
        assert money_chart(figures).rows[1][1] == f"{payment.amount:,.0f} kr.".replace(",", ".")


def test_the_dashboard_counts_the_money_as_the_report_does(pool: Pool, pool_admin: Any, reviewer: Any) -> None:
    """The dashboard reads each grant's money with its rows, the portfolio report asks for the
    sums: a closed grant returns what it was granted, less what was paid out to it."""
    early = START + datetime.timedelta(days=5)
    payment = Payment.objects.filter(grant__application__title="Kvinder i job", kind=PaymentKind.INSTALMENT).earliest(
        "due_on"
    )
    award_services.pay(payment.pk, pool_admin, early, early)
    Grant.objects.filter(pk=payment.grant_id).update(state=GrantState.CLOSED)
    figures = figures_of(pool)
    assert [(f.key, f.amount) for f in figures.money] == [
        ("paid", payment.amount),
        ("repaid", Decimal(0)),
        ("returned", Decimal(800000) - payment.amount),
    ]
    response = page_client_for(reviewer).get(reverse("monitoring:dashboard", args=[pool.pk]))
    _goals, money, _reports = response.context["charts"]
    with translation.override("da"):
        assert money.rows == money_chart(figures).rows


def test_the_dashboard_draws_the_charts_with_their_tables(pool: Pool, reviewer: Any) -> None:
    response = page_client_for(reviewer).get(reverse("monitoring:dashboard", args=[pool.pk]))
    page = response.content.decode()
    titles = re.findall(r'<title id="(chart-pool-[a-z]+)-title">([^<]+)</title>', page)
    assert titles == [
        ("chart-pool-goals", "Mål fordelt på status"),
        ("chart-pool-money", "Bevilget, udbetalt og forbrugt"),
        ("chart-pool-reports", "Rapporter pr. kvartal"),
    ]
    tables = re.findall(r'<table class="sr-only">(.*?)</table>', page, re.S)
    assert len(tables) == 3
    assert '<th scope="row">Ingen tal endnu</th><td>2</td>' in tables[0]
    assert '<th scope="row">Bevilget</th><td>2.400.000 kr.</td>' in tables[1]
    assert '<th scope="col">Indsendt for sent</th>' in tables[2]
    # Not colour alone: the at-risk and off-track bars are patterned, and each bar is named.
    assert 'fill="url(#chart-pool-goals-at-risk)"' in page and 'fill="url(#chart-pool-goals-off-track)"' in page
    assert ">I risiko: 1</text>" in page
    assert "<script" not in page.split('id="charts-heading"')[1].split("</section>")[0]


def test_the_charts_of_a_municipality_chosen(pool: Pool, reviewer: Any) -> None:
    response = page_client_for(reviewer).get(reverse("monitoring:dashboard", args=[pool.pk]), {"municipality": "270"})
    goals, money, _reports = response.context["charts"]
    assert goals.rows == [
        ["På rette spor", "1"],
        ["I risiko", "0"],
        ["Ikke på rette spor", "1"],
        ["Ingen tal endnu", "0"],
    ]
    assert money.rows[0] == ["Bevilget", "800.000 kr."]


@pytest.mark.parametrize("count", [10, 60])
def test_the_charts_count_every_project_in_flat_queries(
    count: int, slagelse_applicant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    """The charts speak of the whole pool, not the page of 50, at the same cost for 10 as for 60."""
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end, name="Stor pulje")
    add_projects(pool, count, slagelse_applicant, reviewer)
    browser = page_client_for(reviewer)
    # The summaries computed on the spot (none is stored in a test's transaction) included.
    with django_assert_max_num_queries(24):
        response = browser.get(reverse("monitoring:dashboard", args=[pool.pk]))
    goals, money, reports = response.context["charts"]
    assert sum(int(row[1]) for row in goals.rows) == 2 * count
    assert money.rows[0][1] == f"{800000 * count:,} kr.".replace(",", ".")
    assert reports.rows[0][1:] == ["0", str(count), "0", str(count)]  # the first quarter, handed in late


def test_the_portfolio_report_draws_the_charts(pool: Pool) -> None:
    with translation.override("da"):
        data = portfolio.portfolio_pdf(pool, as_of=AS_OF)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    summary = re.sub(r"\s+", " ", " ".join(pages[:2]))
    for title in ("Mål fordelt på status", "Bevilget, udbetalt og forbrugt", "Rapporter pr. kvartal"):
        assert title in summary
    for label in ("På rette spor: 2", "I risiko: 1", "Ikke på rette spor: 1", "Ingen tal endnu: 2"):
        assert label in summary
    assert "Bevilget: 2.400.000 kr." in summary and "Forbrugt (indberettet): 200.000 kr." in summary
    assert "Udbetalt: 0 kr." in summary
    assert "Indsendt til tiden" in summary and "Ikke indsendt" in summary
