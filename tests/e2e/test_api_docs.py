"""The API documentation works on a closed network: Swagger UI comes from our own static files
and the page asks no other origin for anything (issue 15, item 10)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Route, expect

from .conftest import Browsing, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_offline_from_our_own_origin(browse: Browsing, personas: dict[str, Any]) -> None:
    page = browse.page("reviewer")
    own = urlsplit(browse.base_url).netloc
    elsewhere: list[str] = []

    def only_our_origin(route: Route) -> None:
        if urlsplit(route.request.url).netloc in (own, ""):
            route.continue_()
        else:  # as on a machine without the internet
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_origin)
    page.goto("/api/docs/")
    # Swagger UI has read the schema and drawn the contract's operations.
    expect(page.get_by_text("/api/v1/applications/{id}/submit/").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 40
    shot(page, "api-docs")
    assert elsewhere == []
