"""Who may call which monitoring endpoint: every persona × every endpoint.

The project is Slagelse's (the committee member is of Slagelse too). 401 when not logged in,
404 when the persona cannot see the object (Gribskov's applicant and the ambassador see nothing
of Slagelse's grant; SIRI does not see a draft report), 403 when they see it but may not do it,
409 when they may do it but not from the report's state, and the success code when allowed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from applications.models import Grant
from monitoring import services
from monitoring.models import Milestone, MilestoneChange, NationalKpi, QuarterlyReport, ReportLog
from monitoring.quarters import Quarter

from ..conftest import client_for, make_personas
from ..shared_data import ModuleData
from .conftest import goals_of, gribskov_project_of, slagelse_project

pytestmark = pytest.mark.django_db

PERSONAS = (
    "slagelse_applicant",
    "gribskov_applicant",
    "reviewer",
    "pool_admin",
    "ambassador",
    "committee",
    "anonymous",
)

REPORT = "/reports/{report}"
KPI = {"year": 2027, "quarter": 2, "self_supporting_share": "20", "job_ready_share": "35"}

# name → (method, path, the state of the project, body). States: "young" (the grant, no
# reports), "draft" (a draft report for the first quarter), "submitted" (it was handed in),
# "accepted".
ENDPOINTS: dict[str, tuple[str, str, str, Any]] = {
    "grants list": ("get", "/grants/", "young", {}),
    "grants retrieve": ("get", "/grants/{grant}/", "young", {}),
    "grants progress": ("get", "/grants/{grant}/progress/", "submitted", {}),
    "milestones retrieve": ("get", "/milestones/{milestone}/", "young", {}),
    "milestones patch young": ("patch", "/milestones/{milestone}/", "young", {"planned_activities": "Netværk"}),
    "milestones patch reported": ("patch", "/milestones/{milestone}/", "submitted", {"planned_activities": "Netværk"}),
    "grants ramp young": ("post", "/grants/{grant}/ramp/", "young", "ramp"),
    "grants ramp reported": ("post", "/grants/{grant}/ramp/", "submitted", "ramp"),
    "grant reports list": ("get", "/grants/{grant}/reports/", "draft", {}),
    "grant reports create": ("post", "/grants/{grant}/reports/", "young", "complete"),
    "reports list": ("get", "/reports/", "draft", {}),
    "reports retrieve draft": ("get", f"{REPORT}/", "draft", {}),
    "reports retrieve submitted": ("get", f"{REPORT}/", "submitted", {}),
    "reports patch draft": ("patch", f"{REPORT}/", "draft", {"obstacles": "Sygdom"}),
    "reports patch submitted": ("patch", f"{REPORT}/", "submitted", {"obstacles": "Sygdom"}),
    "reports submit draft": ("post", f"{REPORT}/submit/", "draft", {}),
    "reports submit submitted": ("post", f"{REPORT}/submit/", "submitted", {}),
    "reports accept draft": ("post", f"{REPORT}/accept/", "draft", {}),
    "reports accept submitted": ("post", f"{REPORT}/accept/", "submitted", {}),
    "reports accept accepted": ("post", f"{REPORT}/accept/", "accepted", {}),
    "reports return submitted": ("post", f"{REPORT}/return/", "submitted", {"reason": "Uddyb fremmødet."}),
    "national-kpis list": ("get", "/national-kpis/", "young", {}),
    "national-kpis retrieve": ("get", "/national-kpis/{kpi}/", "young", {}),
    "national-kpis create": ("post", "/national-kpis/", "young", KPI),
    "national-kpis put": ("put", "/national-kpis/{kpi}/", "young", {"year": 2027, "quarter": 1, "job_ready_share": 9}),
}

OK, NEW, ANON, DENY, HIDE, STATE = 200, 201, 401, 403, 404, 409

# fmt: off
EXPECTED: dict[str, tuple[int, int, int, int, int, int, int]] = {
    #                               slagelse gribskov reviewer pooladm  ambass.  committee anonymous
    "grants list":                 (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "grants retrieve":             (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "grants progress":             (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "milestones retrieve":         (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "milestones patch young":      (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "milestones patch reported":   (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "grants ramp young":           (OK,      HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "grants ramp reported":        (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "grant reports list":          (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "grant reports create":        (NEW,     HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "reports list":                (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "reports retrieve draft":      (OK,      HIDE,    HIDE,    HIDE,    HIDE,    OK,      ANON),
    "reports retrieve submitted":  (OK,      HIDE,    OK,      OK,      HIDE,    OK,      ANON),
    "reports patch draft":         (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "reports patch submitted":     (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "reports submit draft":        (OK,      HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "reports submit submitted":    (STATE,   HIDE,    DENY,    DENY,    HIDE,    DENY,    ANON),
    "reports accept draft":        (DENY,    HIDE,    HIDE,    HIDE,    HIDE,    DENY,    ANON),
    "reports accept submitted":    (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "reports accept accepted":     (DENY,    HIDE,    STATE,   STATE,   HIDE,    DENY,    ANON),
    "reports return submitted":    (DENY,    HIDE,    OK,      OK,      HIDE,    DENY,    ANON),
    "national-kpis list":          (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "national-kpis retrieve":      (OK,      OK,      OK,      OK,      OK,      OK,      ANON),
    "national-kpis create":        (DENY,    DENY,    DENY,    NEW,     DENY,    DENY,    ANON),
    "national-kpis put":           (DENY,    DENY,    DENY,    OK,      DENY,    DENY,    ANON),
}
# fmt: on


def _cases() -> list[Any]:
    return [
        pytest.param(name, persona, code, id=f"{name}-{persona}")
        for name, codes in EXPECTED.items()
        for persona, code in zip(PERSONAS, codes, strict=True)
    ]


def test_the_matrix_covers_every_endpoint() -> None:
    assert set(EXPECTED) == set(ENDPOINTS)


def complete(grant: Grant, quarter: Quarter) -> dict[str, Any]:
    women, attendance = goals_of(grant)
    return {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "narrative": "Fem kvinder i job.",
        "enrolled": 30,
        "spent_to_date": Decimal("120000"),
        "progress": [
            {"goal": women.pk, "value": Decimal(5)},
            {"goal": attendance.pk, "numerator": 61, "denominator": 100},
        ],
    }


def build(target: str, grant: Grant, applicant: Any, reviewer: Any) -> QuarterlyReport | None:
    """Bring Slagelse's project to `target` through the real services."""
    if target == "young":
        return None
    report = services.create_report(grant.pk, applicant, complete(grant, Quarter.of(grant.start_date)))
    if target in ("submitted", "accepted"):
        services.submit_report(report.pk, applicant)
    if target == "accepted":
        services.accept_report(report.pk, reviewer)
    return QuarterlyReport.objects.get(pk=report.pk)


