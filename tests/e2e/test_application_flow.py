"""The whole way of an application, as its users click it: Slagelse's applicant writes the
application from scratch (seed 003), step by step, the draft survives a reload (autosave), political
approval is recorded, the answers are checked and the grant-responsible person's declaration
given, it is submitted and gets a journal number; Gribskov cannot reach it; SIRI's reviewer
scores every criterion and grants it through the confirmation page. Once in Danish (the default)
and once in English, switched in the header."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from applications.data.municipalities import MUNICIPALITIES
from applications.models import (
    Application,
    ApprovalStatus,
    BudgetCategory,
    BudgetLine,
    Goal,
    GoalKind,
    Measure,
    Pool,
    Recommendation,
    State,
    TargetGroup,
)
from core.money import format_dkk
from tests.conftest import make_pool
from tests.pdf_samples import reportlab_pdf

from .conftest import Browsing, choice, label, loose, named, shot, t

pytestmark = pytest.mark.django_db(transaction=True)

SLAGELSE = next(name for code, name, _region in MUNICIPALITIES if code == "330")
SAVED = r"\d{1,2}[:.]\d{2}"
YEARLY = "2.171.981"  # Slagelse's integration job unit: 2.171.981 kr. a year (seed 004)
GRANTED = Decimal("4000000")
TINY_PDF = reportlab_pdf(pages=1)  # a real PDF: the upload reads it through

TEXTS = {
    "applicant_unit": "Integration og Netværk, Center for Arbejdsmarked og Integration",
    "applicant_address": "Center for Arbejdsmarked og Integration, Slagelse Kommune\nKalundborgvej 59\n4200 Slagelse",
    "contact_name": "Helle Sofie Dedenroth Larsen",
    "contact_email": "Hesla@slagelse.dk",
    "grant_responsible_name": "Jens Højlund",
    "grant_responsible_title": "Arbejdsmarkedschef",
    "grant_responsible_email": "jenhj@slagelse.dk",
    "grant_responsible_phone": "58579410",
    "purpose": "Slagelse Kommunes formål med projektet er at opnå en højere beskæftigelsesgrad for målgruppen.",
    "target_group_description": "Flygtninge og familiesammenførte, primært kvinder langt fra arbejdsmarkedet.",
    "current_effort": "Slagelse Kommunes strategi har været at få så mange jobparate i arbejde som muligt.",
    "approach": "Individuelle tværfaglige indsatser i tæt samarbejde med virksomheden og den samlede familie.",
    "objectives": "At få 35 kvinder under integrationsprogram i målgruppen aktivitetsparate i beskæftigelse.",
    "methods": "Den kognitive metode; progressionsværktøj til at måle progression hos den enkelte.",
    "political_anchoring": "Projektet bliver politisk godkendt.",
    "management": "Arbejdsmarkedschef er projektejer. Ambassadør er projektleder.",
    "cross_sector_ownership": "Invitation til workshop på tværs af organisationen og andre interessenter.",
    "continuation": "Projektet implementeres efterfølgende i den daglige drift.",
    "committee_briefing": "Orientering kvartalsvis til fagligt udvalg.",
    "anchoring": "Projektet implementeres efterfølgende i den daglige drift.",
}
TITLE = "Beskæftigelsesambassadør"
MEASURES = [Measure.INTERNSHIP, Measure.WAGE_SUBSIDY, Measure.MENTOR, Measure.LANGUAGE_BUDDY]
# Step of the form → its sections (their anchors) → the fields typed into them.
STEPS = {
    "applicant": {
        "applicant": ["applicant_unit", "applicant_address", "contact_name", "contact_email"],
        "responsible": [
            "grant_responsible_name",
            "grant_responsible_title",
            "grant_responsible_email",
            "grant_responsible_phone",
        ],
    },
    "project": {"project": ["purpose"], "target_group": ["target_group_description"]},
    "effort": {"effort": ["current_effort", "approach", "objectives"], "measures": ["methods"]},
    "organisation": {
        "organisation": [
            "political_anchoring",
            "management",
            "cross_sector_ownership",
            "continuation",
            "committee_briefing",
        ],
        "anchoring": ["anchoring"],
    },
}


@pytest.fixture
def ambassador_pool(transactional_db: None) -> Pool:
    # Big enough for two years of 2.171.981 kr.
    return make_pool(max_grant=Decimal("9000000.00"), total_budget=Decimal("20000000.00"))


def field(page: Page, section: str, lang: str, name: str):
    """A field of the application form by its label, within its section."""
    return page.locator(f"section#{section}").get_by_label(named(label(lang, Application, name)))


def wait_saved(page: Page, lang: str) -> None:
    """Saved, and no save still under way or queued behind it: the status shows the time of the
    first answer while htmx sends the next (three boxes ticked quickly are up to three saves)."""
    expect(page.locator("#save-status")).to_contain_text(loose(lang, "Saved %(time)s", time=SAVED))
    expect(page.locator("form[data-autosave].htmx-request")).to_have_count(0)


def add_row(page: Page, kind: str, lang: str, button: str, values: dict[str, str]) -> None:
    """Fill the "Add …" form of a kind of row (target-groups, goals, budget-lines) and add it."""
    rows = page.locator(f"#rows-{kind} form.row-form")
    before = rows.count()
    form = page.locator(f"#new-{kind}")
    for field_label, value in values.items():
        control = form.get_by_label(named(field_label))
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    form.get_by_role("button", name=t(lang, button), exact=True).click()
    expect(rows).to_have_count(before + 1)


def go_to_step(page: Page, pk: int, step: str) -> None:
    page.goto(f"/applications/{pk}/edit/{step}/")
    current = page.locator("ol.step-indicator li.current a").first
    expect(current).to_have_attribute("href", f"/applications/{pk}/edit/{step}/")


def fill_application(page: Page, lang: str, pk: int, start: datetime.date, end: datetime.date) -> None:
    """Every step's fields typed, each step saved by itself before the next is opened."""
    go_to_step(page, pk, "applicant")
    cvr = field(page, "applicant", lang, "cvr")
    cvr.fill("")
    cvr.press_sequentially("29188505")
    for step, sections in STEPS.items():
        if step != "applicant":
            go_to_step(page, pk, step)
        if step == "project":
            field(page, "project", lang, "title").press_sequentially(TITLE)
        for section, names in sections.items():
            for name in names:
                field(page, section, lang, name).fill(TEXTS[name])
        if step == "effort":
            measures = page.locator("section#measures")
            for measure in MEASURES:
                measures.get_by_label(choice(lang, measure), exact=True).check()
        wait_saved(page, lang)
    go_to_step(page, pk, "budget")
    field(page, "period", lang, "start_date").fill(start.strftime("%d.%m.%Y"))
    field(page, "period", lang, "end_date").fill(end.strftime("%d.%m.%Y"))
    field(page, "period", lang, "end_date").press("Tab")  # leave the field: a change event
    wait_saved(page, lang)


