"""The pool pages: the list everyone logged in sees, the pool admin's create and edit pages, and
the accessibility statement."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from applications.admin import PoolAdmin
from applications.forms.pools import PoolForm
from applications.models import Pool, State

from ..conftest import application_in_state, make_pool, page_client_for, review

pytestmark = pytest.mark.django_db

PERSONAS = [
    "slagelse_applicant",
    "gribskov_applicant",
    "reviewer",
    "pool_admin",
    "ambassador",
    "committee",
    "anonymous",
]


def _da(message: str, **values: Any) -> str:
    """A message as the Danish page shows it, now and once it is translated."""
    with translation.override("da"):
        text = translation.gettext(message)
    return text % values if values else text


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _user(persona: str, request: pytest.FixtureRequest) -> Any:
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def _criteria(rows: list[tuple[str, str]], initial: int = 0, delete: tuple[int, ...] = ()) -> dict[str, str]:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "50",
    }
    for index, (name, weight) in enumerate(rows):
        data[f"criteria-{index}-name"] = name
        data[f"criteria-{index}-weight"] = weight
        if index in delete:
            data[f"criteria-{index}-DELETE"] = "on"
    return data


def _new_pool_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Pulje til sprogmakkere",
        "description": "Sprogmakkere til nyankomne familier.",
        "legal_basis": "Finansloven for 2027, § 17.31.05",
        "total_budget": "5.000.000",
        "max_grant": "1.000.000",
        "opens_on": "01.02.2027",
        "closes_on": "31.03.2027",
        "project_start_earliest": "01.06.2027",
        "project_end_latest": "31.12.2030",
        "requires_political_approval": "on",
        "reporting_delay_days": "30",
        **_criteria([("Mål", "3"), ("Organisering", "1,5"), ("", "1")]),
    }
    data.update(overrides)
    return data


def _edit_data(pool: Pool, **overrides: str) -> dict[str, str]:
    """The edit form as posted without changes: the pool's values and its criteria."""
    data = {
        "name": pool.name,
        "description": pool.description,
        "legal_basis": pool.legal_basis,
        "total_budget": str(pool.total_budget),
        "max_grant": str(pool.max_grant),
        "opens_on": pool.opens_on.strftime("%d.%m.%Y"),
        "closes_on": pool.closes_on.strftime("%d.%m.%Y"),
        "project_start_earliest": pool.project_start_earliest.strftime("%d.%m.%Y"),
        "project_end_latest": pool.project_end_latest.strftime("%d.%m.%Y"),
        "reporting_delay_days": str(pool.reporting_delay_days),
        **_criteria([(c.name, str(c.weight)) for c in pool.criteria.all()], initial=pool.criteria.count()),
    }
    if pool.requires_political_approval:
        data["requires_political_approval"] = "on"
    data.update(overrides)
    return data


def _snapshot(pool: Pool) -> tuple[Any, ...]:
    fresh = Pool.objects.get(pk=pool.pk)
    criteria = [(c.name, c.weight) for c in fresh.criteria.all()]
    return fresh.name, fresh.total_budget, fresh.max_grant, fresh.closes_on, criteria


def _url(page: str, pool: Pool) -> str:
    return {"list": "/pools/", "create": "/pools/new/", "edit": f"/pools/{pool.pk}/"}[page]


# Who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["list", "create", "edit"])
def test_who_may_open_each_page(page: str, persona: str, request: pytest.FixtureRequest, pool: Pool) -> None:
    url = _url(page, pool)

    response = page_client_for(_user(persona, request)).get(url)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
    elif page == "list" or persona == "pool_admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["list", "create", "edit"])
def test_who_may_post_to_each_page(page: str, persona: str, request: pytest.FixtureRequest, pool: Pool) -> None:
    url = _url(page, pool)
    data = _edit_data(pool, name="Omdøbt pulje") if page == "edit" else _new_pool_data()
    before = (Pool.objects.count(), _snapshot(pool))

    response = page_client_for(_user(persona, request)).post(url, data)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
    elif page == "list":
        assert response.status_code == 405  # the list only shows
    elif persona == "pool_admin":
        assert response.status_code == 302
        assert response["Location"] == "/pools/"
        return
    else:
        assert response.status_code == 403
    assert (Pool.objects.count(), _snapshot(pool)) == before


def test_the_admin_and_the_pages_share_one_pool_form() -> None:
    assert PoolAdmin.form is PoolForm


# The list ------------------------------------------------------------------------------------


def test_the_list_shows_granted_and_remaining_in_danish(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)

    page = _page(page_client_for(pool_admin).get("/pools/"))

    assert "Pulje til beskæftigelsesambassadører" in page
    assert "10.000.000 kr." in page  # budget
    assert "3.000.000 kr." in page  # maximum grant
    assert "900.000 kr." in page  # granted
    assert "9.100.000 kr." in page  # remaining
    assert pool.closes_on.strftime("%d.%m.%Y") in page
    assert 'scope="col"' in page and 'scope="row"' in page


