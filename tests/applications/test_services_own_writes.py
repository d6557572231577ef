"""Every write goes through `applications.services`: the page and the API start the same draft
(pre-filled by `services.start_draft`), and what the API posts wins over the pre-fill."""

from __future__ import annotations

from typing import Any

import pytest

from applications.models import Application, Municipality, Pool

from ..conftest import client_for, page_client_for

API = "/api/v1"
PREFILLED = ("applicant_unit", "cvr", "contact_name", "contact_email", "lead_municipality_id", "created_by_id")


@pytest.fixture
def named_applicant(slagelse_applicant: Any) -> Any:
    slagelse_applicant.first_name, slagelse_applicant.last_name = "Sofie", "Hansen"
    slagelse_applicant.save(update_fields=["first_name", "last_name"])
    return slagelse_applicant


def _prefill(application: Application) -> tuple[Any, ...]:
    return tuple(getattr(application, name) for name in PREFILLED)


def test_a_draft_from_the_api_is_prefilled_as_one_from_the_page(pool: Pool, named_applicant: Any) -> None:
    page = page_client_for(named_applicant).post(f"/pools/{pool.pk}/apply/")
    assert page.status_code == 302
    from_page = Application.objects.get()

    response = client_for(named_applicant).post(f"{API}/applications/", {"pool": pool.pk, "title": "X"}, format="json")
    assert response.status_code == 201, response.content
    from_api = Application.objects.get(pk=response.json()["id"])

    slagelse = Municipality.objects.get(code="330")
    assert _prefill(from_api) == _prefill(from_page)
    assert (from_api.applicant_unit, from_api.cvr) == (slagelse.name, slagelse.cvr or "")
    assert (from_api.contact_name, from_api.contact_email) == ("Sofie Hansen", named_applicant.email)
    body = response.json()
    assert (body["applicant_unit"], body["cvr"], body["contact_name"], body["contact_email"]) == (
        from_api.applicant_unit,
        from_api.cvr,
        from_api.contact_name,
        from_api.contact_email,
    )


def test_what_the_api_posts_wins_over_the_prefill(pool: Pool, named_applicant: Any) -> None:
    body = {"pool": pool.pk, "title": "X", "applicant_unit": "Jobcenter Slagelse", "contact_name": "Ole Berg"}
    response = client_for(named_applicant).post(f"{API}/applications/", body, format="json")
    assert response.status_code == 201, response.content
    created = Application.objects.get(pk=response.json()["id"])
    assert (created.applicant_unit, created.contact_name) == ("Jobcenter Slagelse", "Ole Berg")
    assert created.contact_email == named_applicant.email  # not posted: pre-filled
