"""The ambassador network as pages: who may open what, an ambassador's quarterly report from the
first line to SIRI's acknowledgement (the network overview and meetings are in
test_views_network.py, the catalogue in test_views_catalogue.py)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ambassadors import services
from ambassadors.models import (
    Ambassador,
    AmbassadorReport,
    AmbassadorReportState,
    BestPractice,
    PracticeContact,
    PracticeState,
)
from ambassadors.search import refresh_vectors
from applications.accounts import set_person
from applications.models import Municipality
from monitoring.quarters import Quarter

from ..conftest import page_client_for
from .conftest import goals_of

pytestmark = pytest.mark.django_db


def client(user: Any, language: str = "en") -> Client:
    """Text is asserted in English so that a later Danish translation does not break the tests."""
    browser = page_client_for(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return browser


def text(response: Any) -> str:
    return response.content.decode()


def first_quarter(ambassador: Ambassador) -> Quarter:
    return Quarter.of(ambassador.grant.start_date)


def report_data(ambassador: Ambassador, quarter: Quarter | None = None, **changes: Any) -> dict[str, Any]:
    """What an ambassador types into the report form."""
    women, attendance = goals_of(ambassador.grant)
    data: dict[str, Any] = {
        "company_contacts": "14",
        "new_partnerships": "3",
        "matches_internship": "5",
        "matches_wage_subsidy": "2",
        "matches_igu": "1",
        "matches_ordinary_job": "2",
        "meetings_attended": "1",
        "knowledge_sharing": "2",
        f"contribution_{women.pk}": "3",
        f"comment_{women.pk}": "Tre kvinder i praktik førte til job.",
        f"contribution_{attendance.pk}": "",
        f"comment_{attendance.pk}": "",
        "best_practices": "Virksomhedsbesøg sammen med jobcentret.",
        "obstacles": "Sprogkrav i rengøringsbranchen.",
        "narrative": "Kontakt til 14 virksomheder i rengøring og pleje.",
    }
    if quarter is not None:
        data["period"] = f"{quarter.year}-{quarter.quarter}"
    data.update(changes)
    return data


def service_report(ambassador: Ambassador, quarter: Quarter, submit: bool = False, **changes: Any) -> AmbassadorReport:
    women = goals_of(ambassador.grant)[0]
    data = {
        "year": quarter.year,
        "quarter": quarter.quarter,
        "company_contacts": 4,
        "narrative": "Fire virksomheder besøgt.",
        "contributions": [{"goal": women.pk, "value": Decimal(2), "comment": "To i job."}],
        **changes,
    }
    report = services.create_report(ambassador.user, data)
    if submit:
        services.submit_report(report.pk, ambassador.user)
    return AmbassadorReport.objects.get(pk=report.pk)


def practice(title: str, state: str = PracticeState.PUBLISHED, **fields: Any) -> BestPractice:
    values = {
        "municipality": Municipality.objects.get(code="316"),  # Holbæk
        "theme": "company_cooperation",
        "title": title,
        "summary": "Jobkonsulenter besøger virksomheder sammen med borgeren og aftaler praktik.",
        "state": state,
        **fields,
    }
    contact = {
        "name": values.pop("contact_name", "Mette Hansen"),
        "role": values.pop("contact_role", "Virksomhedskonsulent"),
        "email": values.pop("contact_email", "meha@holb.dk"),
        "phone": values.pop("contact_phone", "72 36 36 36"),
    }
    entry = BestPractice.objects.create(**values)
    entry.municipalities.add(entry.municipality)
    if any(contact.values()):
        PracticeContact.objects.create(practice=entry, **contact)
    refresh_vectors(BestPractice.objects.filter(pk=entry.pk))  # as the admin and the services do
    return entry


REASON = {"reason": "Beskriv IGU-forløbet."}


@pytest.fixture
def unregistered_ambassador(db: None) -> Any:
    """A person with the ambassador role whom SIRI has not registered on a project yet."""
    user, _created = set_person("ambassador_new", "ambassador", ["330"], "ny@slagelse.test", "pw")
    return user


# The ambassador's page -----------------------------------------------------------------------


def test_an_unregistered_ambassador_is_told_to_ask_siri(unregistered_ambassador: Any) -> None:
    for name in ("home", "report_create"):
        page = text(client(unregistered_ambassador).get(reverse(f"ambassadors:{name}")))
        assert "You are not registered as an ambassador yet" in page
        assert "ask your contact at SIRI" in page


def test_the_home_page_shows_the_project_the_reports_and_the_meetings(
    slagelse_ambassador: Ambassador, reviewer: Any
) -> None:
    grant = slagelse_ambassador.grant
    quarter = first_quarter(slagelse_ambassador)
    service_report(slagelse_ambassador, quarter, submit=True)
    services.save_meeting(
        reviewer,
        {
            "held_on": timezone.localdate() - datetime.timedelta(days=10),
            "place": "Holbæk Rådhus",
            "minutes": "Holbæk fortalte om virksomhedsnetværk.",
            "attended": [slagelse_ambassador.pk],
        },
    )
    services.save_meeting(reviewer, {"held_on": timezone.localdate() + datetime.timedelta(days=20), "place": "Odense"})
    page = text(client(slagelse_ambassador.user).get(reverse("ambassadors:home")))

    assert grant.application.title in page and "Slagelse" in page
    assert "Aktivitetsparate kvinder i beskæftigelse" in page and ">35<" in page
    assert "70 %" in page  # the attendance goal's target, in percent
    assert f"Read the report for {quarter}" in page
    next_quarter = quarter.next()
    create = reverse("ambassadors:report_create")
    assert f"{create}?year={next_quarter.year}&amp;quarter={next_quarter.quarter}" in page
    assert f"Write the report for {next_quarter}" in page
    later = Quarter.of(timezone.localdate()).next()
    assert f"Write the report for {later}" not in page  # a quarter that has not begun
    assert "Holbæk Rådhus" in page and "minutes available" in page
    assert "Odense" in page


def test_the_home_page_adds_up_the_ambassadors_own_contributions_unsorted(slagelse_ambassador: Ambassador) -> None:
    quarter = first_quarter(slagelse_ambassador)
    service_report(slagelse_ambassador, quarter, submit=True)
    service_report(slagelse_ambassador, quarter.next(), submit=True)
    service_report(slagelse_ambassador, quarter.next().next())  # a draft counts for nothing yet
    with CaptureQueriesContext(connection) as read:
        page = text(client(slagelse_ambassador.user).get(reverse("ambassadors:home")))
    women = goals_of(slagelse_ambassador.grant)[0]
    row = page[page.index(women.title) :]
    assert row[: row.index("</tr>")].endswith('<td class="number">4 people</td>\n    ')  # 2 + 2, not the draft
    # The model's ordering would join the ambassador's user and municipality only to sort a sum.
    sums = [q["sql"] for q in read.captured_queries if 'FROM "ambassadors_goalcontribution"' in q["sql"]]
    assert sums and all("auth_user" not in sql and "ORDER BY" not in sql for sql in sums)


def test_the_home_page_shows_the_projects_latest_figures(
    slagelse_ambassador: Ambassador, slagelse_applicant: Any, reviewer: Any
) -> None:
    from monitoring import services as monitoring_services

    grant = slagelse_ambassador.grant
    women, attendance = goals_of(grant)
    quarter = first_quarter(slagelse_ambassador)
    period = {"year": quarter.year, "quarter": quarter.quarter}
    report = monitoring_services.create_report(grant.pk, slagelse_applicant, period)
    figures = {
        "progress": [
            {"goal": women.pk, "value": Decimal(7)},
            {"goal": attendance.pk, "numerator": 60, "denominator": 100},
        ],
        "narrative": "Syv kvinder i job.",
        "enrolled": 20,
        "spent_to_date": Decimal(100000),
    }
    monitoring_services.update_report(report.pk, slagelse_applicant, figures)
    monitoring_services.submit_report(report.pk, slagelse_applicant)
    page = text(client(slagelse_ambassador.user).get(reverse("ambassadors:home")))
    assert f"figures as of {quarter}" in page
    assert "7 (20 % of target)" in page


# Writing a report ----------------------------------------------------------------------------


def test_an_ambassador_logs_a_report_submits_it_and_siri_acknowledges_it(
    slagelse_ambassador: Ambassador, reviewer: Any
) -> None:
    quarter = first_quarter(slagelse_ambassador)
    browser = client(slagelse_ambassador.user)
    create = reverse("ambassadors:report_create")

    form = text(browser.get(create, {"year": quarter.year, "quarter": quarter.quarter}))
    assert f'<option value="{quarter.year}-{quarter.quarter}" selected>' in form
    assert "Aktivitetsparate kvinder i beskæftigelse" in form

    saved = browser.post(create, report_data(slagelse_ambassador, quarter, then="submit"))
    report = AmbassadorReport.objects.get(ambassador=slagelse_ambassador)
    assert saved.status_code == 302 and saved["Location"] == reverse("ambassadors:report_submit", args=[report.pk])
    assert report.state == AmbassadorReportState.DRAFT  # nothing is sent before the confirmation
    assert (report.company_contacts, report.matches, report.knowledge_sharing) == (14, 10, 2)
    women = goals_of(slagelse_ambassador.grant)[0]
    assert [(c.goal_id, c.value, c.comment) for c in report.contributions.all()] == [
        (women.pk, Decimal(3), "Tre kvinder i praktik førte til job.")
    ]

    confirmation = text(browser.get(saved["Location"]))
    assert f"Submit the report for {quarter} to SIRI?" in confirmation
    assert "Kontakt til 14 virksomheder" in confirmation
    submitted = browser.post(saved["Location"])
    assert submitted.status_code == 302 and submitted["Location"] == reverse("ambassadors:report", args=[report.pk])
    report.refresh_from_db()
    assert report.state == AmbassadorReportState.SUBMITTED

    siri = client(reviewer)
    detail = text(siri.get(reverse("ambassadors:report", args=[report.pk])))
    acknowledge = reverse("ambassadors:report_decide", args=[report.pk, "acknowledge"])
    assert acknowledge in detail and "Tre kvinder i praktik" in detail
    question = text(siri.get(acknowledge))
    assert f"Acknowledge the report for {quarter} from ambassador@example.test, Slagelse?" in question
    report.refresh_from_db()
    assert report.state == AmbassadorReportState.SUBMITTED
    done = siri.post(acknowledge, {"confirm": "1"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.state == AmbassadorReportState.ACKNOWLEDGED

    history = text(browser.get(reverse("ambassadors:report", args=[report.pk])))
    assert "Draft → Submitted" in history and "Submitted → Acknowledged" in history
    assert "Continue writing" not in history
    again = siri.get(acknowledge)
    assert again.status_code == 409 and "cannot be acknowledged while it is Acknowledged" in text(again)


def test_invalid_numbers_keep_everything_typed_and_name_each_problem(slagelse_ambassador: Ambassador) -> None:
    quarter = first_quarter(slagelse_ambassador)
    women = goals_of(slagelse_ambassador.grant)[0]
    data = report_data(
        slagelse_ambassador,
        quarter,
        company_contacts="-2",
        matches_igu="mange",
        **{f"contribution_{women.pk}": "", f"comment_{women.pk}": "Uden tal"},
    )
    response = client(slagelse_ambassador.user).post(reverse("ambassadors:report_create"), data)
    assert response.status_code == 200
    assert not AmbassadorReport.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) == {"company_contacts", "matches_igu", f"contribution_{women.pk}"}
    assert "A count cannot be negative." in errors["company_contacts"]
    page = text(response)
    assert 'value="-2"' in page and 'value="mange"' in page and "Uden tal" in page
    assert "Kontakt til 14 virksomheder i rengøring og pleje." in page


def test_a_quarter_already_written_is_an_error_on_the_quarter_and_keeps_the_text(
    slagelse_ambassador: Ambassador,
) -> None:
    quarter = first_quarter(slagelse_ambassador)
    browser = client(slagelse_ambassador.user)
    form = text(browser.get(reverse("ambassadors:report_create")))
    assert f'value="{quarter.year}-{quarter.quarter}"' in form
    service_report(slagelse_ambassador, quarter)  # written meanwhile, e.g. in another tab
    response = browser.post(reverse("ambassadors:report_create"), report_data(slagelse_ambassador, quarter))
    assert response.status_code == 200
    assert "period" in response.context["form"].errors
    assert "Kontakt til 14 virksomheder" in text(response)
    assert AmbassadorReport.objects.count() == 1
    # A link to the written quarter leads to its report instead of a second one.
    link = browser.get(reverse("ambassadors:report_create"), {"year": quarter.year, "quarter": quarter.quarter})
    assert link.status_code == 302 and link["Location"].endswith("/edit/")
    assert browser.get(reverse("ambassadors:report_create"), {"year": "x", "quarter": "9"}).status_code == 200


def test_submitting_without_a_narrative_names_what_is_missing(slagelse_ambassador: Ambassador) -> None:
    report = service_report(slagelse_ambassador, first_quarter(slagelse_ambassador), narrative="")
    response = client(slagelse_ambassador.user).post(reverse("ambassadors:report_submit", args=[report.pk]))
    assert response.status_code == 400
    page = text(response)
    assert "Describe what you did in the quarter." in page
    assert reverse("ambassadors:report_edit", args=[report.pk]) + "#id_narrative" in page
    report.refresh_from_db()
    assert report.state == AmbassadorReportState.DRAFT


def test_editing_a_draft_saves_and_clears_a_contribution(slagelse_ambassador: Ambassador) -> None:
    report = service_report(slagelse_ambassador, first_quarter(slagelse_ambassador))
    women = goals_of(slagelse_ambassador.grant)[0]
    url = reverse("ambassadors:report_edit", args=[report.pk])
    browser = client(slagelse_ambassador.user, "da")
    form = text(browser.get(url))
    assert re.search(rf'name="contribution_{women.pk}"[^>]*value="2"', form)

    # A contribution is people: a whole number.
    half = report_data(slagelse_ambassador, **{f"contribution_{women.pk}": "2,5", "obstacles": "Ingen"})
    refused = browser.post(url, half)
    assert refused.status_code == 200 and "Et bidrag er et helt antal personer." in text(refused)
    data = report_data(slagelse_ambassador, **{f"contribution_{women.pk}": "3", "obstacles": "Ingen"})
    assert browser.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.obstacles == "Ingen" and report.contributions.get().value == Decimal(3)
    cleared = report_data(slagelse_ambassador, **{f"contribution_{women.pk}": "", f"comment_{women.pk}": ""})
    assert browser.post(url, cleared).status_code == 302
    assert not report.contributions.exists()


def test_a_returned_report_shows_siris_reason_and_can_be_written_again(
    slagelse_ambassador: Ambassador, reviewer: Any
) -> None:
    report = service_report(slagelse_ambassador, first_quarter(slagelse_ambassador), submit=True)
    siri = client(reviewer)
    url = reverse("ambassadors:report_decide", args=[report.pk, "return"])

    empty = siri.post(url, {"reason": "  ", "confirm": "1"})
    assert empty.status_code == 200 and "Give a reason" in text(empty)
    confirmation = text(siri.post(url, REASON))
    assert "the ambassador will see your reason" in confirmation
    assert 'type="hidden" name="reason" value="Beskriv IGU-forløbet."' in confirmation
    report.refresh_from_db()
    assert report.state == AmbassadorReportState.SUBMITTED
    assert siri.post(url, {**REASON, "confirm": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.state == AmbassadorReportState.DRAFT

    browser = client(slagelse_ambassador.user)
    edit = text(browser.get(reverse("ambassadors:report_edit", args=[report.pk])))
    assert "SIRI returned the report" in edit and "Beskriv IGU-forløbet." in edit
    home = text(browser.get(reverse("ambassadors:home")))
    assert "Returned by SIRI" in home
    # SIRI still reads the returned report (it was handed in), but cannot act on a draft.
    assert siri.get(reverse("ambassadors:report", args=[report.pk])).status_code == 200
    assert siri.get(reverse("ambassadors:report_decide", args=[report.pk, "acknowledge"])).status_code == 409


def test_user_text_of_a_report_is_escaped(slagelse_ambassador: Ambassador, reviewer: Any) -> None:
    report = service_report(
        slagelse_ambassador, first_quarter(slagelse_ambassador), submit=True, narrative="<script>alert(1)</script>"
    )
    page = text(client(reviewer).get(reverse("ambassadors:report", args=[report.pk])))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_danish_page_shows_danish_numbers(slagelse_ambassador: Ambassador) -> None:
    report = service_report(slagelse_ambassador, first_quarter(slagelse_ambassador))
    women = goals_of(slagelse_ambassador.grant)[0]
    report.contributions.filter(goal=women).update(value=Decimal(1500))
    page = text(client(slagelse_ambassador.user, "da").get(reverse("ambassadors:report_edit", args=[report.pk])))
    assert re.search(rf'name="contribution_{women.pk}"[^>]*value="1500"', page)


def test_the_home_page_reads_the_project_once(slagelse_ambassador: Ambassador) -> None:
    """The ambassador comes with the project (grant, application, pool, municipality) the page
    shows: it is not read a second time."""
    service_report(slagelse_ambassador, first_quarter(slagelse_ambassador), submit=True)
    browser = client(slagelse_ambassador.user)
    browser.get(reverse("ambassadors:home"))
    with CaptureQueriesContext(connection) as read:
        page = text(browser.get(reverse("ambassadors:home")))
    assert slagelse_ambassador.grant.application.title in page and "Slagelse" in page
    projects = [q["sql"] for q in read.captured_queries if '"applications_application"."title"' in q["sql"]]
    assert len(projects) == 1, projects
