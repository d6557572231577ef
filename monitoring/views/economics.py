"""Editing a project's economics (monitoring.economics): the inputs of the Gribskov model's table,
by the project's municipality or a SIRI pool admin. The figures are shown on the project's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DesignSystemForm, MoneyField, NumberField
from core.views import render_page, save_form

from .. import economics
from ..models import ProjectEconomics
from .common import get_grant

PER_MONTH = gettext_lazy("Per person and month, in kroner.")


def _money(label: Any, help_text: Any = PER_MONTH) -> MoneyField:
    return MoneyField(
        label=label,
        required=False,
        min_value=None,  # the shared validator names the problem, as the API does
        validators=economics.INPUT_VALIDATORS["net_support_cost"],
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-width-s"}),
    )


def _rate(label: Any, help_text: Any, *, required: bool) -> NumberField:
    return NumberField(
        label=label, required=required, validators=economics.INPUT_VALIDATORS["refund_with"], help_text=help_text
    )


class EconomicsForm(DesignSystemForm, forms.Form):
    net_support_cost = _money(gettext_lazy("Net support cost"))
    activation_cost = _money(gettext_lazy("Activation cost"))
    activation_months = forms.IntegerField(
        label=gettext_lazy("Months of activation"),
        validators=economics.INPUT_VALIDATORS["activation_months"],
        help_text=gettext_lazy("The activation cost is paid for this many months (the Gribskov model: 12)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-width-xs"}),
    )
    refund_without = _rate(
        gettext_lazy("State refund without activation (%)"), gettext_lazy("The Gribskov model: 35 %."), required=True
    )
    refund_with = _rate(
        gettext_lazy("State refund with activation (%)"), gettext_lazy("The Gribskov model: 65 %."), required=True
    )
    tax_income = _money(gettext_lazy("Tax income from work"))
    stated_net_gain = _money(
        gettext_lazy("The municipality's net gain from work, as stated"),
        gettext_lazy(
            "Per person and month. Leave empty to have it computed: the municipal support cost with "
            "activation plus the tax income."
        ),
    )
    effect = _rate(
        gettext_lazy("Self-sufficiency effect (%)"),
        gettext_lazy("The share expected in work. The effects the project's outcomes give are shown beside it."),
        required=False,
    )


@login_required
def economics_edit(request: HttpRequest, grant_pk: int) -> HttpResponse:
    grant = get_grant(request, grant_pk, economics.CHANGE_ECONOMICS)
    context: dict[str, Any] = {"grant": grant, "application": grant.application}
    status = 200
    if request.method == "POST":
        form = EconomicsForm(request.POST)
        if form.is_valid():
            saved = save_form(form, lambda: economics.save_economics(grant.pk, request.user, form.cleaned_data))
            if saved.ok:
                messages.success(request, _("The project's economics are saved."))
                return redirect(reverse("monitoring:project", args=[grant.pk]) + "#economics")
            status = saved.status
    else:
        saved_row = ProjectEconomics.objects.filter(grant=grant).first()
        form = EconomicsForm(initial=economics.stored_values(saved_row))
    return render_page(request, "monitoring/economics/edit.html", {**context, "form": form}, status=status)
