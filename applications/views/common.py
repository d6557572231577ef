"""What every page view shares: finding an object the user may see, and permission checks
that answer 404 for another municipality's object and 403 for a visible one the user may not
change."""

from __future__ import annotations

from django.http import HttpRequest

from core.views import get_visible

from ..models import Application


def get_application(
    request: HttpRequest, pk: int, permission: str | None = None, *, related: tuple[str, ...] = ()
) -> Application:
    """The application if the user may see it (else 404), and if given, may do `permission` (else
    403); with its pool, lead municipality and the `related` a page also shows, in one query."""
    applications = Application.objects.select_related("pool", "lead_municipality", *related)
    return get_visible(request, applications, pk, permission)
