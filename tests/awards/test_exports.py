"""The payments overview as CSV and Excel: the page's period, its rules, Danish headers and
real amounts and dates in Excel."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest

from applications.models import Grant
from awards.models import Payment

from ..conftest import page_client_for

DA = {"HTTP_ACCEPT_LANGUAGE": "da"}


def period_of(payment: Payment) -> dict[str, str]:
    return {"due_after": f"{payment.due_on:%d.%m.%Y}", "due_before": f"{payment.due_on:%d.%m.%Y}"}


def first_payment(grant: Grant) -> Payment:
    return grant.payments.order_by("due_on", "id").first()


def test_the_payments_export_is_the_page_period_with_danish_headers(
    running: Grant, gribskov_running: Grant, pool_admin: Any, django_assert_max_num_queries: Any
) -> None:
    first = first_payment(running)
    browser = page_client_for(pool_admin)
    with django_assert_max_num_queries(8):
        response = browser.get("/payments/", {**period_of(first), "format": "csv"}, **DA)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:4] == ["Journalnummer", "Projekt", "Kommune", "CVR"]
    assert header[7:10] == ["Frist", "Beløb (kr.)", "Status"]
    due_that_day = Payment.objects.filter(due_on=first.due_on).count()
    assert len(rows) == due_that_day >= 1
    mine = next(row for row in rows if row[0] == running.application.journal_number)
    assert mine[7] == first.due_on.isoformat() and mine[8] == f"{first.amount:.2f}".replace(".", ",")
    # Another period: not this payment.
    later = browser.get("/payments/", {"due_after": "01.01.2099", "due_before": "31.12.2099", "format": "csv"})
    assert len(b"".join(later.streaming_content).decode("utf-8-sig").splitlines()) == 1


def test_the_payments_export_in_excel_has_amounts_and_dates(running: Grant, pool_admin: Any) -> None:
    first = first_payment(running)
    response = page_client_for(pool_admin).get("/payments/", {**period_of(first), "format": "xlsx"}, **DA)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = list(sheet.iter_rows())[:2]
    assert header[8].value == "Beløb (kr.)"
    assert row[8].value == float(first.amount) and row[8].number_format == '#,##0.00 "kr."'
    assert row[7].value.date() == first.due_on and row[7].number_format == "dd.mm.yyyy"


def test_the_payments_page_links_to_its_export_with_its_period(running: Grant, pool_admin: Any) -> None:
    first = first_payment(running)
    page = page_client_for(pool_admin).get("/payments/", period_of(first), **DA).content.decode()
    assert "Hent som Excel" in page
    period = f"due_after={first.due_on:%d.%m.%Y}&amp;due_before={first.due_on:%d.%m.%Y}"
    assert f'href="/payments/?{period}&amp;format=xlsx"' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("slagelse_applicant", 403),
        ("gribskov_applicant", 403),
        ("ambassador", 403),
        ("committee", 403),
        ("reviewer", 200),
        ("pool_admin", 200),
    ],
)
def test_the_export_answers_as_the_page_does(
    running: Grant, personas: dict[str, Any], persona: str, status: int
) -> None:
    browser = page_client_for(personas[persona])
    assert browser.get("/payments/").status_code == status
    assert browser.get("/payments/", {"format": "xlsx"}).status_code == status


def test_the_change_request_queue_exports_every_request_siri_may_see(
    running: Grant, slagelse_applicant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    from awards import services
    from awards.models import ChangeKind

    goal = running.application.goals.order_by("id").first()
    change = services.file_change(
        running.pk,
        slagelse_applicant,
        {"kind": ChangeKind.GOALS, "reason": "Flere borgere.", "goals": [{"goal": goal.pk, "target_value": 40}]},
    )
    services.refuse_change(change.pk, reviewer, "Målet står.")
    browser = page_client_for(reviewer)
    page = browser.get("/change-requests/", **DA).content.decode()
    assert 'href="/change-requests/?format=csv"' in page
    with django_assert_max_num_queries(8):
        response = browser.get("/change-requests/", {"format": "csv"}, **DA)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:4] == ["Journalnummer", "Projekt", "Kommune", "Ansøgt ændring"]
    assert len(rows) == 1 and rows[0][4] == "Flere borgere." and rows[0][-1] == "Målet står."
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(browser.get("/change-requests/?format=xlsx").streaming_content))
    )
    assert workbook.active.max_row == 2
    # A municipality does not get SIRI's queue, nor its export.
    assert page_client_for(slagelse_applicant).get("/change-requests/?format=csv").status_code in (302, 403)