def add_rows(page: Page, lang: str, pk: int, start: datetime.date) -> None:
    women = "aktivitetsparate kvinder"
    go_to_step(page, pk, "project")
    add_row(
        page,
        "target-groups",
        lang,
        "Add target group",
        {
            label(lang, TargetGroup, "name"): women,
            label(lang, TargetGroup, "size"): "35",
            label(lang, TargetGroup, "description"): "Kvinder langt fra arbejdsmarkedet under integrationsprogram.",
        },
    )
    add_row(
        page,
        "target-groups",
        lang,
        "Add target group",
        {label(lang, TargetGroup, "name"): "unge under 18 år", label(lang, TargetGroup, "size"): "15"},
    )
    go_to_step(page, pk, "effort")
    add_row(
        page,
        "goals",
        lang,
        "Add goal",
        {
            label(lang, Goal, "title"): "Kvinder i beskæftigelse",
            label(lang, Goal, "kind"): choice(lang, GoalKind.COUNT),
            label(lang, Goal, "target_value"): "35",
            label(lang, Goal, "baseline"): "0",
            label(lang, Goal, "unit"): "personer",
            label(lang, Goal, "target_group"): f"35 {women}",
        },
    )
    go_to_step(page, pk, "budget")
    for year in (start.year, start.year + 1):
        add_row(
            page,
            "budget-lines",
            lang,
            "Add budget line",
            {
                label(lang, BudgetLine, "year"): str(year),
                label(lang, BudgetLine, "category"): choice(lang, BudgetCategory.SALARIES),
                t(lang, "Amount (DKK)"): YEARLY,
                label(lang, BudgetLine, "fte"): "5",
            },
        )
    total = format_dkk(Decimal("4343962")).removesuffix(" kr.")
    expect(page.locator("#budget-totals")).to_contain_text(total)


