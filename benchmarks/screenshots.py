"""Screenshots of the demo's main pages at 375 and 1280 px (docs/screenshots/README.md).

Run against a server with the demo loaded (`make demo`, then `manage.py runserver`):

    .venv/bin/python benchmarks/screenshots.py --base-url http://127.0.0.1:8124 --out docs/screenshots

Only HTTP and a browser: it logs in through the login form as the demo's users, as a person
would, and needs no Django settings. It prints, per page and width, whether the page scrolls
sideways (it must not, issue 15). It starts a draft application for Slagelse if there is none
(the form with an error needs one); invalid values are never saved, so rerunning changes nothing.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

PASSWORD = "puljeflow-demo"  # noqa: S105 -- every demo login's password (manage.py demo_logins)
WIDTHS = (375, 1280)
MAX_HEIGHT = 4000  # a full page taller than this is clipped: the top is what the shot is about
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def draft_pk(page: Page) -> int:
    """Slagelse's first draft, started from the open pool's card when there is none."""
    page.goto("/applications/")
    draft = page.locator("main table tr").filter(has_text="Kladde").locator("a").first
    if draft.count():
        return int(re.search(r"/applications/(\d+)/", draft.get_attribute("href") or "").group(1))  # type: ignore[union-attr]
    page.get_by_role("button", name=re.compile(r"^Start en ansøgning")).first.click()
    page.wait_for_url(re.compile(r"/applications/\d+/edit/$"))
    return int(re.search(r"/applications/(\d+)/", page.url).group(1))  # type: ignore[union-attr]


def form_with_errors(pk: int) -> Callable[[Page], None]:
    """The first step with a CVR number and an e-mail address that are not valid, left by Tab:
    the autosave refuses both, marks the fields and says so in the save status."""

    def act(page: Page) -> None:
        page.goto(f"/applications/{pk}/edit/")
        page.fill("#id_cvr", "123")
        page.fill("#id_contact_email", "ikke-en-mail")
        page.locator("#id_contact_email").press("Tab")
        expect(page.locator("#save-status")).to_contain_text("Ikke gemt")

    return act


def submit_with_errors(pk: int) -> Callable[[Page], None]:
    """ "Tjek dine svar" of an incomplete draft, submitted without the declaration: the error summary."""

    def act(page: Page) -> None:
        page.goto(f"/applications/{pk}/submit/")
        page.get_by_role("button", name="Indsend til SIRI").click()
        expect(page.locator("#error-summary-heading")).to_be_visible()

    return act


def visit(path: str) -> Callable[[Page], None]:
    return lambda page: page.goto(path) and None


def shoot(
    browser: Browser, base_url: str, out: Path, name: str, user: str, act: Callable[[Page], None], max_height: int
) -> None:
    for width in WIDTHS:
        context = browser.new_context(
            base_url=base_url,
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
            viewport={"width": width, "height": 900},
        )
        page = context.new_page()
        log_in(page, user)
        act(page)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        height = page.evaluate("document.documentElement.scrollHeight")
        path = out / f"{name}-{width}.png"
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, max_height)}
        page.screenshot(path=str(path), full_page=True, clip=clip)
        # The body hides what overflows it: content wider than the screen is cut off, not scrolled to.
        sideways = "WIDER THAN THE SCREEN" if scroll > width else "fits the width"
        clipped = f", clipped from {height} px" if height > max_height else ""
        print(f"{path.name}: {page.url} as {user}; {sideways} ({scroll} px wide){clipped}")
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Debian's chromium, not Playwright's download")
    parser.add_argument("--pool", type=int, default=2, help="the pool whose dashboard is shot (the demo's busiest)")
    parser.add_argument("--slagelse-project", type=int, default=1, help="Integrations Jobenheden's grant")
    parser.add_argument("--gribskov-project", type=int, default=2, help="Projekt 44 point = arbejde's grant")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=args.base_url, locale="da-DK")
        page = context.new_page()
        log_in(page, "slagelse")
        pk = draft_pk(page)
        context.close()
        pages = [
            ("project-slagelse", "slagelse", visit(f"/projects/{args.slagelse_project}/")),
            # Whole: "Tilskuddets afslutning" and the follow-ups after the end sit below 4000 px.
            ("project-gribskov", "gribskov", visit(f"/projects/{args.gribskov_project}/"), 10_000),
            ("application-form-error", "slagelse", form_with_errors(pk)),
            ("application-submit-error", "slagelse", submit_with_errors(pk)),
            ("inbox-slagelse", "slagelse", visit("/inbox/")),
            ("inbox-reviewer", "reviewer", visit("/inbox/")),
            ("pool-dashboard", "reviewer", visit(f"/pools/{args.pool}/monitoring/")),
            ("committee-landing", "udvalg", visit("/")),
        ]
        for name, user, act, *height in pages:
            shoot(browser, args.base_url, args.out, name, user, act, height[0] if height else MAX_HEIGHT)
        browser.close()


if __name__ == "__main__":
    main()
