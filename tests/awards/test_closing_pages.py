"""The end of a grant on the pages, as a municipality's case worker, a SIRI reviewer and a pool
admin click through it: the final report, the final accounts with the auditor's statement, the
decisions, the repayment received and the closing; and who may see and do what."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from applications.models import Grant, GrantState
from awards.models import AccountsState, FinalReportState, Repayment, RepaymentState
from awards.services import closing
from documents.models import Document

from ..conftest import page_client_for
from .closing_helpers import ended_grant, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> Grant:
    return ended_grant(slagelse_applicant, reviewer, pool_admin)


def text(response: Any) -> str:
    return response.content.decode()


def test_a_grant_is_closed_on_the_pages(ended: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> None:
    municipality, siri, admin = (
        page_client_for(slagelse_applicant),
        page_client_for(reviewer),
        page_client_for(pool_admin),
    )
    project = reverse("monitoring:project", args=[ended.pk])
    page = municipality.get(project)
    assert "Write the final report" in text(page) or "Skriv slutrapporten" in text(page)

    # The final report: the reports' figures are offered; a submit without the texts names them
    # and keeps what was typed.
    url = reverse("awards:final_report", args=[ended.pk])
    form = municipality.get(url)
    goals = list(ended.application.goals.order_by("id"))
    assert f'name="result_{goals[0].pk}"' in text(form)
    data = {f"result_{goal.pk}": "12" for goal in goals} | {"what_worked": "Mentorer virker.", "submit": "1"}
    refused = municipality.post(url, data)
    assert refused.status_code == 200
    report = closing.final_report_of(ended)
    assert report is not None and report.state == FinalReportState.DRAFT and report.what_worked == "Mentorer virker."
    data |= {"anchoring": "Jobcentret fortsætter.", "lessons": "Start med virksomhederne."}
    assert municipality.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.state == FinalReportState.SUBMITTED

    # The final accounts: a line spent at half its budget needs its explanation; the statement.
    url = reverse("awards:final_accounts", args=[ended.pk])
    rows = closing.variances(ended, None)
    lines = {f"spent_{i}": str(row.budget) for i, row in enumerate(rows)}
    lines["spent_0"] = str((rows[0].budget / 2).quantize(Decimal("0.01")))
    fields = {
        **lines,
        "statement_by_name": "Helle Larsen",
        "statement_by_title": "Direktør",
        "auditor_name": "Revisionsfirmaet Jensen",
        "auditor_kind": "registered",
        "auditor_statement": statement(),
        "submit": "1",
    }
    refused = municipality.post(url, fields)
    assert refused.status_code == 200
    # The line to explain is marked where it is typed, its message linked from the summary.
    assert 'id="id_explanation_0_error"' in text(refused) and 'href="#id_explanation_0"' in text(refused)
    # Needed to send, though a draft saves without it: not "(optional)", as an optional field is.
    label = text(refused).split('id="id_statement_by_name"')[0].rsplit("<label", 1)[-1]
    assert "Ledelseserklæringen er underskrevet af" in label and "(frivilligt)" not in label
    label = text(refused).split('id="id_auditor_statement"')[0].rsplit("<label", 1)[-1]
    assert "Revisors erklæring" in label and "(frivilligt)" not in label
    accounts = closing.final_accounts_of(ended)
    assert accounts is not None and accounts.state == AccountsState.DRAFT and accounts.auditor_statement
    fields.pop("auditor_statement")
    fields["explanation_0"] = "Halvdelen af holdet startede et halvt år senere."
    assert municipality.post(url, fields).status_code == 302
    accounts.refresh_from_db()
    assert accounts.state == AccountsState.SUBMITTED
    assert siri.get(reverse("awards:auditor_statement", args=[ended.pk]))["Content-Type"] == "application/pdf"

    # SIRI accepts the report and approves the accounts behind a confirmation.
    for what, decision in (("report", "accept"), ("accounts", "approve")):
        decide = reverse("awards:final_decide", args=[ended.pk, what, decision])
        assert 'name="confirm"' in text(siri.get(decide))
        assert siri.post(decide, {"confirm": "1"}).status_code == 302
    repayment = Repayment.objects.get(grant=ended)
    # 360.000 kr. paid (90 %), half the only budget line spent: the rest is claimed back.
    assert repayment.amount == Decimal("360000.00") - (rows[0].budget / 2).quantize(Decimal("0.01"))
    assert Document.objects.filter(kind="repayment_letter", subject_id=ended.pk).exists()

    # Closing waits for the repayment; the pool admin records it; SIRI closes.
    close = reverse("awards:close", args=[ended.pk])
    assert siri.get(close).status_code == 409
    assert admin.post(reverse("awards:repayment_pay", args=[ended.pk]), {"paid_on": "01.11.2026"}).status_code in (
        302,
        200,
    )
    repayment.refresh_from_db()
    if repayment.state != RepaymentState.PAID:  # the date field takes the site's format
        admin.post(reverse("awards:repayment_pay", args=[ended.pk]), {"paid_on": "2026-11-01"})
        repayment.refresh_from_db()
    assert repayment.state == RepaymentState.PAID
    assert siri.post(close, {"confirm": "1"}).status_code == 302
    ended.refresh_from_db()
    assert ended.state == GrantState.CLOSED
    assert Document.objects.filter(kind="closing_letter", subject_id=ended.pk).exists()
    # Read-only: the municipality's form is gone and a post is refused.
    assert 'name="submit"' not in text(municipality.get(reverse("awards:final_report", args=[ended.pk])))
    assert municipality.post(reverse("awards:final_report", args=[ended.pk]), {"what_worked": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("persona", "report", "accounts", "close"),
    [
        ("slagelse_applicant", 200, 200, 403),
        ("gribskov_applicant", 404, 404, 404),
        ("reviewer", 200, 200, 200),
        ("pool_admin", 200, 200, 200),  # SIRI's pool admin may close as a reviewer may
    ],
)
def test_who_may_see_and_do_what(
    persona: str, report: int, accounts: int, close: int, ended: Grant, request: pytest.FixtureRequest
) -> None:
    client = page_client_for(request.getfixturevalue(persona))
    assert client.get(reverse("awards:final_report", args=[ended.pk])).status_code == report
    assert client.get(reverse("awards:final_accounts", args=[ended.pk])).status_code == accounts
    # The close page answers 409 to SIRI while the grant is still active (its accounts not in).
    status = client.get(reverse("awards:close", args=[ended.pk])).status_code
    assert status == (409 if close == 200 else close)
    if persona != "slagelse_applicant":
        posted = client.post(reverse("awards:final_report", args=[ended.pk]), {"what_worked": "x"})
        assert posted.status_code in (403, 404)
        assert closing.final_report_of(ended) is None


def test_siri_proposes_the_lessons_to_the_catalogue_from_the_final_report(
    ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    from .closing_helpers import report_data

    report = closing.save_final_report(ended.pk, slagelse_applicant, report_data(ended))
    closing.submit_final_report(report.pk, slagelse_applicant)
    url = reverse("awards:final_report", args=[ended.pk])
    propose = reverse("ambassadors:practice_propose")
    shown = text(page_client_for(reviewer).get(url))
    assert f"{propose}?" in shown and "Start+med+virksomhederne" in shown
    link = re.search(rf'href="({re.escape(propose)}\?[^"]+)"', shown)
    assert link is not None
    form = text(page_client_for(reviewer).get(html.unescape(link.group(1))))
    assert "Start med virksomhederne, ikke med kurset." in form  # the lessons, ready to send
    assert ended.application.title in form
    # The municipality may not propose entries itself: no link.
    assert f"{propose}?" not in text(page_client_for(slagelse_applicant).get(url))


def test_the_project_page_reads_the_grants_end_with_the_grant(ended: Grant, slagelse_applicant: Any) -> None:
    """The terms, the final report, the final accounts and the repayment are read in one query
    for the panels of the project page, which show them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .closing_helpers import accounts_data, report_data

    closing.save_final_report(ended.pk, slagelse_applicant, report_data(ended))
    closing.save_final_accounts(ended.pk, slagelse_applicant, accounts_data(ended))
    municipality = page_client_for(slagelse_applicant)
    project = reverse("monitoring:project", args=[ended.pk])
    municipality.get(project)

    with CaptureQueriesContext(connection) as captured:
        page = municipality.get(project)

    assert page.status_code == 200
    assert reverse("awards:final_report", args=[ended.pk]) in text(page)
    assert reverse("awards:final_accounts", args=[ended.pk]) in text(page)
    own = re.compile(r'^SELECT "awards_(grantterms|finalreport|finalaccounts|repayment)"\.')
    assert not [q["sql"] for q in captured if own.match(q["sql"])]