def assert_saved_after_reload(page: Page, lang: str, pk: int, start: datetime.date) -> None:
    """Each step opened anew shows what was typed on it; the step indicator has nothing missing."""
    for step, sections in STEPS.items():
        go_to_step(page, pk, step)
        for section, names in sections.items():
            for name in names:
                expect(field(page, section, lang, name)).to_have_value(TEXTS[name])
    go_to_step(page, pk, "applicant")
    expect(field(page, "applicant", lang, "cvr")).to_have_value("29188505")
    go_to_step(page, pk, "project")
    expect(field(page, "project", lang, "title")).to_have_value(TITLE)
    groups = page.locator("#rows-target-groups")
    names = groups.get_by_label(named(label(lang, TargetGroup, "name")))
    expect(names).to_have_count(2)
    expect(names.nth(0)).to_have_value("aktivitetsparate kvinder")
    expect(names.nth(1)).to_have_value("unge under 18 år")
    expect(groups.get_by_label(named(label(lang, TargetGroup, "size"))).nth(0)).to_have_value("35")
    go_to_step(page, pk, "effort")
    for measure in MEASURES:
        expect(page.locator("section#measures").get_by_label(choice(lang, measure), exact=True)).to_be_checked()
    expect(page.locator("#rows-goals").get_by_label(named(label(lang, Goal, "title")))).to_have_value(
        "Kvinder i beskæftigelse"
    )
    go_to_step(page, pk, "budget")
    expect(field(page, "period", lang, "start_date")).to_have_value(start.strftime("%d.%m.%Y"))
    amounts = page.locator("#rows-budget-lines").get_by_label(named(t(lang, "Amount (DKK)")))
    expect(amounts).to_have_count(2)
    expect(amounts.nth(0)).to_have_value(YEARLY)


def record_approval(page: Page, lang: str, pk: int) -> None:
    go_to_step(page, pk, "approval")
    today = timezone.localdate().strftime("%d.%m.%Y")
    card = page.locator("#approvals .card").filter(has=page.get_by_role("heading", name=SLAGELSE))
    card.get_by_label(choice(lang, ApprovalStatus.APPROVED), exact=True).check()
    card.get_by_label(named(t(lang, "Date of the decision"))).fill(today)
    card.get_by_label(named(t(lang, "Political body"))).fill("Byrådet")
    card.get_by_role("button", name=t(lang, "Record the approval of %(name)s", name=SLAGELSE)).click()
    expect(page.locator("#approvals")).to_contain_text(
        t(lang, "Approved by %(body)s on %(day)s.", body="Byrådet", day=today)
    )