def test_siri_sees_criteria_and_pool_admins_the_edit_links(pool: Pool, pool_admin: Any, reviewer: Any) -> None:
    admin_page = _page(page_client_for(pool_admin).get("/pools/"))
    reviewer_page = _page(page_client_for(reviewer).get("/pools/"))

    for page in (admin_page, reviewer_page):
        assert "Mål (3)" in page and "Organisering (1)" in page
    assert f'href="/pools/{pool.pk}/"' in admin_page
    assert 'href="/pools/new/"' in admin_page
    assert f'href="/pools/{pool.pk}/"' not in reviewer_page
    assert 'href="/pools/new/"' not in reviewer_page
    assert "/apply/" not in admin_page + reviewer_page


def test_an_applicant_may_start_an_application_only_in_an_open_pool(pool: Pool, slagelse_applicant: Any) -> None:
    closed = make_pool(name="Lukket pulje", opens_on=pool.opens_on, closes_on=pool.opens_on)

    page = _page(page_client_for(slagelse_applicant).get("/pools/"))

    assert f'action="/pools/{pool.pk}/apply/"' in page
    assert f'action="/pools/{closed.pk}/apply/"' not in page
    assert "Mål (3)" not in page  # criteria and weights are SIRI's
    assert 'href="/pools/new/"' not in page


@pytest.mark.parametrize("persona", ["pool_admin", "slagelse_applicant"])
def test_the_list_costs_the_same_queries_for_2_and_20_pools(
    persona: str, request: pytest.FixtureRequest, django_assert_max_num_queries: Any
) -> None:
    client = page_client_for(request.getfixturevalue(persona))
    for _ in range(2):
        make_pool()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/pools/").status_code == 200
    for _ in range(18):
        make_pool()

    with django_assert_max_num_queries(len(few)):
        response = client.get("/pools/")

    assert _page(response).count('<th scope="row"') == 20


# Creating and editing ------------------------------------------------------------------------


def test_a_pool_admin_creates_a_pool_with_two_criteria(pool_admin: Any) -> None:
    response = page_client_for(pool_admin).post("/pools/new/", _new_pool_data(), follow=True)

    assert response.redirect_chain == [("/pools/", 302)]
    created = Pool.objects.get(name="Pulje til sprogmakkere")
    assert created.total_budget == Decimal("5000000")
    assert created.max_grant == Decimal("1000000")
    assert created.closes_on.isoformat() == "2027-03-31"
    assert created.requires_political_approval
    assert [(c.name, c.weight, c.position) for c in created.criteria.all()] == [
        ("Mål", Decimal(3), 0),
        ("Organisering", Decimal("1.5"), 1),
    ]
    assert _da("The pool “%(name)s” was created.", name=created.name) in _page(response)


def test_a_maximum_grant_above_the_budget_is_refused(pool_admin: Any) -> None:
    response = page_client_for(pool_admin).post("/pools/new/", _new_pool_data(max_grant="6.000.000"))

    assert response.status_code == 200
    assert _da("The maximum grant cannot exceed the pool's total budget.") in _page(response)
    assert response.context["form"].errors["max_grant"]
    assert not Pool.objects.exists()


def test_every_problem_is_shown_on_its_field_at_once(pool_admin: Any) -> None:
    data = _new_pool_data(max_grant="6.000.000", opens_on="01.04.2027", total_budget="")

    response = page_client_for(pool_admin).post("/pools/new/", data)

    errors = response.context["form"].errors
    assert set(errors) == {"total_budget", "closes_on"}  # no budget: no comparison with it
    assert _da("The deadline cannot be before the pool opens.") in _page(response)
    assert not Pool.objects.exists()


def test_two_criteria_with_one_name_are_refused(pool_admin: Any) -> None:
    data = _new_pool_data(**_criteria([("Mål", "3"), ("Mål ", "1")]))

    response = page_client_for(pool_admin).post("/pools/new/", data)

    assert response.status_code == 200
    assert _da("Each criterion needs its own name.") in _page(response)
    assert response.context["formset"].non_form_errors()
    assert not Pool.objects.exists()


@pytest.mark.parametrize("weight", ["0", "-1", "abc"])
def test_a_weight_must_be_a_number_above_zero(pool_admin: Any, weight: str) -> None:
    data = _new_pool_data(**_criteria([("Mål", weight)]))

    response = page_client_for(pool_admin).post("/pools/new/", data)

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["weight"]
    assert not Pool.objects.exists()


