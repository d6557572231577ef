"""axe-core (npm, node_modules/axe-core) injected into a page: run it, keep the counts for the
summary table, and fail on any serious or critical violation with what the page author needs to
fix it (rule, impact, help, the elements' selectors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import Page

from tests.conftest import require_service

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

# "page [lang]" → {impact: count, "rules": [rule ids]}, in the order the pages were checked.
RESULTS: dict[str, dict[str, Any]] = {}


def run(page: Page) -> list[dict[str, Any]]:
    """The violations axe finds in the page as it is now."""
    require_service("axe-core", AXE_JS.exists(), f"{AXE_JS} is missing: run `make install` (npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's devtools, which the page's Content Security Policy does
        # not govern; a <script> tag with axe inline would be refused by it (rightly).
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(" > ".join(part) if isinstance(part, list) else part for part in node["target"])
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def check(page: Page, name: str) -> list[dict[str, Any]]:
    """Run axe, record the counts under `name` and return the serious or critical violations."""
    violations = run(page)
    counts: dict[str, Any] = {impact: 0 for impact in IMPACTS}
    for violation in violations:
        counts[violation["impact"] or "minor"] += len(violation["nodes"])
    counts["rules"] = sorted({v["id"] for v in violations})
    RESULTS[name] = counts
    if violations:
        print(f"\naxe on {name} ({page.url}):\n{describe(violations)}")
    return [v for v in violations if v["impact"] in BLOCKING]


def assert_accessible(page: Page, name: str) -> None:
    blocking = check(page, name)
    assert not blocking, f"axe: serious or critical violations on {name} ({page.url}):\n{describe(blocking)}"


def summary_table() -> str:
    """page → violations (elements) by impact, and the rules that fired."""
    if not RESULTS:
        return ""
    width = max(len("page"), *(len(name) for name in RESULTS))
    header = f"{'page':<{width}}  " + "  ".join(f"{impact:>8}" for impact in IMPACTS) + "  rules"
    lines = [header, "-" * len(header)]
    for name, counts in RESULTS.items():
        numbers = "  ".join(f"{counts[impact]:>8}" for impact in IMPACTS)
        lines.append(f"{name:<{width}}  {numbers}  {', '.join(counts['rules']) or '-'}")
    return "\n".join(lines)