def snapshot(grant: Grant) -> tuple[Any, ...]:
    return (
        tuple(
            QuarterlyReport.objects.order_by("pk").values_list(
                "pk", "state", "narrative", "obstacles", "returned_reason"
            )
        ),
        ReportLog.objects.count(),
        tuple(Milestone.objects.filter(grant=grant).order_by("pk").values_list("pk", "planned_activities")),
        MilestoneChange.objects.count(),
        tuple(NationalKpi.objects.order_by("pk").values_list("year", "quarter", "job_ready_share")),
    )


def build_projects() -> dict[str, Any]:
    """The personas, Slagelse's project (young: nothing reported) and Gribskov's."""
    personas = make_personas()
    reviewer = personas["reviewer"]
    return {
        **personas,
        "granted_project": slagelse_project(personas["slagelse_applicant"], reviewer),
        "gribskov_project": gribskov_project_of(personas["gribskov_applicant"], reviewer),
    }


@pytest.fixture(scope="module")
def built_projects(module_data: ModuleData) -> dict[str, Any]:
    return module_data.build(build_projects)


@pytest.fixture
def projects(db: None, module_data: ModuleData, built_projects: dict[str, Any]) -> dict[str, Any]:
    """`build_projects`, built once for the module's tests."""
    return module_data.copy(built_projects)


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    return value


@pytest.mark.parametrize(("endpoint", "persona", "expected"), _cases())
def test_permission_matrix(
    endpoint: str,
    persona: str,
    expected: int,
    projects: dict[str, Any],
) -> None:
    user = projects[persona]
    granted_project: Grant = projects["granted_project"]
    slagelse_applicant, reviewer = projects["slagelse_applicant"], projects["reviewer"]
    method, path, target, body = ENDPOINTS[endpoint]
    report = build(target, granted_project, slagelse_applicant, reviewer)
    kpi = services.set_national_kpi(projects["pool_admin"], 2027, 1, {"job_ready_share": Decimal(30)})
    if body == "complete":
        body = {**complete(granted_project, Quarter.of(granted_project.start_date)), "spent_to_date": "120000"}
        body["progress"] = [{**row, "value": str(row["value"])} if "value" in row else row for row in body["progress"]]
    elif body == "ramp":  # the attendance goal, a level, rising to its 70 % over two quarters
        body = {"goal": goals_of(granted_project)[1].pk, "ramp_quarters": 2}
    ids = {
        "grant": granted_project.pk,
        "milestone": granted_project.milestones.order_by("year", "quarter").first().pk,
        "report": getattr(report, "pk", 0),
        "kpi": kpi.pk,
    }
    before = snapshot(granted_project)

    response = getattr(client_for(user), method)(f"/api/v1{_fill(path, ids)}", body, format="json")

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert snapshot(granted_project) == before, "a refused request must change nothing"


