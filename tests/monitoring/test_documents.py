"""The committee briefing and the portfolio report, read back from the PDF as a person would.

Slagelse's ambassador project runs 01.01.2026–31.12.2027 (eight quarters) with a grant of
800.000 kr.: 35 women into work (cumulative: the straight line expects 13,13 by the end of 3rd
quarter 2026) and 70 % attendance (a level, expected at 70 % from the first quarter). Its 3rd
quarter report gives 12 women (91,4 % of the expected: on track), attendance of 60 of 100 (60 %,
85,7 % of the 70 % required: off track, falling from 62 % and 63 %, never on track), and
250.000 kr. spent.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from applications import services as application_services
from applications.models import Goal, GoalKind, Grant, Pool
from documents import services as document_services
from documents.models import Document, DocumentStatus
from documents.registry import KINDS
from monitoring import services, summary
from monitoring.extensions import owed_days_late
from monitoring.models import GrantProgress, QuarterlyReport
from monitoring.pdf import BRIEFING_SECTIONS, briefing, briefing_section, portfolio
from monitoring.pool_figures import spent_of
from monitoring.progress import monitoring_queryset, prefetch_flat, read_project
from monitoring.quarters import Quarter

from ..conftest import approve, make_complete_draft, make_pool, require_service, review
from .conftest import goals_of, make_grant

START, END = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
PREVIEWS = Path(django_settings.BASE_DIR) / "var" / "pdf-previews"
FOOTER = re.compile(r"(?:Side|Page) (\d+) (?:af|of)\s*(\d+)")
HOSTILE = (
    '<img src="/etc/passwd"/> <b>fed</b> <a href="file:///etc/shadow">link</a> & <font size=90>x</font> '
    "Ha\u030ar og o\u0308l\n\n"  # combining ring and diaeresis: NFC makes them å and ö
) * 200


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def text_of(data: bytes) -> tuple[int, str, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    return len(pages), "\n".join(pages), pages


def flat(text: str) -> str:
    """Text with line breaks as spaces: a table cell may wrap."""
    return re.sub(r"\s+", " ", text)


def preview(data: bytes, name: str, tmp_path: Path) -> list[Path]:
    """The first two pages as PNG under var/pdf-previews/, for a person to look at."""
    require_service("pdftoppm", shutil.which("pdftoppm") is not None, "apt-get install poppler-utils")
    PREVIEWS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(data)
    for old in PREVIEWS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(source), str(PREVIEWS / name)],  # noqa: S607
        check=True,
    )
    return sorted(PREVIEWS.glob(f"{name}-*.png"))


def progress_row(goal_id: int, value: Any) -> dict[str, Any]:
    """A count's value, or a share's n of 100."""
    if Goal.objects.get(pk=goal_id).is_share:
        return {"goal": goal_id, "numerator": int(value), "denominator": 100}
    return {"goal": goal_id, "value": Decimal(value)}


def hand_in(grant: Grant, user: Any, quarter: Quarter, values: dict[int, Any], **extra: Any) -> QuarterlyReport:
    data = {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": extra.pop("narrative", "Forløbet kører som planlagt."),
        "enrolled": 40,
        "spent_to_date": Decimal(extra.pop("spent", "100000")),
        "progress": [progress_row(goal_id, value) for goal_id, value in values.items()],
        **extra,
    }
    report = services.create_report(grant.pk, user, data)
    return services.submit_report(report.pk, user)


def granted_in(pool: Pool, applicant: Any, reviewer: Any, title: str, code: str = "330", goals: int = 1) -> Grant:
    """A granted application of `pool` with `goals` count goals (the form's one and more)."""
    application = make_complete_draft(pool, applicant, code=code)
    application.title = title
    application.save()
    for number in range(2, goals + 1):
        Goal.objects.create(
            application=application,
            title=f"Delmål nummer {number:02d}",
            kind=GoalKind.COUNT,
            target_value=Decimal(10 + number),
            cumulative=True,
        )
    application_services.submit(application.pk, applicant)
    approve(application, applicant)
    review(application, reviewer)
    application_services.grant(application.pk, reviewer, Decimal("800000"))
    return Grant.objects.get(application=application)


@pytest.fixture
def project(slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> Grant:
    """Slagelse's project with its 1st, 2nd and 3rd quarter 2026 handed in."""
    grant = make_grant(slagelse_applicant, reviewer, START, END)
    women, attendance = goals_of(grant)
    hand_in(grant, slagelse_applicant, Quarter(2026, 1), {women.pk: 4, attendance.pk: 62}, spent="60000")
    hand_in(grant, slagelse_applicant, Quarter(2026, 2), {women.pk: 8, attendance.pk: 63}, spent="150000")
    hand_in(
        grant,
        slagelse_applicant,
        Quarter(2026, 3),
        {women.pk: 12, attendance.pk: 60},
        spent="250000",
        narrative="Vi har etableret samarbejde med tre virksomheder i Korsør.",
        obstacles="Sygdom blandt mentorerne.",
        kpis={
            "self_supporting_share": Decimal("45"),
            "job_ready_share": Decimal("30.5"),
            "company_activation_share": None,
        },
        fip=[
            {"dimension": "cooperation", "respondent": "citizen", "average": Decimal("4.2"), "n": 12},
            {"dimension": "cooperation", "respondent": "caseworker", "average": Decimal("3.6"), "n": 12},
            {"dimension": "speaks_danish", "respondent": "citizen", "average": Decimal("5.1"), "n": 11},
        ],
    )
    services.set_national_kpi(
        pool_admin, 2026, 3, {"self_supporting_share": Decimal("38.5"), "job_ready_share": Decimal("33")}
    )
    return grant


def briefing_of(grant: Grant, quarter: Quarter) -> bytes:
    data, _filename = briefing.briefing_pdf(grant.pk, quarter)
    return data


@pytest.mark.django_db
def test_the_briefing_shows_the_quarter_in_danish_figures(project: Grant, tmp_path: Path) -> None:
    data = briefing_of(project, Quarter(2026, 3))
    pages, text, _pages = text_of(data)
    words = flat(text)

    assert "Slagelse" in words
    assert "Beskæftigelsesambassadør" in words
    assert "Aktivitetsparate kvinder i beskæftigelse" in words and "Gennemsnitlig fremmødeprocent" in words
    assert project.application.journal_number in words
    assert "Pulje 20260101-330" in words
    # Goal figures: 13,13 women expected by the end of the quarter, 12 reached (34,3 % of 35);
    # attendance: 70 % expected, 60 % (60 of 100) reported, 85,7 % of the target, off track and
    # falling; a level has no forecast date.
    assert "13,13" in words and "34,3 %" in words
    assert "70 % 70 % 60 % (60 af 100) 85,7 % Ikke på rette spor Tendens: faldende" in words
    assert "Niveau, der skal holdes" in words and "Lægges sammen over perioden" in words
    assert "Gennemsnitlig fremmødeprocent – " not in words  # no target group: nothing after the title
    assert "Aktivitetsparate kvinder i beskæftigelse – aktivitetsparate kvinder" in words
    # Money: 250.000 of 800.000 kr. (31,3 %); the plan expects 273 of 730 days' worth by 30.09.2026.
    assert "800.000 kr." in words and "250.000 kr." in words and "31,3 %" in words
    assert "299.178,08 kr." in words and "83,6 %" in words
    # Dates: the period, the quarter's end, the report due dates.
    assert "01.01.2026–31.12.2027" in words and "30.09.2026" in words and "30.10.2026" in words
    # KPIs against the national average (45 against 38,5: +6,5 points) and FIP averages.
    assert "45 %" in words and "38,5 %" in words and "+6,5" in words
    assert "4,2" in words and "3,6" in words and "0,6" in words and "5,1" in words
    assert "Vi har etableret samarbejde med tre virksomheder i Korsør." in words
    assert "Sygdom blandt mentorerne." in words
    # "Side x af y" on every page, y the page count.
    assert FOOTER.findall(text) == [(str(n), str(pages)) for n in range(1, pages + 1)]
    assert preview(data, "briefing", tmp_path)


@pytest.mark.django_db
def test_the_briefing_is_as_at_the_end_of_its_quarter(project: Grant) -> None:
    """The 2nd quarter's briefing shows 8 women, not the 12 handed in later, nor the later money."""
    words = flat(text_of(briefing_of(project, Quarter(2026, 2)))[1])
    assert "150.000 kr." in words and "250.000 kr." not in words
    assert "8,75" in words  # expected women by 30.06.2026
    assert "Vi har etableret samarbejde" not in words


@pytest.mark.django_db
def test_the_summary_is_made_from_the_figures(project: Grant) -> None:
    loaded = briefing.load(project.pk, Quarter(2026, 3))
    statuses = [goal.status for goal in loaded.reading.goals]
    assert statuses == ["on_track", "off_track"]
    from django.utils import translation

    with translation.override("en"):
        sentences = briefing.summary_sentences(loaded)
    assert sentences[0] == "The project is on track for 1 of 2 goals."
    assert "1 goal is off track." in sentences
    assert "Every report due by then has been handed in." in sentences


@pytest.mark.django_db
def test_other_apps_add_sections(project: Grant) -> None:
    from documents import pdf

    def contribution(grant: Grant, year: int, quarter: int) -> list[Any]:
        return [pdf.para(f"Ambassadørens bidrag {year}-{quarter} til {grant.application.title}", pdf.styles()["body"])]

    briefing_section(contribution)
    briefing_section(contribution)  # twice, as a ready() that runs twice would
    try:
        words = flat(text_of(briefing_of(project, Quarter(2026, 3)))[1])
    finally:
        BRIEFING_SECTIONS.remove(contribution)
    assert words.count("Ambassadørens bidrag 2026-3 til Beskæftigelsesambassadør") == 1


@pytest.mark.django_db
def test_forty_goals_spill_over_pages(slagelse_applicant: Any, reviewer: Any) -> None:
    pool = make_pool(project_start_earliest=START, project_end_latest=END)
    grant = granted_in(pool, slagelse_applicant, reviewer, "Fyrre mål", goals=40)
    goals = list(grant.application.goals.order_by("id"))
    hand_in(grant, slagelse_applicant, Quarter(2026, 1), {goal.pk: 3 for goal in goals})

    pages, text, _pages = text_of(briefing_of(grant, Quarter(2026, 1)))

    words = flat(text)
    assert pages >= 10
    assert all(f"Delmål nummer {number:02d}" in words for number in range(2, 41))
    assert "Kvinder i beskæftigelse" in words
    assert FOOTER.findall(text) == [(str(n), str(pages)) for n in range(1, pages + 1)]


@pytest.mark.django_db
def test_a_hostile_narrative_renders_as_text(slagelse_applicant: Any, reviewer: Any) -> None:
    grant = make_grant(slagelse_applicant, reviewer, START, END)
    women, attendance = goals_of(grant)
    narrative = HOSTILE * 5  # about 20.000 characters
    assert len(narrative) > 19_000
    hand_in(grant, slagelse_applicant, Quarter(2026, 1), {women.pk: 4, attendance.pk: 50}, narrative=narrative)

    pages, text, _pages = text_of(briefing_of(grant, Quarter(2026, 1)))

    assert '<img src="/etc/passwd"/>' in text  # printed, not loaded
    assert "<b>fed</b>" in text
    assert "Hår og öl" in text  # NFC-normalised
    assert pages >= 6


@pytest.mark.django_db
def test_a_briefing_through_the_documents_machinery(
    project: Grant, committee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.request_document(
            committee, "committee_briefing", project, {"year": 2026, "quarter": 3}
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    assert document.filename == f"udvalgsorientering-{project.application.journal_number}-2026-3.pdf"
    assert "Beskæftigelsesambassadør" in flat(text_of(document.file.read())[1])
    assert committee.has_perm("documents.view_document", document)


@pytest.mark.django_db
def test_a_quarter_without_a_handed_in_report_is_refused(
    project: Grant, committee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(briefing.Refused) as refused:
        briefing.briefing_pdf(project.pk, Quarter(2026, 4))
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.request_document(
            committee, "committee_briefing", project, {"year": 2026, "quarter": 4}
        )
        nonsense = document_services.request_document(committee, "committee_briefing", project, {"year": "x"})
    document.refresh_from_db()
    nonsense.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == str(refused.value)
    assert "2026" in document.error and "4" in document.error
    assert nonsense.status == DocumentStatus.FAILED and nonsense.error


@pytest.mark.django_db
def test_a_draft_report_is_not_enough(slagelse_applicant: Any, reviewer: Any) -> None:
    grant = make_grant(slagelse_applicant, reviewer, START, END)
    women, _attendance = goals_of(grant)
    services.create_report(
        grant.pk,
        slagelse_applicant,
        {"year": 2026, "quarter": 1, "progress": [{"goal": women.pk, "value": Decimal(4)}]},
    )
    with pytest.raises(briefing.Refused):
        briefing.briefing_pdf(grant.pk, Quarter(2026, 1))


@pytest.mark.django_db
def test_who_may_have_the_briefing(
    project: Grant, gribskov_applicant: Any, slagelse_applicant: Any, committee: Any, reviewer: Any
) -> None:
    params = {"year": 2026, "quarter": 3}
    with pytest.raises(PermissionDenied):
        document_services.request_document(gribskov_applicant, "committee_briefing", project, params)
    for user in (committee, slagelse_applicant, reviewer):
        assert document_services.request_document(user, "committee_briefing", project, params).pk
    kind = KINDS["committee_briefing"]
    assert not kind.may_have(gribskov_applicant, project)
    assert kind.may_have(committee, project)


@pytest.mark.django_db
def test_the_portfolio_has_a_summary_and_a_page_per_project(
    slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, tmp_path: Path
) -> None:
    pool = make_pool(project_start_earliest=START, project_end_latest=END, name="Beskæftigelsespuljen 2026")
    grants = [
        granted_in(pool, slagelse_applicant, reviewer, "Kvinder i job", goals=2),
        granted_in(pool, slagelse_applicant, reviewer, "Unge i uddannelse"),
        granted_in(pool, gribskov_applicant, reviewer, "Virksomhedsspor", code="270"),
    ]
    for grant, user in zip(grants, (slagelse_applicant, slagelse_applicant, gribskov_applicant), strict=True):
        goals = list(grant.application.goals.order_by("id"))
        hand_in(grant, user, Quarter(2026, 1), {goal.pk: 4 for goal in goals}, spent="100000")
        hand_in(grant, user, Quarter(2026, 2), {goal.pk: 9 for goal in goals}, spent="200000")

    # Chunks of two: the second pass's pages come in two blocks.
    data = portfolio.portfolio_pdf(pool, as_of=datetime.date(2026, 11, 23), chunk=2)
    pages, text, per_page = text_of(data)

    assert pages >= 4
    assert FOOTER.findall(text) == [(str(n), str(pages)) for n in range(1, pages + 1)]
    summary = flat(per_page[0])
    assert "Beskæftigelsespuljen 2026" in summary
    assert "2.400.000 kr." in summary and "600.000 kr." in summary  # granted, spent
    assert "25 %" in summary
    # One page per project after the summary (with its charts, two pages), in the order of
    # municipality and title: Gribskov first.
    projects = [page for page in per_page if "Journalnummer" in page]
    assert per_page[-len(projects) :] == projects
    titles = [
        next((t for t in ("Virksomhedsspor", "Kvinder i job", "Unge i uddannelse") if t in page), None)
        for page in projects
    ]
    assert titles == ["Virksomhedsspor", "Kvinder i job", "Unge i uddannelse"]
    assert "Gribskov" in projects[0] and "Slagelse" in projects[1]
    assert "9" in projects[0] and "35" in projects[0]
    assert preview(data, "portfolio", tmp_path)


def two_projects(slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any) -> list[Grant]:
    """Two granted projects of one pool: Slagelse's with three count goals and a share (reported as
    n of N), Gribskov's with one count goal. Nothing handed in yet."""
    pool = make_pool(project_start_earliest=START, project_end_latest=END, name="Beskæftigelsespuljen 2026")
    grants = [
        granted_in(pool, slagelse_applicant, reviewer, "Kvinder i job", goals=3),
        granted_in(pool, gribskov_applicant, reviewer, "Virksomhedsspor", code="270"),
    ]
    Goal.objects.create(
        application=grants[0].application,
        title="Andel i job",
        kind=GoalKind.PERCENTAGE,
        target_value=Decimal(60),
        cumulative=False,
    )
    return grants


@pytest.mark.django_db
def test_the_portfolio_reads_each_project_as_its_page_does(
    slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, django_assert_num_queries: Any
) -> None:
    """prefetch_flat hands read_project tuples, not models: the readings must not tell."""
    grants = two_projects(slagelse_applicant, gribskov_applicant, reviewer)
    first = grants[0]
    goals = list(first.application.goals.order_by("id"))
    hand_in(first, slagelse_applicant, Quarter(2026, 1), {goal.pk: 4 for goal in goals}, spent="100000")
    hand_in(
        first, slagelse_applicant, Quarter(2026, 2), {goal.pk: 9 - n for n, goal in enumerate(goals)}, spent="250000"
    )
    as_of = datetime.date(2026, 11, 23)
    ids = [grant.pk for grant in grants]

    expected = [
        dataclasses.replace(read_project(grant, as_of), outcomes=[])
        for grant in monitoring_queryset(Grant.objects.filter(pk__in=ids).order_by("pk"))
    ]
    flat_read = list(Grant.objects.filter(pk__in=ids).select_related("application__pool").order_by("pk"))
    # goals (with their target groups), milestones, expected values, reports, their figures
    with django_assert_num_queries(5):
        prefetch_flat(flat_read)
    owed_days = owed_days_late(Grant.objects.filter(pk__in=ids), as_of)  # once per chunk, as the portfolio does
    with django_assert_num_queries(0):
        readings = [read_project(grant, as_of, owed_days.get(grant.pk, 0)) for grant in flat_read]
    assert readings == expected
    assert any(goal.actual for goal in readings[0].goals)
    assert any(goal.expected_by_now for goal in readings[0].goals)
    assert any(goal.denominator for goal in readings[0].goals)
    assert readings[0].late and readings[1].late


def page_figures(reading: Any, spent: Any) -> tuple[Any, ...]:
    """What a project's page in the portfolio report shows of a reading."""
    goals = [
        (
            goal.goal.pk,
            goal.goal.target_group,
            goal.actual,
            goal.expected_by_now,
            goal.percent_of_target,
            goal.status,
            goal.trend,
            goal.forecast_date,
            goal.reached,
            goal.numerator,
            goal.denominator,
        )
        for goal in reading.goals
    ]
    late = [(milestone.period, milestone.report_due_on) for milestone in reading.late]
    return (
        reading.grant.pk,
        goals,
        late,
        reading.reporting,
        reading.budget,
        reading.performance,
        reading.risk,
        reading.figures_as_of,
        spent,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["now", "before the forecasts were kept"])
def test_the_portfolio_pages_read_the_stored_summaries_as_the_project_page_reads_the_reports(
    slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, written: str, django_assert_num_queries: Any
) -> None:
    grants = two_projects(slagelse_applicant, gribskov_applicant, reviewer)
    first = grants[0]
    goals = list(first.application.goals.order_by("id"))
    hand_in(first, slagelse_applicant, Quarter(2026, 1), {goal.pk: 4 for goal in goals}, spent="100000")
    # The second goal reaches its 12, the others go on at their pace.
    hand_in(
        first,
        slagelse_applicant,
        Quarter(2026, 2),
        dict(zip([g.pk for g in goals], [9, 12, 7, 50], strict=True)),
        spent="250000",
    )
    as_of = datetime.date(2026, 11, 23)
    ids = [grant.pk for grant in grants]
    expected = [
        page_figures(reading, spent_of(reading))
        for reading in (
            read_project(grant, as_of) for grant in monitoring_queryset(Grant.objects.filter(pk__in=ids).order_by("pk"))
        )
    ]
    assert any(goal[7] for goal in expected[0][1]) and any(goal[8] for goal in expected[0][1])  # a forecast, reached
    assert expected[0][2] and expected[1][2]  # late reports

    summary.rebuild(as_of)
    if written != "now":
        # A summary written by the version before (as migration 0015 found them): its goals
        # without forecasts.
        for row in GrantProgress.objects.all():
            row.goals = [{k: v for k, v in item.items() if k not in ("forecast", "reached")} for item in row.goals]
            row.version = ""
            row.save()
    read = list(
        Grant.objects.filter(pk__in=ids)
        .select_related("application__lead_municipality", "application__pool")
        .order_by("pk")
    )
    # The stored rows, the late milestones, what else is owed late, the goals; an old row computed anew.
    with django_assert_num_queries(4 if written == "now" else 9):
        readings = summary.stored_readings(read, as_of)
    assert [page_figures(reading, spent) for reading, spent in readings] == expected


@pytest.mark.django_db
def test_who_may_have_the_portfolio(
    pool: Pool,
    reviewer: Any,
    pool_admin: Any,
    slagelse_applicant: Any,
    committee: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    for user in (slagelse_applicant, committee):
        with pytest.raises(PermissionDenied):
            document_services.request_document(user, "portfolio_report", pool)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.request_document(reviewer, "portfolio_report", pool)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    assert document.filename.startswith("portefoeljerapport-") and document.filename.endswith(".pdf")
    assert reviewer.has_perm("documents.view_document", document)
    assert pool_admin.has_perm("documents.view_document", document)
    assert not slagelse_applicant.has_perm("documents.view_document", document)
    assert Document.objects.filter(kind="portfolio_report").count() == 1
