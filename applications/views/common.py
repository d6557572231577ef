"""What every page view shares: finding an object the user may see, and permission checks
that answer 404 for another municipality's object and 403 for a visible one the user may not
change."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
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


def require_perm(permission: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page for people holding a model-level permission (no object): login first, then 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
