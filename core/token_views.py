"""A person's API tokens page (any role): each token with its name, when it was made, when it
expires and was last used (never the key, which is shown once, when it is made), a Revoke button
each and Revoke all. Only one's own tokens: another person's is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import tokens
from .forms import DesignSystemForm
from .models import ApiToken
from .tables import Column, columns
from .validators import validate_no_cpr
from .views import render_page, save_form

COLUMNS = columns(
    _("Name"), _("Begins with"), _("Created"), _("Expires"), _("Last used"), Column(_("Actions"), hidden=True)
)


class NewTokenForm(DesignSystemForm, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("Which client or script the token is for, e.g. the case system's integration."),
        max_length=100,
        validators=[validate_no_cpr],
    )


def _page(request: HttpRequest, form: NewTokenForm, *, key: str | None = None, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "tokens": ApiToken.objects.owned_by(request.user).live(),
        "columns": COLUMNS,
        "form": form,
        "key": key,
        "days": tokens.lifetime().days,
    }
    return render_page(request, "core/api_tokens.html", context, status=status)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, NewTokenForm())
    form = NewTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    saved = save_form(form, lambda: tokens.issue(request.user, form.cleaned_data["name"]))
    if not saved.ok:
        return _page(request, form, status=saved.status)
    _token, key = saved.value
    # The key is in this answer only (not in a message, which would keep it in the session).
    return _page(request, NewTokenForm(), key=key)


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.owned_by(request.user), pk=pk)
    if not request.user.has_perm("core.delete_apitoken", token):
        raise PermissionDenied
    token.delete()
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name or token.prefix})
    return redirect("api_tokens")


@require_POST
@login_required
def revoke_all(request: HttpRequest) -> HttpResponse:
    count = tokens.revoke_all(request.user)
    messages.success(
        request,
        ngettext("%(count)d token is revoked.", "%(count)d tokens are revoked.", count) % {"count": count},
    )
    return redirect("api_tokens")
