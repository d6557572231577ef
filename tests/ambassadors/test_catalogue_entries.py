"""An entry of the catalogue as the Rambøll catalogue (seed 001) has them (issue 18): several
municipalities (Randers, Syddjurs and Norddjurs share one), several contacts with their roles
(Assens and Vesthimmerland give two each), and the source it comes from. The filter by
municipality finds an entry for each of its municipalities, on the page, in the API and with a
search; the propose page takes prefilled values from a link; the migration carries old entries
over."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ambassadors import services
from ambassadors.data.catalogue import RAMBOLL_CATALOGUE, SOURCE
from ambassadors.demo import load_catalogue
from ambassadors.models import BestPractice, PracticeContact, PracticeState, Theme

from ..conftest import client_for, page_client_for
from ..databases import migrate_to

pytestmark = pytest.mark.django_db

API = "/api/v1/best-practices/"
PAGE = "/best-practices/"
SHARED = ("730", "706", "707")  # Randers (leads), Syddjurs, Norddjurs
UPSKILLING = "Beskæftigelsesrettet opkvalificering"


@pytest.fixture
def catalogue(reviewer: Any) -> None:
    load_catalogue(reviewer)


def _titles(rows: list[dict[str, Any]]) -> list[str]:
    return [row["title"] for row in rows]


# Several municipalities --------------------------------------------------------------------------


@pytest.mark.parametrize("code", SHARED)
def test_each_municipality_of_a_shared_entry_finds_it(catalogue: None, slagelse_applicant: Any, code: str) -> None:
    api = client_for(slagelse_applicant)
    rows = api.get(API, {"municipality": code}).json()["results"]
    assert _titles(rows) == [UPSKILLING]
    searched = api.get(API, {"municipality": code, "search": "opkvalificering"}).json()["results"]
    assert _titles(searched) == [UPSKILLING]

    page = page_client_for(slagelse_applicant).get(PAGE, {"municipality": code})
    assert page.status_code == 200
    hits = [hit.practice.title for hit in page.context["page"].object_list]
    assert hits == [UPSKILLING]
    # The filter offers each of them, and the list names all three.
    assert code in {str(value) for value, _label in page.context["form"].fields["municipality"].choices}
    assert "Randers, Norddjurs, Syddjurs" in page.content.decode()
    searched_page = page_client_for(slagelse_applicant).get(PAGE, {"municipality": code, "q": "opkvalificering"})
    assert [hit.practice.title for hit in searched_page.context["page"].object_list] == [UPSKILLING]


def test_another_municipality_does_not_find_the_shared_entry(catalogue: None, slagelse_applicant: Any) -> None:
    rows = client_for(slagelse_applicant).get(API, {"municipality": "751"}).json()["results"]  # Aarhus
    assert UPSKILLING not in _titles(rows)


def test_the_api_gives_the_lead_and_every_municipality(catalogue: None, slagelse_applicant: Any) -> None:
    practice = BestPractice.objects.get(title=UPSKILLING)
    data = client_for(slagelse_applicant).get(f"{API}{practice.pk}/").json()
    assert (data["municipality"], data["municipality_name"]) == ("730", "Randers")
    assert data["municipalities"] == [
        {"code": "730", "name": "Randers"},
        {"code": "707", "name": "Norddjurs"},
        {"code": "706", "name": "Syddjurs"},
    ]
    page = page_client_for(slagelse_applicant).get(reverse("ambassadors:practice", args=[practice.pk]))
    assert "Randers, Norddjurs, Syddjurs" in page.content.decode()


def test_an_entry_proposed_for_several_municipalities(reviewer: Any, gribskov_applicant: Any) -> None:
    body = {
        "municipality": "270",
        "municipalities": ["270", "217"],  # Gribskov leads, Helsingør shares; the lead may be repeated
        "theme": Theme.COMPANY_COOPERATION,
        "title": "Fælles virksomhedsnetværk",
        "summary": "To kommuner deler ét netværk af virksomheder.",
    }
    created = client_for(reviewer).post(API, body, format="json")
    assert created.status_code == 201, created.content
    assert [m["code"] for m in created.json()["municipalities"]] == ["270", "217"]
    services.publish_practice(created.json()["id"], reviewer)
    assert _titles(client_for(gribskov_applicant).get(API, {"municipality": "217"}).json()["results"]) == [
        "Fælles virksomhedsnetværk"
    ]
    refused = client_for(reviewer).post(API, {**body, "municipalities": ["270", "999"]}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"municipalities"}


def test_the_lists_cost_the_same_queries_for_few_and_many_shared_entries(
    reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    def add(count: int) -> None:
        for number in range(count):
            practice = services.propose_practice(
                reviewer,
                {
                    "municipality": "730",
                    "municipalities": list(SHARED),
                    "theme": Theme.UPSKILLING,
                    "title": f"Opkvalificering {BestPractice.objects.count()} {number}",
                    "summary": "Brancheforløb.",
                    "contacts": [
                        {"name": "Laila Jerming Graff", "role": "Afdelingsleder"},
                        {"name": "Anden Kontakt", "role": "Projektleder"},
                    ],
                    "source": SOURCE,
                },
            )
            services.publish_practice(practice.pk, reviewer)

    api = client_for(reviewer)
    browser = page_client_for(reviewer)
    add(2)
    with CaptureQueriesContext(connection) as few_api:
        api.get(API, {"municipality": "706"})
    with CaptureQueriesContext(connection) as few_page:
        browser.get(PAGE, {"municipality": "706"})
    add(8)
    with django_assert_max_num_queries(len(few_api)):
        assert api.get(API, {"municipality": "706"}).json()["count"] == 10
    with django_assert_max_num_queries(len(few_page)):
        assert browser.get(PAGE, {"municipality": "706"}).context["page"].paginator.count == 10


# Several contacts with their roles --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "contacts"),
    [
        (
            "420",
            [
                ("Brian Korsgaard", "Afdelingsleder", "bridk@assens.dk", "+45 64 74 70 58"),
                ("Umut Serin", "Projektleder", "umuse@assens.dk", "+45 24 75 31 30"),
            ],
        ),
        (
            "820",
            [
                ("Tom Sørensen", "Afdelingsleder", "tos@vesthimmerland.dk", "+45 23 60 70 52"),
                ("Mette Mølgaard Sørensen", "Projektleder", "mett@vesthimmerland.dk", "+45 30 46 38 17"),
            ],
        ),
    ],
)
def test_both_contacts_and_their_roles_on_the_page_and_in_the_api(
    catalogue: None, gribskov_applicant: Any, code: str, contacts: list[tuple[str, str, str, str]]
) -> None:
    practice = BestPractice.objects.get(municipality__code=code)
    data = client_for(gribskov_applicant).get(f"{API}{practice.pk}/").json()
    assert data["contacts"] == [
        {"name": name, "role": role, "email": email, "phone": phone} for name, role, email, phone in contacts
    ]
    # The single fields of the older API still name the first contact.
    assert (data["contact_name"], data["contact_role"], data["contact_email"]) == contacts[0][:3]

    page = page_client_for(gribskov_applicant).get(reverse("ambassadors:practice", args=[practice.pk]))
    html = page.content.decode()
    assert "Kontaktpersoner" in html  # the heading for several, in Danish as the site is
    for name, role, email, _phone in contacts:
        assert name in html and role in html and f'href="mailto:{email}"' in html
    assert html.index(contacts[0][0]) < html.index(contacts[1][0])
    # The catalogue's list gives both too.
    listing = page_client_for(gribskov_applicant).get(PAGE, {"municipality": code}).content.decode()
    assert f"{contacts[0][0]}, {contacts[0][1]}" in listing and f"{contacts[1][0]}, {contacts[1][1]}" in listing


def test_contacts_through_the_api_are_checked(reviewer: Any) -> None:
    body = {
        "municipality": "330",
        "theme": Theme.OTHER,
        "title": "Sprogmakkere",
        "summary": "Frivillige.",
        "contacts": [
            {"name": "Anne Jensen", "role": "Projektleder", "email": "anje@slagelse.dk", "phone": "58 57 36 00"},
            {"name": "Bo Hansen", "role": "Virksomhedskonsulent"},
        ],
    }
    created = client_for(reviewer).post(API, body, format="json")
    assert created.status_code == 201, created.content
    assert [(c["name"], c["role"]) for c in created.json()["contacts"]] == [
        ("Anne Jensen", "Projektleder"),
        ("Bo Hansen", "Virksomhedskonsulent"),
    ]
    assert created.json()["contact_name"] == "Anne Jensen"
    # A CPR number in a contact's name or role, or a contact without a name: a 400 naming `contacts`.
    for contact in ({"name": "Anne 010190-1234"}, {"name": "Anne", "role": "0101901234"}, {"role": "Leder"}):
        refused = client_for(reviewer).post(API, {**body, "contacts": [contact]}, format="json")
        assert refused.status_code == 400, contact
        assert set(refused.json()) == {"contacts"}
    assert BestPractice.objects.count() == 1


def test_the_propose_page_takes_two_contacts_other_municipalities_and_the_source(reviewer: Any) -> None:
    browser = page_client_for(reviewer)
    response = browser.post(
        reverse("ambassadors:practice_propose"),
        {
            "municipality": "730",
            "municipalities": ["706", "707"],
            "theme": Theme.UPSKILLING,
            "title": "Brancheforløb",
            "summary": "Seks ugers uddannelse og seks ugers praktik.",
            "contact_name": "Laila Jerming Graff",
            "contact_role": "Afdelingsleder",
            "contact2_name": "Anden Kontakt",
            "contact2_role": "Projektleder",
            "contact2_email": "anden@syddjurs.dk",
            "source": "Slutrapport for projektet",
            "source_url": "https://www.randers.dk/slutrapport.pdf",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    practice = BestPractice.objects.get(title="Brancheforløb")
    assert [m.code for m in practice.all_municipalities] == ["730", "707", "706"]
    assert [(c.name, c.role, c.email) for c in practice.contacts.all()] == [
        ("Laila Jerming Graff", "Afdelingsleder", ""),
        ("Anden Kontakt", "Projektleder", "anden@syddjurs.dk"),
    ]
    assert (practice.source, practice.source_url) == (
        "Slutrapport for projektet",
        "https://www.randers.dk/slutrapport.pdf",
    )
    # A second contact with a role but no name is refused on its field.
    refused = browser.post(
        reverse("ambassadors:practice_propose"),
        {"municipality": "730", "theme": Theme.OTHER, "title": "X", "summary": "Y", "contact2_role": "Leder"},
    )
    assert refused.status_code == 200 and set(refused.context["form"].errors) == {"contact2_name"}


# The source --------------------------------------------------------------------------------------


def test_the_source_is_shown_on_the_page_and_in_the_api(catalogue: None, gribskov_applicant: Any) -> None:
    practice = BestPractice.objects.get(municipality__code="316")
    data = client_for(gribskov_applicant).get(f"{API}{practice.pk}/").json()
    assert (data["source"], data["source_url"]) == (SOURCE, "")
    html = page_client_for(gribskov_applicant).get(reverse("ambassadors:practice", args=[practice.pk])).content
    assert SOURCE in html.decode()


def test_a_source_with_a_link_and_a_bad_one(reviewer: Any, gribskov_applicant: Any) -> None:
    body = {
        "municipality": "270",
        "theme": Theme.OTHER,
        "title": "Mentorordning",
        "summary": "Mentorer i virksomhederne.",
        "source": "Gribskovs slutrapport",
        "source_url": "https://www.gribskov.dk/slutrapport",
    }
    created = client_for(reviewer).post(API, body, format="json").json()
    services.publish_practice(created["id"], reviewer)
    html = page_client_for(gribskov_applicant).get(reverse("ambassadors:practice", args=[created["id"]])).content
    assert b'<a href="https://www.gribskov.dk/slutrapport" rel="noopener noreferrer">Gribskovs slutrapport</a>' in html
    for bad in ({"source_url": "javascript:alert(1)"}, {"source": "Notat om 010190-1234"}):
        refused = client_for(reviewer).post(API, {**body, **bad}, format="json")
        assert refused.status_code == 400 and set(refused.json()) == set(bad)


# The propose page prefilled by a link -----------------------------------------------------------------


def test_the_propose_page_is_prefilled_from_a_link_and_saves_nothing(slagelse_ambassador: Any) -> None:
    browser = page_client_for(slagelse_ambassador.user)
    url = reverse("ambassadors:practice_propose")
    response = browser.get(
        url,
        {
            "title": "Fra praktik til løntimer",
            "summary": "Erfaringer fra projektets slutrapport.",
            "municipality": "316",
            "source": "Slutrapport for Integrations Jobenheden",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {
        "municipality": "316",
        "title": "Fra praktik til løntimer",
        "summary": "Erfaringer fra projektets slutrapport.",
        "source": "Slutrapport for Integrations Jobenheden",
    }
    assert not form.is_bound  # initial values only: no errors shown, nothing saved
    html = response.content.decode()
    assert 'value="Fra praktik til løntimer"' in html and "Erfaringer fra projektets slutrapport." in html
    assert 'value="Slutrapport for Integrations Jobenheden"' in html
    assert not BestPractice.objects.exists()


def test_a_prefill_that_is_not_valid_is_left_out(slagelse_ambassador: Any, reviewer: Any) -> None:
    url = reverse("ambassadors:practice_propose")
    long_title = "x" * 301
    response = page_client_for(slagelse_ambassador.user).get(
        url, {"title": long_title, "summary": "Borger 010190-1234.", "municipality": "999", "source": "  "}
    )
    assert response.status_code == 200
    # The ambassador's own municipality stays; the rest is dropped rather than shown as an error.
    assert response.context["form"].initial == {"municipality": "330"}
    html = response.content.decode()
    assert "Borger 010190-1234." not in html and f'value="{long_title}"' not in html
    # SIRI, who has no municipality of their own, gets the one linked; an id is not a code.
    assert page_client_for(reviewer).get(url, {"municipality": "270"}).context["form"].initial == {
        "municipality": "270"
    }
    # A municipality is linked by its code, as the form and the API take it: "22" is none.
    assert page_client_for(reviewer).get(url, {"municipality": "22"}).context["form"].initial == {}
    assert not BestPractice.objects.exists()


# The demo entries ---------------------------------------------------------------------------------


def test_the_demo_entries_have_their_municipalities_contacts_and_source(reviewer: Any) -> None:
    assert load_catalogue(reviewer) == 15
    assert load_catalogue(reviewer) == 0  # loaded once, however often it runs
    assert BestPractice.objects.count() == 15 == len(RAMBOLL_CATALOGUE)
    assert PracticeContact.objects.count() == 17  # one each, two for Assens and Vesthimmerland
    assert set(BestPractice.objects.values_list("source", flat=True)) == {SOURCE}
    assert set(BestPractice.objects.values_list("state", flat=True)) == {PracticeState.PUBLISHED}
    shared = BestPractice.objects.get(title=UPSKILLING)
    assert shared.municipality.code == "730"
    assert {m.code for m in shared.municipalities.all()} == set(SHARED)
    for practice in BestPractice.objects.exclude(pk=shared.pk):
        assert [m.pk for m in practice.municipalities.all()] == [practice.municipality_id]
    assert [(c.name, c.role) for c in BestPractice.objects.get(municipality__code="420").contacts.all()] == [
        ("Brian Korsgaard", "Afdelingsleder"),
        ("Umut Serin", "Projektleder"),
    ]


def test_the_demo_completes_an_entry_loaded_before_once(reviewer: Any) -> None:
    """An entry as the migration left it (one municipality, one contact, no source) gets the rest of
    what the catalogue gives, once; a second run adds nothing."""
    assens = next(entry for entry in RAMBOLL_CATALOGUE if entry.municipality == "420")
    old = {**assens.as_data(), "contacts": assens.as_data()["contacts"][:1], "source": "", "municipalities": []}
    practice = services.propose_practice(reviewer, old)
    load_catalogue(reviewer)
    load_catalogue(reviewer)
    practice.refresh_from_db()
    assert practice.source == SOURCE
    assert [c.name for c in practice.contacts.all()] == ["Brian Korsgaard", "Umut Serin"]
    assert BestPractice.objects.filter(municipality__code="420").count() == 1


# The migration ------------------------------------------------------------------------------------

BEFORE = [("ambassadors", "0006_form_constraint_messages")]
AFTER = [("ambassadors", "0009_remove_single_contact")]


# On SQLite only (CI's part 1): migrating the shared test database of a process back and forth
# leaves PostgreSQL's recreated tables without planner statistics, and the tests after it in the
# process met nested-loop plans that ran for minutes. PostgreSQL migrates forward in every run.
@pytest.mark.skipif(connection.vendor == "postgresql", reason="migrates the shared test database back")
@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_the_municipality_and_the_contact_over() -> None:
    try:
        old = migrate_to(BEFORE)
        practice_model = old.get_model("ambassadors", "BestPractice")
        holbaek = old.get_model("applications", "Municipality").objects.get(code="316")
        with_contact = practice_model.objects.create(
            municipality=holbaek,
            theme="company_cooperation",
            title="Virksomhedssamarbejdet",
            summary="Gode råd.",
            contact_name="Ibrahim Benli",
            contact_role="Projektleder",
            contact_email="ibben@holb.dk",
            contact_phone="+45 72 36 26 73",
        )
        without = practice_model.objects.create(
            municipality=holbaek, theme="other", title="Uden kontakt", summary="Ingen."
        )

        new = migrate_to(AFTER)
        migrated = new.get_model("ambassadors", "BestPractice").objects
        assert [m.code for m in migrated.get(pk=with_contact.pk).municipalities.all()] == ["316"]
        assert [m.code for m in migrated.get(pk=without.pk).municipalities.all()] == ["316"]
        contacts = new.get_model("ambassadors", "PracticeContact").objects
        assert list(contacts.values_list("practice_id", "name", "role", "email", "phone", "order")) == [
            (with_contact.pk, "Ibrahim Benli", "Projektleder", "ibben@holb.dk", "+45 72 36 26 73", 0)
        ]

        # And back: the first contact returns to the single fields.
        back = migrate_to(BEFORE).get_model("ambassadors", "BestPractice").objects.get(pk=with_contact.pk)
        assert (back.contact_name, back.contact_role, back.contact_email) == (
            "Ibrahim Benli",
            "Projektleder",
            "ibben@holb.dk",
        )
    finally:
        migrate_to()
