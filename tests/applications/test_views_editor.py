"""The application form: autosave, rows, approvals and the checklist, as the browser sends them."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Application, BudgetLine, Goal, State, TargetGroup
from tests.autosave import Tab, read_form
from tests.conftest import application_in_state, make_complete_draft, make_pool, page_client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(slagelse_applicant: Any) -> Application:
    return make_complete_draft(make_pool(), slagelse_applicant)


@pytest.fixture
def client(slagelse_applicant: Any) -> Any:
    return page_client_for(slagelse_applicant)


def saved_event(response: Any) -> dict[str, Any]:
    return json.loads(response.headers["HX-Trigger"])["puljeflow:saved"]


def test_autosave_saves_valid_fields_and_marks_the_invalid_ones_at_the_field(client: Any, draft: Application) -> None:
    response = client.post(
        f"/applications/{draft.pk}/autosave/",
        {"purpose": "Flere kvinder i job", "cvr": "12345678", "start_date": "31.02.2027"},
        HTTP_ACCEPT_LANGUAGE="da",
        **HTMX,
    )
    page = response.content.decode()
    draft.refresh_from_db()
    assert draft.purpose == "Flere kvinder i job"
    assert draft.cvr == "29188505"  # the bad CVR did not replace the good one
    assert draft.start_date is not None  # nor the impossible date the saved one
    # Each message goes to its field (puljeflow.js marks it there), named by the field's id.
    errors = saved_event(response)["errors"]
    assert set(errors) == {"cvr", "start_date"}
    assert errors["cvr"]["id"] == "id_cvr" and "12345678" in errors["cvr"]["messages"][0]
    assert saved_event(response)["prefix"] == "Fejl:"
    # One status: "Ikke gemt" with a link to each field in error, and no "Gemt 14:32" beside it.
    assert "Ikke gemt." in page and 'href="#id_cvr"' in page and 'href="#id_start_date"' in page
    assert "Gemt " not in page.replace("Ikke gemt", "")
    assert "12345678" not in page  # the message is at the field, not in a box far below


def test_a_field_saved_after_an_error_says_saved_and_names_no_error(client: Any, draft: Application) -> None:
    client.post(f"/applications/{draft.pk}/autosave/", {"cvr": "1"}, **HTMX)
    response = client.post(
        f"/applications/{draft.pk}/autosave/", {"cvr": "29188505"}, HTTP_ACCEPT_LANGUAGE="da", **HTMX
    )
    page = response.content.decode()
    assert saved_event(response)["errors"] == {}
    assert f"Gemt {timezone.localtime():%H:}" in page and "Ikke gemt" not in page


def test_autosave_reads_danish_dates_and_keeps_the_period_ordered(client: Any, draft: Application) -> None:
    client.post(f"/applications/{draft.pk}/autosave/", {"start_date": "01.03.2027", "end_date": "28.02.2029"}, **HTMX)
    draft.refresh_from_db()
    assert (draft.start_date, draft.end_date) == (datetime.date(2027, 3, 1), datetime.date(2029, 2, 28))
    response = client.post(
        f"/applications/{draft.pk}/autosave/", {"start_date": "01.03.2027", "end_date": "01.01.2027"}, **HTMX
    )
    draft.refresh_from_db()
    assert draft.end_date == datetime.date(2029, 2, 28)
    assert 'href="#id_end_date"' in response.content.decode()


def test_autosave_only_touches_what_was_sent(client: Any, draft: Application) -> None:
    client.post(f"/applications/{draft.pk}/autosave/", {"title": "Nyt navn"}, **HTMX)
    draft.refresh_from_db()
    assert draft.title == "Nyt navn"
    assert draft.measures == ["internship", "mentor"] and draft.purpose


def test_the_whole_form_can_clear_measures_and_partners(client: Any, draft: Application) -> None:
    save = f"/applications/{draft.pk}/autosave/?step=effort"
    client.post(save, {"_full_form": "1", "measures": ["igu", "mentor"]}, **HTMX)
    draft.refresh_from_db()
    assert draft.measures == ["igu", "mentor"]  # in the order of SIRI's form
    client.post(save, {"_full_form": "1"}, **HTMX)
    draft.refresh_from_db()
    assert draft.measures == []


def test_a_partner_cannot_be_the_lead(client: Any, draft: Application) -> None:
    response = client.post(
        f"/applications/{draft.pk}/autosave/",
        {"partner_municipalities": [draft.lead_municipality_id]},
        **HTMX,
    )
    assert not draft.partner_municipalities.exists()
    assert "partner_municipalities" in response.content.decode()


def test_autosave_after_submit_says_so_and_changes_nothing(slagelse_applicant: Any, reviewer: Any, client: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    response = client.post(f"/applications/{application.pk}/autosave/", {"title": "Ændret"}, **HTMX)
    application.refresh_from_db()
    assert application.title == "Beskæftigelsesambassadør"
    assert 'role="alert"' in response.content.decode()


def test_autosave_updates_the_step_indicator(client: Any, draft: Application) -> None:
    response = client.post(f"/applications/{draft.pk}/autosave/?step=project", {"purpose": ""}, **HTMX)
    page = response.content.decode()
    assert 'id="step-indicator" hx-swap-oob="true"' in page
    project = re.search(r'href="/applications/\d+/edit/project/".*?</a>', page, re.S).group(0)
    assert "1 thing missing" in project or "1 ting mangler" in project


def test_without_javascript_the_form_saves_and_returns_to_its_step(client: Any, draft: Application) -> None:
    response = client.post(f"/applications/{draft.pk}/autosave/?step=project", {"title": "Uden JS"})
    assert response.status_code == 302 and response.url == f"/applications/{draft.pk}/edit/project/"
    response = client.post(f"/applications/{draft.pk}/autosave/?step=project", {"title": "Videre", "then": "next"})
    assert response.status_code == 302 and response.url == f"/applications/{draft.pk}/edit/effort/"


def test_without_javascript_an_error_comes_back_marked_with_a_summary_linking_to_it(
    client: Any, draft: Application
) -> None:
    page_url, save = f"/applications/{draft.pk}/edit/applicant/", f"/applications/{draft.pk}/autosave/?step=applicant"
    typed = Tab.open(client, page_url, 'id="application-form"', save).type(cvr="1").whole()
    response = client.post(save, typed, HTTP_ACCEPT_LANGUAGE="da")
    page = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="alert alert-error error-summary".*?</div></div>', page, re.S).group(0)
    assert 'data-module="error-summary"' in summary and 'href="#id_cvr"' in summary
    group = re.search(r'<div class="form-group form-error" id="group-id_cvr">.*?</div>', page, re.S).group(0)
    assert 'id="id_cvr_error"' in group and 'aria-invalid="true"' in group
    assert 'aria-describedby="id_cvr_helptext id_cvr_error"' in group
    draft.refresh_from_db()
    assert draft.cvr == "29188505" and draft.grant_responsible_name == "Tilskudsansvarlig"


def test_a_whole_form_that_names_no_step_empties_nothing_it_does_not_hold(client: Any, draft: Application) -> None:
    client.post(f"/applications/{draft.pk}/autosave/", {"_full_form": "1", "title": "Kun titlen"})
    draft.refresh_from_db()
    assert draft.title == "Kun titlen" and draft.purpose and draft.measures


def test_add_update_and_delete_a_target_group(client: Any, draft: Application) -> None:
    response = client.post(
        f"/applications/{draft.pk}/target-groups/",
        {"new-target-groups-name": "mænd over 50", "new-target-groups-size": "20"},
        **HTMX,
    )
    group = TargetGroup.objects.get(application=draft, name="mænd over 50")
    page = response.content.decode()
    assert 'hx-swap-oob="beforeend:#rows-target-groups"' in page
    goals_step = client.get(f"/applications/{draft.pk}/edit/effort/").content.decode()
    assert f'<option value="{group.pk}">20 mænd over 50</option>' in goals_step  # the goal form can pick it
    client.post(
        f"/applications/{draft.pk}/target-groups/{group.pk}/",
        {f"target-groups-{group.pk}-name": "mænd over 50", f"target-groups-{group.pk}-size": "25"},
        **HTMX,
    )
    group.refresh_from_db()
    assert group.size == 25
    client.post(f"/applications/{draft.pk}/target-groups/{group.pk}/delete/", **HTMX)
    assert not TargetGroup.objects.filter(pk=group.pk).exists()


def test_an_invalid_row_is_not_saved_and_says_why(client: Any, draft: Application) -> None:
    group = draft.target_groups.first()
    response = client.post(
        f"/applications/{draft.pk}/target-groups/{group.pk}/",
        {f"target-groups-{group.pk}-name": "", f"target-groups-{group.pk}-size": "-3"},
        **HTMX,
    )
    group.refresh_from_db()
    assert group.size == 35 and group.name
    assert "form-error-message" in response.content.decode()


def test_budget_lines_take_danish_amounts_and_refuse_a_second_line_for_the_same_year(
    client: Any, draft: Application
) -> None:
    year = draft.start_date.year + 1
    data = {
        "new-budget-lines-year": str(year),
        "new-budget-lines-category": "salaries",
        "new-budget-lines-amount": "2.171.981",
        "new-budget-lines-fte": "5",
    }
    response = client.post(f"/applications/{draft.pk}/budget-lines/", data, **HTMX)
    line = BudgetLine.objects.get(application=draft, year=year)
    assert line.amount == Decimal("2171981.00") and line.fte == 5
    assert "3.171.981 kr." in response.content.decode()  # the totals, updated in place
    response = client.post(f"/applications/{draft.pk}/budget-lines/", data, **HTMX)
    assert BudgetLine.objects.filter(application=draft, year=year).count() == 1
    assert "form-error-message" in response.content.decode()


def test_rows_of_another_application_are_404(client: Any, draft: Application, gribskov_applicant: Any) -> None:
    other = make_complete_draft(draft.pool, gribskov_applicant, code="270")
    group = other.target_groups.first()
    response = client.post(
        f"/applications/{draft.pk}/target-groups/{group.pk}/delete/", **HTMX
    )  # the row exists, but not in this application
    assert response.status_code == 404
    assert TargetGroup.objects.filter(pk=group.pk).exists()


def test_approval_needs_date_and_body_when_approved(client: Any, draft: Application) -> None:
    m = draft.lead_municipality_id
    response = client.post(f"/applications/{draft.pk}/approvals/{m}/", {f"approval-{m}-status": "approved"}, **HTMX)
    page = response.content.decode()
    assert page.count("form-error-message") >= 2
    assert not draft.political_approvals.exists()


def test_the_last_approval_after_submit_approves_politically(
    slagelse_applicant: Any, reviewer: Any, client: Any
) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    m = application.lead_municipality_id
    response = client.post(
        f"/applications/{application.pk}/approvals/{m}/",
        {
            f"approval-{m}-status": "approved",
            f"approval-{m}-decided_on": timezone.localdate().strftime("%d.%m.%Y"),
            f"approval-{m}-body": "Byrådet",
        },
        **HTMX,
    )
    application.refresh_from_db()
    assert application.state == State.POLITICALLY_APPROVED
    assert response["HX-Redirect"] == f"/applications/{application.pk}/"


def test_a_committee_member_cannot_record_approval(committee: Any, draft: Application) -> None:
    m = draft.lead_municipality_id
    response = page_client_for(committee).post(
        f"/applications/{draft.pk}/approvals/{m}/", {f"approval-{m}-status": "pending"}
    )
    assert response.status_code == 403


STEP_SECTIONS = {
    "applicant": ("applicant", "responsible"),
    "project": ("project", "target_group", "target-groups"),
    "effort": ("effort", "measures", "goals"),
    "organisation": ("organisation", "anchoring"),
    "budget": ("period", "budget-lines"),
    "approval": ("approvals", "attachments"),
}


@pytest.mark.parametrize(("step", "anchors"), STEP_SECTIONS.items())
def test_each_step_shows_its_sections_of_sirys_form_under_the_step_indicator(
    client: Any, draft: Application, step: str, anchors: tuple[str, ...]
) -> None:
    page = client.get(f"/applications/{draft.pk}/edit/{step}/").content.decode()
    for anchor in anchors:
        assert f'id="{anchor}"' in page
    others = {anchor for other, more in STEP_SECTIONS.items() if other != step for anchor in more}
    assert not any(f'<section id="{anchor}"' in page for anchor in others)
    indicator = re.search(r'<ol class="step-indicator">.*?</ol>', page, re.S).group(0)
    assert indicator.count('class="step"') == 7  # six steps and "Tjek dine svar"
    current = re.search(r'<li class="current">.*?</li>', indicator, re.S).group(0)
    assert f"/edit/{step}/" in current and 'aria-current="step"' in current
    assert 'data-target="modal-step-indicator"' in page and 'id="modal-step-indicator"' in page


def test_the_first_step_is_the_form_and_an_unknown_step_is_404(client: Any, draft: Application) -> None:
    assert 'id="applicant"' in client.get(f"/applications/{draft.pk}/edit/").content.decode()
    assert client.get(f"/applications/{draft.pk}/edit/nowhere/").status_code == 404


def test_fields_needed_to_submit_are_not_marked_optional(client: Any, draft: Application) -> None:
    page = client.get(f"/applications/{draft.pk}/edit/applicant/", HTTP_ACCEPT_LANGUAGE="da").content.decode()

    def label(field: str) -> str:
        return re.search(rf'<label class="form-label" for="id_{field}">(.*?)</label>', page, re.S).group(1)

    assert "(frivilligt)" not in label("cvr") and "(frivilligt)" not in label("grant_responsible_name")
    assert "(frivilligt)" in label("contact_phone") and "(frivilligt)" in label("grant_responsible_phone")
    assert "undtagen dem, der er markeret (frivilligt)" in page


def test_the_pools_guidance_is_shown_above_its_section(client: Any, draft: Application) -> None:
    draft.pool.guidance = {"organisation": "Beskriv den politiske forankring og ledelsen."}
    draft.pool.save(update_fields=["guidance"])
    page = client.get(f"/applications/{draft.pk}/edit/organisation/").content.decode()
    section = re.search(r'<section id="organisation".*?</section>', page, re.S).group(0)
    assert section.index("Beskriv den politiske forankring og ledelsen.") < section.index('id="id_political_anchoring"')
    assert "Beskriv den politiske" not in client.get(f"/applications/{draft.pk}/edit/applicant/").content.decode()


def test_edit_of_a_submitted_application_goes_to_the_read_view(
    slagelse_applicant: Any, reviewer: Any, client: Any
) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    response = client.get(f"/applications/{application.pk}/edit/")
    assert response.status_code == 302 and response.url == f"/applications/{application.pk}/"


def test_without_javascript_a_bad_row_comes_back_with_what_was_typed(client: Any, draft: Application) -> None:
    response = client.post(
        f"/applications/{draft.pk}/target-groups/",
        {"new-target-groups-name": "nyankomne", "new-target-groups-size": "mange"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="nyankomne"' in page and "form-error-message" in page
    assert not TargetGroup.objects.filter(name="nyankomne").exists()


def test_the_form_page_query_count_does_not_grow_with_rows(
    client: Any, draft: Application, django_assert_max_num_queries: Any
) -> None:
    urls = [f"/applications/{draft.pk}/edit/{step}/" for step in ("project", "effort", "budget")]
    few = []
    for url in urls:
        with django_assert_max_num_queries(60) as counted:
            client.get(url)
        few.append(len(counted.captured_queries))
    for n in range(10):
        TargetGroup.objects.create(application=draft, name=f"gruppe {n}", size=n + 1)
        BudgetLine.objects.create(application=draft, year=2030 + n, category="activities", amount=n)
        Goal.objects.create(application=draft, title=f"mål {n}", kind="count", target_value=n)
    for url, count in zip(urls, few, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


# Two editors on one draft (core/autosave.py) ---------------------------------------------------

A_PURPOSE = "Flere kvinder i job: skrevet af Anne i sin fane."
B_PURPOSE = "Flere unge i uddannelse: skrevet af Bo i en fane åbnet før Annes ændring."


def two_tabs(slagelse_applicant: Any, draft: Application) -> tuple[Any, Tab, Any, Tab]:
    """Two sessions of Slagelse's applicant, each with the draft's form open before either saves."""
    anne, bo = page_client_for(slagelse_applicant), page_client_for(slagelse_applicant)
    edit, save = f"/applications/{draft.pk}/edit/project/", f"/applications/{draft.pk}/autosave/?step=project"
    return (
        anne,
        Tab.open(anne, edit, 'id="application-form"', save),
        bo,
        Tab.open(bo, edit, 'id="application-form"', save),
    )


def conflict_buttons(html: str) -> dict[str, dict[str, str]]:
    """The "Keep my text" buttons of the conflicts shown: field → its data attributes."""
    found = {}
    for match in re.finditer(r"<button[^>]*data-autosave-keep=\"([^\"]+)\"[^>]*>", html):
        attributes = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', match.group(0)))
        found[match.group(1)] = attributes
    return found


def test_the_page_sends_only_what_changed_with_the_value_it_started_from(
    slagelse_applicant: Any, draft: Application
) -> None:
    _anne, tab, _bo, _other = two_tabs(slagelse_applicant, draft)
    assert set(tab.bases) == {"title", "purpose", "target_group_description", "target_group_total"}
    tab.type(purpose=A_PURPOSE)
    assert tab.body()["_fields"] == ["purpose"] and set(tab.body()) == {"_fields", "purpose", "_base_purpose"}


@pytest.mark.parametrize("how", ["script", "without javascript"])
def test_two_editors_changing_different_fields_both_keep_their_change(
    slagelse_applicant: Any, draft: Application, how: str
) -> None:
    anne, anne_tab, bo, bo_tab = two_tabs(slagelse_applicant, draft)
    anne_tab.type(purpose=A_PURPOSE).save(anne)
    bo_tab.type(title="Ambassadør for unge", target_group_total="400")
    if how == "script":
        response = bo_tab.save(bo)
        assert response.status_code == 200 and not bo_tab.conflicts
    else:  # the whole form of the stale page, as loaded except what Bo typed
        response = bo.post(f"/applications/{draft.pk}/autosave/?step=project", bo_tab.whole())
        assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose == A_PURPOSE  # not put back to what Bo's page loaded
    assert draft.title == "Ambassadør for unge" and draft.target_group_total == 400


def test_two_editors_changing_the_same_field_the_second_is_told_and_nothing_is_lost(
    slagelse_applicant: Any, draft: Application
) -> None:
    anne, anne_tab, bo, bo_tab = two_tabs(slagelse_applicant, draft)
    anne_tab.type(purpose=A_PURPOSE).save(anne)
    bo_tab.type(purpose=B_PURPOSE, title="Ambassadør for unge")
    response = bo_tab.save(bo)

    draft.refresh_from_db()
    assert draft.purpose == A_PURPOSE and draft.title == "Ambassadør for unge"
    assert bo_tab.conflicts == ["purpose"]
    page = response.content.decode()
    assert "data-autosave-conflict" in page and A_PURPOSE in page  # the conflict, with her text
    # Bo's text stays his: the field is not saved, so the next save sends it again and is told again.
    assert bo_tab.changed() == ["purpose"]
    assert bo_tab.save(bo).status_code == 200 and bo_tab.conflicts == ["purpose"]
    draft.refresh_from_db()
    assert draft.purpose == A_PURPOSE

    # "Keep my text": the stored value's token as the base, and the same text sent again.
    keep = conflict_buttons(page)["purpose"]
    assert keep["data-autosave-form"] == "application-form"
    bo_tab.bases["purpose"] = keep["data-base"]
    bo_tab.save(bo)
    draft.refresh_from_db()
    assert draft.purpose == B_PURPOSE and not bo_tab.conflicts and not bo_tab.changed()


def test_without_javascript_a_conflict_shows_both_texts_and_saving_again_keeps_mine(
    slagelse_applicant: Any, draft: Application
) -> None:
    anne, anne_tab, bo, bo_tab = two_tabs(slagelse_applicant, draft)
    anne_tab.type(purpose=A_PURPOSE).save(anne)
    response = bo.post(f"/applications/{draft.pk}/autosave/?step=project", bo_tab.type(purpose=B_PURPOSE).whole())

    assert response.status_code == 400
    page = response.content.decode()
    assert B_PURPOSE in page and A_PURPOSE in page  # his text in the field, hers in the message
    draft.refresh_from_db()
    assert draft.purpose == A_PURPOSE
    again = Tab.open(bo, f"/applications/{draft.pk}/edit/project/", 'id="application-form"')
    shown = read_form(page, 'id="application-form"')
    assert shown["_base_purpose"] == [again.bases["purpose"]]  # the page now starts from hers
    bo.post(f"/applications/{draft.pk}/autosave/?step=project", shown)
    draft.refresh_from_db()
    assert draft.purpose == B_PURPOSE


def test_a_post_without_bases_still_writes_what_it_sends(slagelse_applicant: Any, draft: Application) -> None:
    """An older page, or a script, that sends no `_base_`: last writer wins, but only what it sent."""
    client = page_client_for(slagelse_applicant)
    client.post(f"/applications/{draft.pk}/autosave/", {"_fields": ["purpose"], "purpose": A_PURPOSE}, **HTMX)
    draft.refresh_from_db()
    assert draft.purpose == A_PURPOSE and draft.title == "Beskæftigelsesambassadør"


def test_two_editors_of_different_rows_and_of_one_row(slagelse_applicant: Any, draft: Application) -> None:
    women, youths = draft.target_groups.order_by("id")
    edit = f"/applications/{draft.pk}/edit/project/"

    def row_tab(client: Any, group: TargetGroup) -> Tab:
        url = f"/applications/{draft.pk}/target-groups/{group.pk}/"
        return Tab.open(client, edit, f'action="{url}"', url)

    anne, bo = page_client_for(slagelse_applicant), page_client_for(slagelse_applicant)
    anne_women, anne_youths, bo_women, bo_youths = (
        row_tab(anne, women),
        row_tab(anne, youths),
        row_tab(bo, women),
        row_tab(bo, youths),
    )

    # Different rows: each keeps its change.
    anne_women.type(**{f"target-groups-{women.pk}-size": "40"}).save(anne)
    bo_youths.type(**{f"target-groups-{youths.pk}-size": "18"}).save(bo)
    women.refresh_from_db()
    youths.refresh_from_db()
    assert (women.size, youths.size) == (40, 18)

    # One row, different fields: both kept, also when the whole row is posted.
    bo.post(
        f"/applications/{draft.pk}/target-groups/{women.pk}/",
        bo_women.type(**{f"target-groups-{women.pk}-name": "kvinder på kontanthjælp"}).whole(),
        **HTMX,
    )
    women.refresh_from_db()
    assert (women.name, women.size) == ("kvinder på kontanthjælp", 40)

    # One row, one field: the second writer is told, the first writer's value stays.
    response = anne_youths.type(**{f"target-groups-{youths.pk}-size": "12"}).save(anne)
    youths.refresh_from_db()
    assert youths.size == 18
    assert anne_youths.conflicts == [f"target-groups-{youths.pk}-size"]
    assert "data-autosave-conflict" in response.content.decode()


def test_a_row_saved_with_one_field_changed_keeps_the_others_as_stored(
    slagelse_applicant: Any, draft: Application
) -> None:
    """The fields a tab did not send are read back as the page shows them (Danish numbers, a
    chosen target group, a ticked box), so they keep their stored values."""
    goal, line = draft.goals.get(), draft.budget_lines.get()
    goal.baseline = Decimal("12.5")
    goal.save()
    edit = f"/applications/{draft.pk}/edit/"
    client = page_client_for(slagelse_applicant)
    goal_url = f"/applications/{draft.pk}/goals/{goal.pk}/"
    line_url = f"/applications/{draft.pk}/budget-lines/{line.pk}/"
    goal_tab = Tab.open(client, f"{edit}effort/", f'action="{goal_url}"', goal_url)
    line_tab = Tab.open(client, f"{edit}budget/", f'action="{line_url}"', line_url)

    goal_tab.type(**{f"goals-{goal.pk}-title": "Kvinder i ordinært job"}).save(client)
    line_tab.type(**{f"budget-lines-{line.pk}-fte": "1,5"}).save(client)
    goal.refresh_from_db()
    line.refresh_from_db()
    assert goal.title == "Kvinder i ordinært job"
    assert (goal.target_value, goal.baseline, goal.cumulative) == (Decimal(35), Decimal("12.5"), True)
    assert goal.target_group.name == "aktivitetsparate kvinder"
    assert (line.amount, line.fte, line.category) == (Decimal("1000000.00"), Decimal("1.5"), "salaries")
    assert not goal_tab.changed() and not line_tab.changed()


def test_the_goal_form_says_why_a_percentage_cannot_add_up(client: Any, draft: Application) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    typed = {
        "new-goals-title": "Gennemsnitlig fremmødeprocent",
        "new-goals-kind": "percentage",
        "new-goals-target_value": "70",
        "new-goals-cumulative": "on",
        "new-goals-ramp_quarters": "2",
    }
    refused = client.post(f"/applications/{draft.pk}/goals/", typed)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "it cannot be cumulative" in page and "Only a level goal ramps up" in page
    assert not Goal.objects.filter(application=draft, kind="percentage").exists()

    level = {key: value for key, value in typed.items() if key != "new-goals-cumulative"}
    saved = client.post(f"/applications/{draft.pk}/goals/", level | {"new-goals-cohort_months": ""})
    assert saved.status_code == 302
    goal = Goal.objects.get(application=draft, kind="percentage")
    assert (goal.cumulative, goal.ramp_quarters, goal.cohort_months) == (False, 2, None)
    detail = client.get(f"/applications/{draft.pk}/").content.decode()
    assert "Level held at a point in time, reached after a ramp-up of 2 quarters" in detail


def test_the_save_made_as_a_page_is_left_while_a_save_is_under_way_is_not_refused(
    slagelse_applicant: Any, draft: Application
) -> None:
    """The last save as the tab is left goes with the base of before the save still under way
    (its answer has not come): it names that save's values as pending, and the stored value,
    being the tab's own, is no conflict. Without them, or when someone else wrote in between, it is."""
    anne, tab, bo, bo_tab = two_tabs(slagelse_applicant, draft)
    first = "Flere kvinder i job"
    tab.type(purpose=first)
    under_way = tab.body()
    anne.post(tab.url, under_way, HTTP_HX_REQUEST="true")  # stored; the tab has not seen the answer
    tab.type(purpose=first + ", og flere unge i uddannelse.")
    leaving = tab.body()  # the old base still

    refused = anne.post(tab.url, leaving, HTTP_HX_REQUEST="true")
    assert json.loads(refused.headers["HX-Trigger"])["puljeflow:saved"]["conflicts"] == ["purpose"]
    draft.refresh_from_db()
    assert draft.purpose == first

    leaving |= {"_pending_fields": ["purpose"], "_pending_purpose": under_way["purpose"]}
    taken = anne.post(tab.url, leaving, HTTP_HX_REQUEST="true")
    assert json.loads(taken.headers["HX-Trigger"])["puljeflow:saved"]["conflicts"] == []
    draft.refresh_from_db()
    assert draft.purpose == first + ", og flere unge i uddannelse."

    # Bo's tab claims Anne's text as its own pending save: his base is older still, and what is
    # stored is not what he says he sent, so it stays a conflict.
    bo_tab.type(purpose=B_PURPOSE)
    claim = bo_tab.body() | {"_pending_fields": ["purpose"], "_pending_purpose": ["Noget andet."]}
    answer = bo.post(bo_tab.url, claim, HTTP_HX_REQUEST="true")
    assert json.loads(answer.headers["HX-Trigger"])["puljeflow:saved"]["conflicts"] == ["purpose"]
