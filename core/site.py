"""Pages of the site itself rather than of a domain: the favicon at the address browsers ask for,
and the keep-alive that the session-timeout warning (static/puljeflow/session-timeout.js) calls
when a person chooses to stay logged in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_POST, require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the static file."""
    return HttpResponsePermanentRedirect(static("puljeflow/favicon.ico"))


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Stay logged in: the request itself starts the idle clock again (SESSION_SAVE_EVERY_REQUEST).
    A session that has ended already answers 401, not the login page, as a script asks."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "not logged in"}, status=401)
    request.session.modified = True  # saved, and its expiry moved, even were every request not saved
    return JsonResponse({"idle_seconds": settings.SESSION_COOKIE_AGE})