def test_the_budget_cannot_go_below_what_is_granted(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)
    before = _snapshot(pool)

    response = page_client_for(pool_admin).post(
        f"/pools/{pool.pk}/", _edit_data(pool, name="Ny", total_budget="800.000", max_grant="500.000")
    )

    assert response.status_code == 200
    page = _page(response)
    assert _da("The budget cannot go below the %(granted)s already granted.", granted="900.000 kr.") in page
    assert response.context["form"].errors["total_budget"]
    assert _snapshot(pool) == before
    # The budget summary shows what is stored, not the refused values.
    assert "9.100.000 kr." in page


def test_a_pool_admin_edits_a_pool_and_its_criteria(pool: Pool, pool_admin: Any) -> None:
    rows = [("Mål", "3"), ("Organisering", "1"), ("Forankring", "2")]
    data = _edit_data(pool, name="Ny pulje", total_budget="12.000.000", **_criteria(rows, initial=2, delete=(1,)))

    response = page_client_for(pool_admin).post(f"/pools/{pool.pk}/", data)

    assert response.status_code == 302
    name, budget, _maximum, _closes, criteria = _snapshot(pool)
    assert (name, budget) == ("Ny pulje", Decimal("12000000"))
    assert criteria == [("Mål", Decimal(3)), ("Forankring", Decimal(2))]


def test_a_pool_admin_writes_the_guidance_per_section_on_the_page(pool: Pool, pool_admin: Any) -> None:
    page = page_client_for(pool_admin).get(f"/pools/{pool.pk}/").content.decode()
    assert 'name="guidance_organisation"' in page and 'name="guidance_project"' in page
    text = "Beskriv, hvordan ambassadøren indgår i det gode match mellem flygtning og virksomhed."
    data = _edit_data(pool, guidance_project=text, guidance_organisation="")

    response = page_client_for(pool_admin).post(f"/pools/{pool.pk}/", data)

    assert response.status_code == 302
    pool.refresh_from_db()
    assert pool.guidance == {"project": text}  # a section left empty has none


def test_the_criteria_are_locked_once_a_review_is_given(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    review(application, reviewer)
    client = page_client_for(pool_admin)
    before = _snapshot(pool)

    shown = client.get(f"/pools/{pool.pk}/")
    renamed = client.post(
        f"/pools/{pool.pk}/", _edit_data(pool, name="Ny", **_criteria([("Effekt", "3"), ("Organisering", "1")], 2))
    )

    assert "readonly" in _page(shown)
    assert renamed.status_code == 200
    assert _da("The criteria cannot change once reviews have been given.") in _page(renamed)
    assert _snapshot(pool) == before
    # A new weight would change the weighted totals of the reviews already given.
    reweighted = client.post(
        f"/pools/{pool.pk}/", _edit_data(pool, **_criteria([("Mål", "5"), ("Organisering", "1")], 2))
    )
    assert _da("The criteria cannot change once reviews have been given.") in _page(reweighted)
    assert _snapshot(pool) == before
    # The pool itself can still change when its criteria stay as they are.
    assert client.post(f"/pools/{pool.pk}/", _edit_data(pool, name="Ny")).status_code == 302
    assert _snapshot(pool)[0] == "Ny"


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(pool_admin: Any) -> None:
    data = _new_pool_data(add_row="1", name="Halvfærdig pulje")

    response = page_client_for(pool_admin).post("/pools/new/", data)

    assert response.status_code == 200
    formset = response.context["formset"]
    assert [form["name"].value() or "" for form in formset.forms] == ["Mål", "Organisering", "", ""]
    assert not formset.is_bound and not response.context["errors"]
    assert 'value="Halvfærdig pulje"' in _page(response)
    assert not Pool.objects.exists()


def test_the_edit_page_shows_granted_and_remaining(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)

    page = _page(page_client_for(pool_admin).get(f"/pools/{pool.pk}/"))

    assert "900.000 kr." in page and "9.100.000 kr." in page
    assert page.count("<h1") == 1
    assert 'value="10.000.000"' in page  # the budget is shown back the Danish way


def test_a_missing_pool_is_404_for_a_pool_admin_and_403_for_others(pool_admin: Any, reviewer: Any) -> None:
    assert page_client_for(pool_admin).get("/pools/999999/").status_code == 404
    assert page_client_for(reviewer).get("/pools/999999/").status_code == 403


# The accessibility statement -----------------------------------------------------------------


def test_the_accessibility_statement_is_public_and_names_the_complaint_route() -> None:
    response = page_client_for(None).get("/tilgaengelighed/")

    assert response.status_code == 200
    page = _page(response)
    assert page.count("<h1") == 1
    assert "Digitaliseringsstyrelsen" in page
    assert "WCAG 2.1" in page
    assert "mailto:tilgaengelighed@siri.example" in page
