"""The site's URLs and `/__bench__/<key>/`: a bare Django view that answers with the bytes an
endpoint answered (written by benchmarks/scale.py to BENCH_BYTES_DIR), through the same
middleware, so the ratio of the two is what the endpoint's own work costs. And
`/__bench_empty__/`: a page of the site with nothing on it, for the logged-in user, which
shows what every page pays before its own content (session, user, role, menu, layout)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site
from core.views import render_page


@cache
def _stored(key: str) -> tuple[bytes, str]:
    folder = Path(os.environ["BENCH_BYTES_DIR"])
    body = (folder / f"{key}.body").read_bytes()
    content_type = (folder / f"{key}.type").read_text()
    return body, content_type


def bare(request: HttpRequest, key: str) -> HttpResponse:
    body, content_type = _stored(key)
    return HttpResponse(body, content_type=content_type)


@login_required
def empty(request: HttpRequest) -> HttpResponse:
    return render_page(request, "base.html", {})


urlpatterns = [path("__bench__/<slug:key>/", bare), path("__bench_empty__/", empty), *site]
