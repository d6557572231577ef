"""What every page view shares: finding an object the user may see, and permission checks
that answer 404 for another municipality's object and 403 for a visible one the user may not
change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Application


def visible_applications(request: HttpRequest) -> QuerySet[Application]:
    return Application.objects.visible_to(request.user)


def get_application(request: HttpRequest, pk: int, permission: str | None = None) -> Application:
    """The application if the user may see it (else 404), and if given, may do `permission` (else 403)."""
    application = get_object_or_404(
        visible_applications(request).select_related("pool", "lead_municipality"),
        pk=pk,
    )
    if permission and not request.user.has_perm(permission, application):
        raise PermissionDenied
    return application