def upload_attachment(page: Page, lang: str) -> None:
    section = page.locator("section#attachments")
    section.get_by_label(named(t(lang, "File"))).set_input_files(
        {"name": "budget.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
    )
    section.get_by_label(named(t(lang, "Description"))).fill("Budget")
    section.get_by_role("button", name=t(lang, "Upload attachment")).click()
    expect(page.locator("section#attachments").get_by_role("link", name="budget.pdf")).to_be_visible()


def score_and_grant(page: Page, lang: str, prefix: str, journal: str) -> None:
    # The reviewer lands on the inbox, where the application waits; then to the review queue.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Inbox"))
    expect(page.get_by_role("main")).to_contain_text(journal)
    page.get_by_role("navigation", name=t(lang, "Main menu")).get_by_role("link", name=t(lang, "Review queue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Review queue"))
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text(journal)
    shot(page, f"{prefix}-10-reviewer-detail")

    page.get_by_role("main").get_by_role("link", name=t(lang, "Score"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/score/$"))
    for criterion, score in (("Mål", "4"), ("Organisering", "3")):
        page.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
        # A score is given with its reason, which a rejection letter would quote.
        reason = t(lang, "Reason for the score of “%(criterion)s”", criterion=criterion)
        page.get_by_label(named(reason)).fill(f"{criterion}: konkret og velbegrundet.")
    page.get_by_role("group", name=t(lang, "Your recommendation")).get_by_label(
        choice(lang, Recommendation.GRANT), exact=True
    ).check()
    page.get_by_label(named(t(lang, "Amount you recommend granting (kr.)"))).fill("4.000.000")
    page.get_by_label(named(t(lang, "Comment"))).fill("Ambitiøse og konkrete mål.")
    expect(page.locator("#score-total")).to_contain_text(
        loose(lang, "Weighted total: %(total)s of 5", total=r"3[.,]75")
    )
    shot(page, f"{prefix}-11-score")
    page.get_by_role("button", name=t(lang, "Save your review")).click()
    expect(page.get_by_role("status").filter(has_text=t(lang, "Your review has been saved."))).to_be_visible()

    page.get_by_role("link", name=t(lang, "Read the application")).click()
    page.get_by_role("main").get_by_role("link", name=t(lang, "Grant"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Grant the application"))
    amount = page.get_by_label(named(t(lang, "Amount to grant (kr.)")))
    amount.fill("4.000.000")
    page.get_by_label(named(t(lang, "Conditions of the grant"))).fill("Kvartalsvis afrapportering til SIRI.")
    shot(page, f"{prefix}-12-grant-form")
    page.get_by_role("button", name=t(lang, "Continue")).click()

    expect(page.get_by_role("heading", name=t(lang, "Confirm the decision"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(format_dkk(GRANTED))
    shot(page, f"{prefix}-13-grant-confirmation")
    page.get_by_role("button", name=t(lang, "Yes, grant")).click()

    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("status").filter(has_text=format_dkk(GRANTED))).to_be_visible()
    expect(main.locator("dl").first).to_contain_text(choice(lang, State.GRANTED))
    expect(main.locator("dl").first).to_contain_text(format_dkk(GRANTED))
    shot(page, f"{prefix}-14-granted")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_slagelse_applies_and_siri_grants(
    lang: str,
    browse: Browsing,
    ambassador_pool: Pool,
    slagelse_applicant: object,
    gribskov_applicant: object,
    reviewer: object,
    settings: object,
    tmp_path: object,
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    prefix = f"flow-{lang}"
    start = ambassador_pool.project_start_earliest
    end = datetime.date(start.year + 1, 12, 31)

    # The applicant lands on the inbox, goes to "My applications" and starts from the open pool's card.
    page = browse.page("slagelse", lang)
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    page.get_by_role("navigation", name=t(lang, "Main menu")).get_by_role(
        "link", name=t(lang, "My applications")
    ).click()
    expect(page).to_have_url(re.compile(r"/applications/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "My applications"))
    shot(page, f"{prefix}-01-my-applications")
    page.get_by_role("button", name=t(lang, "Start an application to %(name)s", name=ambassador_pool.name)).click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    pk = int(re.search(r"/applications/(\d+)/edit/", page.url).group(1))  # type: ignore[union-attr]
    expect(page.locator("ol.step-indicator").first).to_be_attached()
    shot(page, f"{prefix}-02-form-empty")

    # Every step typed, the rows added, all saved by itself.
    fill_application(page, lang, pk, start, end)
    add_rows(page, lang, pk, start)
    shot(page, f"{prefix}-03-form-filled")

    # What was typed is still there when each step is opened again.
    assert_saved_after_reload(page, lang, pk, start)
    shot(page, f"{prefix}-04-form-reloaded")

    record_approval(page, lang, pk)
    upload_attachment(page, lang)
    shot(page, f"{prefix}-05-approval-and-attachment")

    # "Check your answers": nothing missing; without the declaration nothing is submitted.
    steps = page.get_by_role("navigation", name=t(lang, "Previous and next step"))
    steps.get_by_role("link", name=t(lang, "Check your answers")).click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/submit/$"))
    expect(page.get_by_role("main")).to_contain_text(
        t(lang, "Everything SIRI's form asks for is filled in. The application is ready to be submitted.")
    )
    expect(page.get_by_label(named(t(lang, "Name of the grant-responsible person")))).to_have_value("Jens Højlund")
    shot(page, f"{prefix}-06-submit")
    page.get_by_role("button", name=t(lang, "Submit to SIRI")).click()
    expect(page.locator("#error-summary-heading")).to_be_visible()
    page.get_by_label(t(lang, "Yes, I confirm the declaration")).check()
    page.get_by_role("button", name=t(lang, "Submit to SIRI")).click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/receipt/$"))
    journal_number = page.locator("#journal-number")
    expect(journal_number).to_have_text(re.compile(rf"^{timezone.localdate().year}-\d{{4}}$"))
    journal = journal_number.inner_text()
    shot(page, f"{prefix}-07-receipt")

    # Gribskov cannot reach Slagelse's application, not even by its address.
    other = browse.page("gribskov", lang)
    for number, path in enumerate((f"/applications/{pk}/", f"/applications/{pk}/edit/")):
        response = other.goto(path)
        assert response is not None
        assert response.status == 404, f"Gribskov got {response.status} for {path}"
        shot(other, f"{prefix}-08-gribskov-404-{number}")
    other.goto("/applications/")
    expect(other.get_by_role("main")).not_to_contain_text(TITLE)
    shot(other, f"{prefix}-09-gribskov-my-applications")

    # SIRI's reviewer scores every criterion and grants through the confirmation page.
    desk = browse.page("reviewer", lang)
    score_and_grant(desk, lang, prefix, journal)

    # The applicant sees the grant.
    page.goto("/applications/")
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(choice(lang, State.GRANTED))
    expect(row).to_contain_text(journal)
    shot(page, f"{prefix}-15-applicant-sees-grant")
