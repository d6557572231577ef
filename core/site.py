"""Pages of the site itself rather than of a domain: the inbox (what the apps registered in
`core.inbox`), the favicon at the address browsers ask for, and the keep-alive that the
session-timeout warning (static/puljeflow/session-timeout.js) calls when a person chooses to stay
logged in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from .inbox import inbox_for
from .views import render_page


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """What needs the person now: each section their role's apps registered, with its items."""
    sections = inbox_for(request.user, timezone.localdate())
    # What has items comes first; the sections with nothing in them are listed after, briefly,
    # so the person sees what was looked at.
    context = {
        "sections": [shown for shown in sections if shown.items],
        "quiet": [shown.section for shown in sections if not shown.items],
        "waiting": sum(shown.total for shown in sections),
    }
    return render_page(request, "core/inbox.html", context)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the static file."""
    return HttpResponsePermanentRedirect(static("puljeflow/favicon.ico"))


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Stay logged in: the session is saved now, whenever it was last (core.middleware.IdleSession),
    which starts the idle clock again. A session that has ended already answers 401, not the login
    page, as a script asks."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "not logged in"}, status=401)
    request.session.modified = True
    return JsonResponse({"idle_seconds": settings.SESSION_COOKIE_AGE})
