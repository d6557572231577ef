"""The end of a grant in the API (contract: "After the award"): final report, final accounts with
the auditor's statement uploaded, submit's 400 naming every problem, SIRI's decisions, the
repayment, the closing's 409 naming every open item, and who may do what."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from applications.models import Grant
from awards.services import closing
from documents.models import Document

from ..conftest import client_for
from .closing_helpers import accounts_data, ended_grant, report_data, statement

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def ended(slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> Grant:
    return ended_grant(slagelse_applicant, reviewer, pool_admin)


def _lines(grant: Grant, share: str) -> list[dict[str, Any]]:
    return [
        {"year": year, "category": category, "spent": str(amount * Decimal(share)), "explanation": ""}
        for (year, category), amount in closing.budget_by_line(grant).items()
    ]


def test_the_end_through_the_api(ended: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> None:
    municipality, siri, admin = client_for(slagelse_applicant), client_for(reviewer), client_for(pool_admin)
    base = f"{API}/grants/{ended.pk}"
    assert municipality.get(f"{base}/final-report/").status_code == 404
    saved = municipality.post(f"{base}/final-report/", report_data(ended), format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["state"] == "draft" and len(saved.json()["results"]) == ended.application.goals.count()
    assert municipality.post(f"{base}/final-report/submit/").json()["state"] == "submitted"
    assert siri.post(f"{base}/final-report/accept/", {}, format="json").json()["state"] == "accepted"

    # Accounts: created without the statement and at 50 % spending; submit names every problem.
    created = municipality.post(
        f"{base}/final-accounts/",
        {"lines": _lines(ended, "0.5"), "auditor_name": "Revisionsfirmaet Jensen", "auditor_kind": "qualified"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    accounts_id = created.json()["id"]
    variance = created.json()["variances"][0]
    assert variance["explanation_required"] is True and variance["percent"] == "-50.0"
    refused = municipality.post(f"{API}/final-accounts/{accounts_id}/submit/")
    assert refused.status_code == 400
    body = refused.json()
    assert {"lines", "statement_by_name", "statement_by_title", "auditor_kind", "auditor_statement"} <= set(body)
    assert "100.000" in body["auditor_kind"][0]

    # A multipart PATCH carries the statement, the lines as JSON text and the auditor's kind.
    lines = [{**line, "explanation": "Holdet startede senere."} for line in _lines(ended, "0.5")]
    patched = municipality.patch(
        f"{API}/final-accounts/{accounts_id}/",
        {
            "lines": json.dumps(lines),
            "statement_by_name": "Helle Larsen",
            "statement_by_title": "Direktør",
            "auditor_kind": "registered",
            "auditor_statement": statement(),
        },
        format="multipart",
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["auditor_statement"] == "revisorerklaering.pdf"
    assert municipality.post(f"{API}/final-accounts/{accounts_id}/submit/").json()["state"] == "submitted"
    assert municipality.get(f"{base}/").json()["state"] == "accounts_submitted"
    assert municipality.patch(f"{API}/final-accounts/{accounts_id}/", {}, format="json").status_code == 409

    approved = siri.post(f"{API}/final-accounts/{accounts_id}/approve/", {}, format="json")
    assert approved.status_code == 200
    owed = Decimal("360000.00") - sum(Decimal(line["spent"]) for line in lines)
    assert Decimal(approved.json()["repayment_amount"]) == owed
    repayment = municipality.get(f"{base}/repayment/").json()
    assert repayment["state"] == "open" and Decimal(repayment["amount"]) == owed

    closing_refused = siri.post(f"{base}/close/", {}, format="json")
    assert closing_refused.status_code == 409
    assert closing_refused.json()["detail"].endswith("tilbagebetalingen er ikke modtaget.")
    assert municipality.post(f"{base}/repayment/pay/", {"paid_on": "2026-11-30"}, format="json").status_code == 403
    paid = admin.post(f"{base}/repayment/pay/", {"paid_on": "2026-11-30"}, format="json")
    assert paid.json()["state"] == "paid"
    assert Decimal(municipality.get(f"{base}/").json()["repaid_total"]) == owed
    listed = {row["id"]: row for row in municipality.get(f"{API}/grants/").json()["results"]}
    assert Decimal(listed[ended.pk]["repaid_total"]) == owed
    assert siri.post(f"{base}/close/", {"reason": ""}, format="json").json() == {"state": "closed"}
    assert municipality.post(f"{base}/final-report/", {"lessons": "x"}, format="json").status_code == 409


def test_the_repayment_and_closing_letters_read_back(
    ended: Grant,
    slagelse_applicant: Any,
    reviewer: Any,
    pool_admin: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    user = slagelse_applicant
    report = closing.save_final_report(ended.pk, user, report_data(ended))
    closing.submit_final_report(report.pk, user)
    closing.accept_final_report(report.pk, reviewer)
    accounts = closing.save_final_accounts(ended.pk, user, accounts_data(ended, spent_share=Decimal("0.75")))
    closing.submit_final_accounts(accounts.pk, user)
    with django_capture_on_commit_callbacks(execute=True):
        closing.approve_final_accounts(accounts.pk, reviewer)
    closing.pay_repayment(ended.pk, pool_admin, ended.end_date)
    with django_capture_on_commit_callbacks(execute=True):
        closing.close(ended.pk, reviewer, "Tak for samarbejdet.")

    def read(kind: str) -> str:
        document = Document.objects.get(kind=kind, subject_id=ended.pk)
        assert document.status == "done", document.error
        return " ".join(page.extract_text() for page in PdfReader(document.file.open("rb")).pages)

    claim = read("repayment_letter")
    # 400.000 kr. granted, 360.000 paid, 300.000 spent (75 %): 60.000 kr. back.
    assert "tilbagebetaling" in claim.lower()
    assert "60.000" in claim and "300.000" in claim and "360.000" in claim
    closed = read("closing_letter")
    assert "100.000" in closed  # back to the pool: 400.000 − 360.000 + 60.000
    assert "Tak for samarbejdet." in closed
    assert "12" in closed and "opfølgning" in closed.lower()


@pytest.mark.parametrize(
    ("persona", "read", "write", "decide"),
    [
        ("slagelse_applicant", 404, 200, 403),  # 404 to read: nothing written yet
        ("gribskov_applicant", 404, 404, 404),
        ("reviewer", 404, 403, 404),
        ("pool_admin", 404, 403, 404),
        (None, 401, 401, 401),
    ],
)
def test_who_may_write_and_decide(
    persona: str | None, read: int, write: int, decide: int, ended: Grant, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(persona) if persona else None)
    base = f"{API}/grants/{ended.pk}"
    assert client.get(f"{base}/final-report/").status_code in (read, 403 if read == 401 else read)
    status = client.post(f"{base}/final-report/", {"what_worked": "Mentorer."}, format="json").status_code
    assert status in (write, 403 if write == 401 else write)
    status = client.post(f"{base}/final-report/accept/", {}, format="json").status_code
    assert status in (decide, 403 if decide == 401 else decide)


def test_bad_input_gets_400_naming_the_problems_never_500(ended: Grant, slagelse_applicant: Any) -> None:
    client = client_for(slagelse_applicant)
    base = f"{API}/grants/{ended.pk}"
    bad = [
        {"lines": "not a list"},
        {"lines": [{"year": "x"}, 5, {"year": ended.start_date.year, "category": "salaries", "spent": "NaN"}]},
        {"performance_audit": "maybe", "auditor_kind": "friend"},
        {"auditor_name": {"a": 1}},
        {"auditor_statement": "not a file"},
        {"lines": [{"year": 2025.5, "category": ["salaries"], "spent": "Infinity"}]},
    ]
    for body in bad:
        response = client.post(f"{base}/final-accounts/", body, format="json")
        assert response.status_code == 400, (body, response.content)
    response = client.post(f"{base}/final-report/", {"results": [{"goal": 999999, "value": "-1"}]}, format="json")
    assert response.status_code == 400 and "results" in response.json()
    assert client.post(f"{base}/final-report/", ["x"], format="json").status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("slagelse_applicant", 200),
        ("reviewer", 200),
        ("pool_admin", 200),
        ("gribskov_applicant", 404),
        ("ambassador", 404),
        (None, 401),
    ],
)
def test_the_auditors_statement_downloads_as_attached_to_those_who_see_the_accounts(
    persona: str | None, expected: int, ended: Grant, slagelse_applicant: Any, request: pytest.FixtureRequest
) -> None:
    municipality = client_for(slagelse_applicant)
    created = municipality.post(
        f"{API}/grants/{ended.pk}/final-accounts/", {"auditor_kind": "qualified"}, format="json"
    )
    accounts = f"{API}/final-accounts/{created.json()['id']}"
    assert municipality.get(f"{accounts}/auditor-statement/").status_code == 404  # none attached yet
    attached = statement()
    municipality.patch(f"{accounts}/", {"auditor_statement": attached}, format="multipart")

    answer = client_for(request.getfixturevalue(persona) if persona else None).get(f"{accounts}/auditor-statement/")

    assert answer.status_code in (expected, 403 if expected == 401 else expected)
    if expected == 200:
        attached.seek(0)
        assert answer["Content-Type"] == "application/pdf"
        assert b"".join(answer.streaming_content) == attached.read()
        assert 'filename="revisorerklaering.pdf"' in answer["Content-Disposition"]
