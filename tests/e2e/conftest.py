"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live
server (`make e2e`). Playwright's own browser download is never used.

- `browser`: one headless chromium for the session; missing → `require_service` (fails under CI,
  skips elsewhere).
- `browse`: pages in fresh browser contexts, logged in through the real login page, in Danish
  (the browser asks for `da-DK`, as a municipal worker's browser does) or in English (switched
  with the header's language button). Uncaught JavaScript errors and failed static files fail
  the test.
- `t` / `label`: the texts and field labels the page shows in a language, taken from the same
  translations and models the pages use, so the tests follow the translations as they land.
- Every test saves full-page screenshots to var/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls
# from it (SynchronousOnlyOperation). Set before any database access.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.conftest import require_service

from . import axe

CHROMIUM = Path(os.environ.get("PULJEFLOW_CHROMIUM", "/usr/bin/chromium"))
# As root on a closed network: no sandbox, and none of chromium's own network traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "pw"  # the personas' password (tests/conftest.py)
TIMEOUT_MS = 10_000
# A Danish municipal worker's browser; English is chosen in the header, as a user would.
BROWSER_LOCALE = "da-DK"

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    table = axe.summary_table()
    if not table:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "axe-summary.txt").write_text(table + "\n", encoding="utf-8")
    terminalreporter.write_sep("=", "axe-core: violations by impact (var/screenshots/axe-summary.txt)")
    terminalreporter.write_line(table)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A file-based SQLite test database, so that each request thread of the live server has a
    connection of its own (an in-memory one is shared by all threads, and htmx sends requests
    concurrently). PostgreSQL and a DATABASE_TEST_NAME that is set are left as they are."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        database.setdefault("TEST", {})["NAME"] = str(Path(settings.BASE_DIR) / "var" / "e2e-test.sqlite3")


# Translations ---------------------------------------------------------------------------------


def t(lang: str, msgid: str, **params: Any) -> str:
    """`msgid` as the pages show it in `lang` (a blocktranslate's placeholders as %(name)s)."""
    with translation.override(lang):
        text = translation.gettext(msgid)
    return text % params if params else text


def label(lang: str, model: type[models.Model], name: str) -> str:
    """The label a model form shows for a model field: its verbose name, capitalised."""
    with translation.override(lang):
        return str(capfirst(model._meta.get_field(name).verbose_name))


def choice(lang: str, value: Any) -> str:
    """The label of a TextChoices member in `lang`."""
    with translation.override(lang):
        return str(value.label)


def loose(lang: str, msgid: str, **params: str) -> re.Pattern[str]:
    """A pattern for a translated text with placeholders matching anything given as a regex."""
    text = t(lang, msgid)
    pattern = re.escape(text)
    for name, regex in params.items():
        pattern = pattern.replace(re.escape(f"%({name})s"), regex)
    return re.compile(pattern)


def named(text: str) -> re.Pattern[str]:
    """An accessible name that is `text`, maybe followed by a remark in brackets: "Title (optional)"."""
    return re.compile(rf"^\s*{re.escape(text)}(\s*\(.*\))?\s*$", re.IGNORECASE)


def language_name(lang: str) -> str:
    return str(capfirst(LANG_INFO[lang]["name_local"]))


# Pages ----------------------------------------------------------------------------------------


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def switch_language(page: Page, lang: str) -> None:
    """Choose the language with the header's language button, as a user does."""
    page.get_by_role("banner").get_by_role("button", name=language_name(lang), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def log_in(page: Page, username: str, lang: str) -> None:
    from django.contrib.auth import get_user_model

    page.goto("/login/")
    if lang != "da":
        switch_language(page, lang)
    page.get_by_label(label(lang, get_user_model(), "username")).fill(username)
    page.get_by_label(t(lang, "Password"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(lang, "Log in"), exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


@dataclass
class Browsing:
    browser: Browser
    base_url: str
    contexts: list[BrowserContext] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def page(self, username: str | None = None, lang: str = "da") -> Page:
        """A new browser (own cookies), logged in as `username` if given, in `lang`."""
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=BROWSER_LOCALE,
            viewport={"width": 1280, "height": 900},
            timezone_id="Europe/Copenhagen",
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on("response", lambda response: self._check_static(response.url, response.status))
        # Chromium reports what the Content Security Policy refused on the console.
        page.on("console", lambda message: self._check_policy(page.url, message.text))
        if username:
            log_in(page, username, lang)
        elif lang != "da":
            page.goto("/login/")
            switch_language(page, lang)
        return page

    def _check_static(self, url: str, status: int) -> None:
        if "/static/" in url and status >= 400:
            self.problems.append(f"static file {url} answered {status}")

    def _check_policy(self, url: str, text: str) -> None:
        if "Content Security Policy" in text:
            self.problems.append(f"refused by the Content Security Policy on {url}: {text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    require_service(
        "Chromium",
        CHROMIUM.exists(),
        f"{CHROMIUM} is missing: apt-get install chromium (Debian's package; Playwright's download is not used)",
    )
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browse(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Browsing]:
    browsing = Browsing(browser=browser, base_url=live_server.url)
    yield browsing
    browsing.close()
    if browsing.problems:
        pytest.fail("Problems in the browser:\n" + "\n".join(browsing.problems))
