"""The public downloads of open data: no login, the same file for everyone, cacheable."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import threesixty

CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


@require_safe
def grants_360giving(request: HttpRequest, fmt: str) -> FileResponse:
    """The latest daily file; the first request after installing publishes it, so the link
    works before beat's first run."""
    name = threesixty.FILES.get(fmt)
    if name is None:
        raise Http404
    if not default_storage.exists(name):
        threesixty.publish()
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=CONTENT_TYPES[fmt],
        as_attachment=fmt == "csv",
        filename=f"puljeflow-360giving.{fmt}",
    )
    # Public data, the same for every visitor: a proxy may keep it for an hour.
    patch_cache_control(response, public=True, max_age=3600)
    response["Access-Control-Allow-Origin"] = "*"
    return response
