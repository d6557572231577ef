"""Two editors on one draft, in two browsers: the page's script sends only what each changed, a
field both changed keeps the first writer's text and shows it to the second, whose own text stays
in the field until "Keep my text" saves it (or "Use the saved text" takes the other's); and text
typed just before leaving the page is sent when the page is hidden (puljeflow.js,
core/autosave.py)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application
from tests.conftest import make_complete_draft, make_pool

from .conftest import Browsing, label, loose, named, shot, t

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = r"\d{1,2}[:.]\d{2}"
ANNE = "Flere kvinder i job: skrevet af Anne."
BO = "Flere unge i uddannelse: skrevet af Bo i sin fane."


def purpose(page: Page) -> Any:
    return page.locator("section#project").get_by_label(named(label("da", Application, "purpose")))


def title(page: Page) -> Any:
    return page.locator("section#project").get_by_label(named(label("da", Application, "title")))


def saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_contain_text(loose("da", "Saved %(time)s", time=SAVED))


def stored(pk: int) -> Application:
    return Application.objects.get(pk=pk)


def eventually(page: Page, check: Any) -> None:
    """Wait (up to 5 s) until `check()` holds: the save happens in the live server's thread."""
    for _ in range(50):
        if check():
            return
        page.wait_for_timeout(100)
    assert check()


def test_two_editors_keep_each_others_text(browse: Browsing, slagelse_applicant: Any) -> None:
    draft = make_complete_draft(make_pool(), slagelse_applicant)
    edit = f"/applications/{draft.pk}/edit/project/"  # the step with the title and the purpose
    anne, bo = browse.page("slagelse"), browse.page("slagelse")
    anne.goto(edit)
    bo.goto(edit)

    purpose(anne).fill(ANNE)
    saved(anne)
    eventually(anne, lambda: stored(draft.pk).purpose == ANNE)

    # Bo's page still shows the old purpose; he changes the title only: Anne's text stays.
    title(bo).fill("Ambassadør for unge")
    saved(bo)
    eventually(bo, lambda: stored(draft.pk).title == "Ambassadør for unge")
    assert stored(draft.pk).purpose == ANNE

    # Now Bo changes the purpose too: he is told, with Anne's text, and his own stays in the field.
    purpose(bo).fill(BO)
    notice = bo.locator("[data-autosave-conflict]")  # beside the field, not in the save status
    expect(notice).to_contain_text(ANNE)
    expect(purpose(bo)).to_have_value(BO)
    assert stored(draft.pk).purpose == ANNE
    shot(bo, "two-editors-conflict")

    notice.get_by_role("button", name=named(t("da", "Keep my text"))).first.click()
    expect(notice).to_have_count(0)
    eventually(bo, lambda: stored(draft.pk).purpose == BO)
    assert stored(draft.pk).title == "Ambassadør for unge"

    # Anne's tab still started from her own purpose: her next change to it is a conflict too, and
    # "Use the saved text" puts Bo's text in her field; after that her tab is in step again.
    purpose(anne).fill(ANNE + " Og lidt til.")
    expect(anne.locator("[data-autosave-conflict]")).to_contain_text(BO)
    anne.locator("[data-autosave-conflict]").get_by_role(
        "button", name=named(t("da", "Use the saved text"))
    ).first.click()
    expect(purpose(anne)).to_have_value(BO)
    described = anne.locator("section#target_group").get_by_label(
        named(label("da", Application, "target_group_description"))
    )
    described.fill("Kvinder langt fra arbejdsmarkedet.")
    eventually(anne, lambda: stored(draft.pk).target_group_description == "Kvinder langt fra arbejdsmarkedet.")
    expect(anne.locator("[data-autosave-conflict]")).to_have_count(0)
    assert stored(draft.pk).purpose == BO


def test_text_typed_just_before_leaving_is_saved(browse: Browsing, slagelse_applicant: Any) -> None:
    draft = make_complete_draft(make_pool(), slagelse_applicant)
    page = browse.page("slagelse")
    page.goto(f"/applications/{draft.pk}/edit/project/")
    purpose(page).fill(ANNE)
    page.goto("/applications/")  # before the 800 ms pause after typing has passed
    eventually(page, lambda: stored(draft.pk).purpose == ANNE)
    assert stored(draft.pk).title == "Beskæftigelsesambassadør"  # only what changed was sent
