"""What every page shares: htmx partials that share their page's URL, query strings, and the
one flow of a decision behind a confirmation step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django_fsm import can_proceed

from .errors import DomainError


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


@dataclass(frozen=True)
class Decision:
    """A decision SIRI takes behind a confirmation step (on an application or a report): the
    transition it runs, the form it asks, the service call, and the texts of its pages."""

    transition: str
    form: type[Any]
    run: Callable[[Any, Any, dict[str, Any]], Any]
    heading: Any
    link: Any
    question: Any
    confirm: Any
    done: Any


def decision_page(
    request: HttpRequest,
    subject: Any,
    spec: Decision,
    *,
    context: dict[str, Any],
    facts: Callable[[dict[str, Any]], dict[str, Any]],
    done_url: str,
    blocked: Any = None,
    initial: dict[str, Any] | None = None,
    check: Callable[[dict[str, Any]], Any] | None = None,
) -> HttpResponse:
    """The one flow of every decision: the form (or, with nothing to type, straight to the
    confirmation), the confirmation repeating what will happen, then the service call.

    Nothing is decided before the confirm button; a state the transition cannot leave is a 409
    page saying why, as is `blocked` (another reason, e.g. a condition not met). `facts` fills
    the texts' placeholders from what was typed. `check`, given what a valid form parsed, raises
    the service's own DomainError before the confirmation step (and again before the service
    runs), so that what the service would refuse is refused on the form, where it was typed."""
    page, confirm_page = "core/decide.html", "core/decide_confirm.html"
    # The form posts to this page; going back leads where a decision leads too.
    context = {"action": request.path, "back": done_url, **context}
    if not can_proceed(getattr(subject, spec.transition), check_conditions=False):
        blocked = subject.conflict(spec.transition).message
    if blocked:
        return render_page(request, page, {**context, "spec": spec, "blocked": blocked}, status=409)
    context = {**context, "spec": spec}
    status = 200
    if request.method != "POST":
        form = spec.form(initial=initial or {})
        if not form.fields:  # nothing to type: this page is the confirmation
            question = spec.question % facts({})
            return render_page(request, confirm_page, {**context, "form": form, "question": question})
    else:
        form = spec.form(request.POST)
        if form.is_valid() and "back" not in request.POST:
            checked = save_form(form, lambda: check(form.cleaned_data)) if check is not None else Saved(True)
            if not checked.ok:
                status = checked.status
            elif "confirm" not in request.POST:
                question = spec.question % facts(form.cleaned_data)
                return render_page(request, confirm_page, {**context, "form": form, "question": question})
            else:
                saved = save_form(form, lambda: spec.run(subject, request.user, form.cleaned_data))
                if saved.ok:
                    messages.success(request, spec.done % facts(form.cleaned_data))
                    return redirect(done_url)
                status = saved.status
    return render_page(request, page, {**context, "form": form}, status=status)


@dataclass(frozen=True)
class Saved:
    """What became of a form's write: done (with the service's answer), or not, and the page's
    status then: 200 showing the problems on the form, 409 when the object's state forbids it."""

    ok: bool
    value: Any = None
    status: int = 200


def save_form(form: Any, write: Callable[[], Any]) -> Saved:
    """Run the service that writes what a valid form parsed; its problems land on the form."""
    try:
        return Saved(True, write())
    except DomainError as error:
        form.add_domain_error(error)
        return Saved(False, status=409 if error.kind == DomainError.CONFLICT else 200)


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


def get_visible(request: HttpRequest, queryset: Any, pk: int, permission: str | None = None) -> Any:
    """The object of `queryset` if the user may see it (its ``visible_to``; else 404, as another
    municipality's object is simply not there) and, if given, may do `permission` (else 403)."""
    found = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    if permission and not request.user.has_perm(permission, found):
        raise PermissionDenied
    return found
