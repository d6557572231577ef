"""The catalogue of good practice on pages: search with highlights and filters, escaping, an
ambassador's proposal from a report and SIRI's publishing, SIRI's own entries, paging."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ambassadors.models import (
    Ambassador,
    BestPractice,
    PracticeState,
)
from applications.models import Municipality

from .test_views import client, first_quarter, practice, service_report, text

pytestmark = pytest.mark.django_db


# The best-practice catalogue -----------------------------------------------------------------


def test_the_catalogue_search_highlights_the_match_and_filters(slagelse_applicant: Any) -> None:
    practice("Virksomhedsnetværk i Holbæk")
    practice(
        "Empowerment af kvinder",
        municipality=Municipality.objects.get(code="330"),
        theme="empowerment",
        summary="Gruppeforløb for kvinder om sundhed og arbejdsliv.",
        contact_email="",
    )
    practice("Ikke udgivet endnu", PracticeState.PROPOSED)
    browser = client(slagelse_applicant)
    url = reverse("ambassadors:catalogue")

    everything = browser.get(url)
    assert everything.context["page"].paginator.count == 2
    assert "Ikke udgivet endnu" not in text(everything)
    found = browser.get(url, {"q": "virksomheder"})
    page = text(found)
    assert [hit.practice.title for hit in found.context["page"]] == ["Virksomhedsnetværk i Holbæk"]
    assert "<mark>virksomheder</mark> sammen med borgeren" in page
    assert '<a href="mailto:meha@holb.dk">meha@holb.dk</a>' in page
    assert "Mette Hansen, Virksomhedskonsulent" in page and "72 36 36 36" in page
    assert "Holbæk" in page and "Company cooperation" in page

    by_theme = browser.get(url, {"theme": "empowerment"})
    assert [hit.practice.title for hit in by_theme.context["page"]] == ["Empowerment af kvinder"]
    by_municipality = browser.get(url, {"municipality": "316"})
    assert [hit.practice.title for hit in by_municipality.context["page"]] == ["Virksomhedsnetværk i Holbæk"]
    none = browser.get(url, {"q": "kvinder", "municipality": "316"})
    assert none.context["page"].paginator.count == 0 and "No entries match your search" in text(none)
    nonsense = browser.get(url, {"theme": "colour", "municipality": "abc", "q": "kvinder"})
    assert nonsense.status_code == 200
    assert [hit.practice.title for hit in nonsense.context["page"]] == ["Empowerment af kvinder"]
    partial = browser.get(url, {"q": "kvinder"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalogue-results")
    assert b"<html" not in partial.content and b"<mark>kvinder</mark>" in partial.content


def test_user_text_in_the_catalogue_is_escaped(slagelse_applicant: Any) -> None:
    entry = practice("<script>alert(1)</script> Mentorordning", summary="Mentor <b>fed</b> for nyankomne.")
    browser = client(slagelse_applicant)
    for response in (
        browser.get(reverse("ambassadors:catalogue")),
        browser.get(reverse("ambassadors:catalogue"), {"q": "mentorordning"}),
        browser.get(reverse("ambassadors:practice", args=[entry.pk])),
    ):
        page = text(response)
        assert "<script>alert(1)</script>" not in page and "<b>fed</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    marked = text(browser.get(reverse("ambassadors:catalogue"), {"q": "mentorordning"}))
    assert "&lt;/script&gt; <mark>Mentorordning</mark>" in marked


def test_an_ambassador_proposes_a_practice_from_a_report_and_siri_publishes_it(
    slagelse_ambassador: Ambassador, gribskov_ambassador: Ambassador, reviewer: Any, slagelse_applicant: Any
) -> None:
    quarter = first_quarter(slagelse_ambassador)
    handed_in = service_report(slagelse_ambassador, quarter, submit=True)
    draft = service_report(slagelse_ambassador, quarter.next())
    service_report(gribskov_ambassador, first_quarter(gribskov_ambassador), submit=True)
    browser = client(slagelse_ambassador.user)
    url = reverse("ambassadors:practice_propose")

    form = browser.get(url)
    assert [r.pk for r in form.context["form"].fields["source_reports"].queryset] == [handed_in.pk]
    assert 'value="330" selected' in text(form)  # the ambassador's own municipality
    proposal = {
        "municipality": "330",
        "theme": "company_cooperation",
        "title": "Virksomhedsbesøg med borgeren",
        "summary": "Ambassadøren tager borgeren med på virksomhedsbesøg.",
        "contact_name": "Anne Ambassadør",
        "contact_role": "Beskæftigelsesambassadør",
        "contact_email": "anne@slagelse.dk",
        "contact_phone": "58 57 36 00",
        "tags": "virksomhed, praktik, ",
        "source_reports": [str(handed_in.pk)],
    }
    refused = browser.post(url, {**proposal, "source_reports": [str(draft.pk)], "contact_email": "nej"})
    assert refused.status_code == 200 and set(refused.context["form"].errors) == {"source_reports", "contact_email"}
    assert "Ambassadøren tager borgeren med" in text(refused)
    sent = browser.post(url, proposal)
    entry = BestPractice.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("ambassadors:practice", args=[entry.pk])
    assert entry.state == PracticeState.PROPOSED and entry.proposed_by == slagelse_ambassador.user
    assert entry.tags == ["virksomhed", "praktik"] and list(entry.source_reports.all()) == [handed_in]
    assert "Your proposals awaiting SIRI" in text(browser.get(reverse("ambassadors:catalogue")))
    assert client(slagelse_applicant).get(reverse("ambassadors:practice", args=[entry.pk])).status_code == 404

    siri = client(reviewer)
    catalogue = text(siri.get(reverse("ambassadors:catalogue")))
    assert "Proposals awaiting publication" in catalogue and "Virksomhedsbesøg med borgeren" in catalogue
    detail = text(siri.get(reverse("ambassadors:practice", args=[entry.pk])))
    assert reverse("ambassadors:report", args=[handed_in.pk]) in detail
    publish = reverse("ambassadors:practice_publish", args=[entry.pk])
    assert publish in detail
    assert "Publish “Virksomhedsbesøg med borgeren” in the catalogue?" in text(siri.get(publish))
    assert siri.post(publish).status_code == 200  # without the confirm button nothing happens
    entry.refresh_from_db()
    assert entry.state == PracticeState.PROPOSED
    assert siri.post(publish, {"confirm": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.state == PracticeState.PUBLISHED and entry.published_at is not None
    assert siri.post(publish, {"confirm": "1"}).status_code == 409

    found = client(slagelse_applicant).get(reverse("ambassadors:catalogue"), {"q": "virksomhedsbesøg"})
    assert [hit.practice for hit in found.context["page"]] == [entry]
    # An applicant of Slagelse reads the entry, and the handed-in report it came from.
    applicant_view = text(client(slagelse_applicant).get(reverse("ambassadors:practice", args=[entry.pk])))
    assert reverse("ambassadors:report", args=[handed_in.pk]) in applicant_view
    gribskov_view = text(client(gribskov_ambassador.user).get(reverse("ambassadors:practice", args=[entry.pk])))
    assert reverse("ambassadors:report", args=[handed_in.pk]) not in gribskov_view


def test_siri_enters_a_practice_without_source_reports(reviewer: Any) -> None:
    browser = client(reviewer)
    form = browser.get(reverse("ambassadors:practice_propose"))
    assert "source_reports" not in form.context["form"].fields
    missing = browser.post(reverse("ambassadors:practice_propose"), {"theme": "nonsense"})
    assert missing.status_code == 200
    assert set(missing.context["form"].errors) == {"municipality", "theme", "title", "summary"}
    sent = browser.post(
        reverse("ambassadors:practice_propose"),
        {"municipality": "316", "theme": "visual_tools", "title": "Visuelle værktøjer", "summary": "Billeder."},
    )
    assert sent.status_code == 302
    assert BestPractice.objects.get().state == PracticeState.PROPOSED


def test_the_catalogue_pages_long_result_lists(slagelse_applicant: Any) -> None:
    for index in range(45):
        practice(f"Praksis {index:02d}")
    browser = client(slagelse_applicant)
    first = browser.get(reverse("ambassadors:catalogue"), {"q": "praksis"})
    assert len(first.context["page"].object_list) == 20
    assert "page=2" in text(first) and "q=praksis" in text(first)
    last = browser.get(reverse("ambassadors:catalogue"), {"q": "praksis", "page": "3"})
    assert len(last.context["page"].object_list) == 5
    assert browser.get(reverse("ambassadors:catalogue"), {"page": "nonsense"}).status_code == 200
