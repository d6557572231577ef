"""No English and no "kr.." on the Danish pages and in the Danish PDFs: a sentence that ends with
an amount ends with its "kr.", a label comes from a translated name, a screen reader hears "Løn",
not "salaries", and the portfolio report is "pr." a day in Danish."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from applications.models import Application, BudgetLine
from monitoring.pdf import portfolio
from tests.conftest import application_in_state, make_complete_draft, make_pool, page_client_for
from tests.monitoring.conftest import make_grant, recent_period

pytestmark = pytest.mark.django_db
# English that reached Danish pages before, and the double period after an amount.
LEAKS = re.compile(r"Target group|\bas of\b|\bsalaries\b|kr\.\.")


def _danish(user: Any, path: str) -> str:
    """The page's text as read, screen-reader texts included, without the markup."""
    response = page_client_for(user).get(path, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200, path
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_application_form_and_submit_page_in_danish(slagelse_applicant: Any) -> None:
    pool = make_pool(max_grant=Decimal("500000"))
    draft = make_complete_draft(pool, slagelse_applicant, amount="1000000.00")  # over the pool's maximum
    steps = {
        step: _danish(slagelse_applicant, f"/applications/{draft.pk}/edit/{step}/")
        for step in ("applicant", "project", "effort", "organisation", "budget", "approval")
    }
    assert not any(LEAKS.findall(page) for page in steps.values())
    assert re.search(r" Målgruppe\b(?!r)", steps["effort"])  # the goal's target group, labelled in Danish
    # The row's delete button names the row for a screen reader, in Danish figures.
    assert f"{pool.project_start_earliest.year} Løn: 1.000.000 kr." in steps["budget"]
    assert "Budgettet er større end puljens maksimale bevilling på 500.000 kr. " in steps["budget"]
    within = make_complete_draft(make_pool(), slagelse_applicant)
    submit = _danish(slagelse_applicant, f"/applications/{within.pk}/submit/")
    assert "Du søger om 1.000.000 kr. Når du indsender" in submit
    assert not LEAKS.findall(submit)


def test_a_budget_line_reads_in_the_active_language() -> None:
    line = BudgetLine(year=2027, category="salaries", amount=Decimal("600000"))
    with translation.override("da"):
        assert str(line) == "2027 Løn: 600.000 kr."
    with translation.override("en"):
        assert str(line) == "2027 Salaries: 600.000 kr."


@pytest.mark.parametrize(
    ("persona", "paths"),
    [
        ("slagelse_applicant", ["/inbox/", "/applications/", "/applications/{application}/", "/projects/"]),
        ("reviewer", ["/inbox/", "/review/", "/applications/{application}/", "/pools/", "/monitoring/"]),
        ("committee", ["/inbox/", "/applications/{application}/", "/projects/{grant}/"]),
    ],
)
def test_the_main_pages_in_danish_have_no_english_and_no_double_period(
    persona: str, paths: list[str], personas: dict[str, Any]
) -> None:
    grant = make_grant(personas["slagelse_applicant"], personas["reviewer"], *recent_period())
    application = application_in_state("submitted", make_pool(), personas["slagelse_applicant"], personas["reviewer"])
    for path in paths:
        page = _danish(personas[persona], path.format(application=application.pk, grant=grant.pk))
        assert not LEAKS.findall(page), path


def test_the_portfolio_report_in_danish_is_as_of_a_day_in_danish(
    slagelse_applicant: Any, reviewer: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    grant = make_grant(slagelse_applicant, reviewer, *recent_period())
    with translation.override("da"):
        data = portfolio.portfolio_pdf(grant.application.pool, as_of=datetime.date(2026, 11, 23))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    assert "· pr. 23.11.2026" in text
    assert not LEAKS.findall(text)
    assert Application.objects.count() == 1
