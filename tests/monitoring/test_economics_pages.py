"""A project's economics on its page, on the page that edits them, and in the committee briefing
(read back from the PDF). Gribskov's project of 2024 reported 6 of 10 in work at project end; with
the Gribskov model's inputs that gives 11,4 months, and the entered 80 % gives 8,6 (test_economics.py
works them by hand)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Grant
from monitoring.models import ProjectEconomics
from monitoring.pdf import briefing
from monitoring.quarters import Quarter

from ..conftest import page_client_for
from .economics_setup import enter_seed_inputs, gribskov_2024

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(gribskov_applicant: Any, reviewer: Any) -> Grant:
    return gribskov_2024(gribskov_applicant, reviewer)


def page(user: Any, grant: Grant) -> str:
    response = page_client_for(user).get(reverse("monitoring:project", args=[grant.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def economics_section(html: str) -> str:
    return html[html.index('id="economics"') : html.index('aria-labelledby="milestones-heading"')]


def test_the_project_page_shows_the_months_and_where_each_effect_comes_from(
    project: Grant, gribskov_applicant: Any
) -> None:
    enter_seed_inputs(project, gribskov_applicant)
    section = economics_section(page(gribskov_applicant, project))

    assert "Projektets økonomi" in section
    assert (
        'Ved projektafslutning: 6 af 10 i arbejde</th><td class="number">60 %</td><td class="number">11,4 måneder'
        in section
    )
    assert 'Oplyst effekt</th><td class="number">80 %</td><td class="number">8,6 måneder' in section
    assert "2.818,90 kr. (35 %)" in section and "5.235,10 kr. (65 %)" in section
    assert "10.365,10 kr." in section
    assert "9.489 kr." in section and "som oplyst; beregnet: 7.948,90 kr." in section
    assert reverse("monitoring:economics_edit", args=[project.pk]) in section


def test_without_inputs_the_page_asks_for_them_and_only_who_may_enter_them_gets_the_link(
    project: Grant, gribskov_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    edit = reverse("monitoring:economics_edit", args=[project.pk])
    section = economics_section(page(gribskov_applicant, project))
    assert "Måneder til kommunens aktiveringsudgift er neutraliseret" not in section
    assert "Indtast nettoudgifterne til forsørgelse" in section
    assert edit in section
    assert edit not in economics_section(page(reviewer, project))
    assert edit in economics_section(page(pool_admin, project))


VALID_FORM = {
    "net_support_cost": "8.054",
    "activation_cost": "5.417",
    "activation_months": "12",
    "refund_without": "35",
    "refund_with": "65",
    "tax_income": "5.130",
    "stated_net_gain": "",
    "effect": "82,5",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("gribskov_applicant", 200), ("pool_admin", 200), ("reviewer", 403), ("slagelse_applicant", 404)],
)
def test_who_may_open_the_edit_page_and_save(
    project: Grant, personas: dict[str, Any], persona: str, status: int
) -> None:
    client = page_client_for(personas[persona])
    url = reverse("monitoring:economics_edit", args=[project.pk])
    assert client.get(url).status_code == status
    assert client.post(url, VALID_FORM).status_code == (302 if status == 200 else status)
    assert ProjectEconomics.objects.filter(grant=project).exists() == (status == 200)


def test_the_form_takes_danish_figures_and_saves_them(project: Grant, gribskov_applicant: Any) -> None:
    url = reverse("monitoring:economics_edit", args=[project.pk])
    response = page_client_for(gribskov_applicant).post(url, VALID_FORM)
    assert response.status_code == 302
    assert response["Location"].endswith("#economics")
    saved = ProjectEconomics.objects.get(grant=project)
    assert (saved.net_support_cost, saved.stated_net_gain, saved.effect) == (Decimal(8054), None, Decimal("82.5"))
    assert saved.updated_by == gribskov_applicant
    # No net gain stated: the months follow the computed 7.948,90 kr.: 12 × 5.417 ÷ (60 % × 7.948,90) = 13,6.
    assert "13,6 måneder" in economics_section(page(gribskov_applicant, project))


def test_a_bad_form_names_each_field_and_keeps_what_was_saved(project: Grant, gribskov_applicant: Any) -> None:
    enter_seed_inputs(project, gribskov_applicant)
    response = page_client_for(gribskov_applicant).post(
        reverse("monitoring:economics_edit", args=[project.pk]),
        {
            "net_support_cost": "-5",
            "activation_cost": "mange",
            "activation_months": "0",
            "refund_without": "35",
            "refund_with": "165",
            "tax_income": "5130",
            "effect": "120",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"net_support_cost", "activation_cost", "activation_months", "refund_with", "effect"}
    html = response.content.decode()
    assert "Et beløb kan ikke være negativt." in html and "Aktiveringen varer fra 1 til 120 måneder." in html
    assert ProjectEconomics.objects.get(grant=project).net_support_cost == Decimal(8054)


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_committee_briefing_shows_the_months(project: Grant, gribskov_applicant: Any) -> None:
    enter_seed_inputs(project, gribskov_applicant)
    data, _name = briefing.briefing_pdf(project.pk, Quarter(2024, 4))
    text = pdf_text(data)

    assert "Projektets økonomi" in text
    assert (
        "Med en selvforsørgelseseffekt på 60 % (ved projektafslutning: 6 af 10 i arbejde) er kommunens "
        "aktiveringsudgift neutraliseret efter 11,4 måneder." in text
    )
    assert "11,4 måneder" in text and "8,6 måneder" in text
    assert "2.818,90 kr. (35 %)" in text
    assert "9.489 kr. (som oplyst; beregnet: 7.948,90 kr.)" in text


def test_a_briefing_without_economics_has_no_such_section(project: Grant) -> None:
    data, _name = briefing.briefing_pdf(project.pk, Quarter(2024, 4))
    text = pdf_text(data)
    assert "Projektets økonomi" not in text
    assert "Illustrative tal" not in text  # a real project's figures are nobody's illustration
