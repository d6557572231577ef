"""What every page shares: htmx partials that share their page's URL, and query strings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def partial_for(request: HttpRequest, target: str) -> bool:
    """An htmx request swapping `target`; a history restore wants the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))  # full page and partial share one URL
    return response


def query_string(params: QueryDict, **changes: str | None) -> str:
    """The current query string with some parameters changed or (None) removed."""
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()