# A persona that may never do something is told so (403), also when the body is not valid: a
# 400 naming fields would suggest that fixing the input would help.
FORBIDDEN: dict[str, tuple[str, str, str, str, Any]] = {
    "committee patches a draft": ("committee", "patch", f"{REPORT}/", "draft", {"enrolled": "mange"}),
    "committee writes a report": ("committee", "post", "/grants/{grant}/reports/", "young", {"year": "x"}),
    "reviewer writes a report": ("reviewer", "post", "/grants/{grant}/reports/", "young", {"progress": 3}),
    "reviewer patches a submitted report": ("reviewer", "patch", f"{REPORT}/", "submitted", {"kpis": "høj"}),
    "reviewer changes a milestone": ("reviewer", "patch", "/milestones/{milestone}/", "young", {"expected": 1}),
    "applicant returns": ("slagelse_applicant", "post", f"{REPORT}/return/", "submitted", {"reason": ["?"]}),
    "applicant enters a national KPI": ("slagelse_applicant", "post", "/national-kpis/", "young", {"quarter": "x"}),
}


@pytest.mark.parametrize(
    ("persona", "method", "path", "target", "body"), [pytest.param(*v, id=k) for k, v in FORBIDDEN.items()]
)
def test_forbidden_is_403_even_with_an_invalid_body(
    persona: str,
    method: str,
    path: str,
    target: str,
    body: Any,
    projects: dict[str, Any],
) -> None:
    user = projects[persona]
    granted_project: Grant = projects["granted_project"]
    slagelse_applicant, reviewer = projects["slagelse_applicant"], projects["reviewer"]
    report = build(target, granted_project, slagelse_applicant, reviewer)
    ids = {
        "grant": granted_project.pk,
        "milestone": granted_project.milestones.first().pk,
        "report": getattr(report, "pk", 0),
    }
    before = snapshot(granted_project)
    response = getattr(client_for(user), method)(f"/api/v1{_fill(path, ids)}", body, format="json")
    assert response.status_code == 403, response.content
    assert snapshot(granted_project) == before


def test_gribskov_never_sees_slagelses_project(projects: dict[str, Any]) -> None:
    granted_project, gribskov_project = projects["granted_project"], projects["gribskov_project"]
    slagelse_applicant, gribskov_applicant = projects["slagelse_applicant"], projects["gribskov_applicant"]
    reviewer = projects["reviewer"]
    report = build("submitted", granted_project, slagelse_applicant, reviewer)
    gribskov = client_for(gribskov_applicant)

    assert [g["id"] for g in gribskov.get("/api/v1/grants/").json()["results"]] == [gribskov_project.pk]
    assert gribskov.get("/api/v1/reports/").json()["count"] == 0
    assert gribskov.get(f"/api/v1/reports/?grant={granted_project.pk}").json()["count"] == 0
    assert gribskov.get(f"/api/v1/grants/{granted_project.pk}/reports/").status_code == 404
    assert gribskov.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert gribskov.post(f"/api/v1/reports/{report.pk}/return/", {"reason": "x"}).status_code == 404


def test_the_report_queryset_is_the_view_report_rule(projects: dict[str, Any]) -> None:
    """`visible_reports` (the lists) and `monitoring.view_report` (everything else) agree, for
    every persona and every state a report can be in, returned ones included."""
    granted_project, gribskov_project = projects["granted_project"], projects["gribskov_project"]
    slagelse_applicant, gribskov_applicant = projects["slagelse_applicant"], projects["gribskov_applicant"]
    reviewer = projects["reviewer"]
    personas = {name: projects[name] for name in PERSONAS}
    quarter = Quarter.of(granted_project.start_date)
    draft = services.create_report(granted_project.pk, slagelse_applicant, complete(granted_project, quarter.next()))
    submitted = build("submitted", granted_project, slagelse_applicant, reviewer)
    returned = services.create_report(
        granted_project.pk, slagelse_applicant, complete(granted_project, quarter.next().next())
    )
    services.submit_report(returned.pk, slagelse_applicant)
    services.return_report(returned.pk, reviewer, "Uddyb.")
    accepted = build("accepted", gribskov_project, gribskov_applicant, reviewer)
    reports = [draft, submitted, returned, accepted]

    for name, user in personas.items():
        if user is None:
            continue
        by_rule = {
            r.pk
            for r in QuarterlyReport.objects.filter(pk__in=[r.pk for r in reports])
            if user.has_perm("monitoring.view_report", r)
        }
        assert set(QuarterlyReport.objects.visible_to(user).values_list("pk", flat=True)) == by_rule, name
    assert set(QuarterlyReport.objects.visible_to(reviewer).values_list("pk", flat=True)) == {
        submitted.pk,
        returned.pk,
        accepted.pk,
    }
