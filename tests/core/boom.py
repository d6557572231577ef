"""A URL that fails and a context processor that fails, for the error pages' tests."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def broken_processor(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("the database is gone")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
