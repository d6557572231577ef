"""The pool form, shared by the pool pages and the admin, and the criteria formset of the pages.

Every rule about a pool's values lives in `services.pool_problems`; these forms only carry the
values there and put each answer on the field it names (so that every problem shows at once,
with those of the fields' own formats). Saving is `services.save_pool`'s, which asks the rules
again under the pool's lock.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.forms import DateInput, DesignSystemForm, MoneyField
from core.validators import validate_no_cpr

from ..models import Criterion, FormSection, Pool
from ..models.pools import POOL_FIELDS
from ..services import pool_problems
from ..validators import MAX_GUIDANCE_CHARS

CRITERIA_PREFIX = "criteria"
GUIDANCE = "guidance_"  # the form's field of a section's guidance: guidance_<section>
# The grant terms with a default (the state's practice) and the reviewers per application: optional
# on the form.
TERMS_WITH_DEFAULTS = (
    "acceptance_days",
    "retention_percent",
    "payment_grace_days",
    "variance_explain_percent",
    "repayment_minimum",
    "final_report_days",
    "repayment_days",
    "audit_registered_above",
    "audit_performance_above",
    "reviewers_per_application",
)
MAX_CRITERIA = 50


def _label(name: str) -> Any:
    return capfirst(Pool._meta.get_field(name).verbose_name)


def _label_help(name: str) -> Any:
    return Pool._meta.get_field(name).help_text


class WeightField(forms.DecimalField):
    """A weight typed the Danish way (1,5) and shown without trailing zeros (3, not 3,00)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["localize"] = True
        kwargs["widget"] = forms.TextInput(attrs={"inputmode": "decimal", "class": "input-width-xs"})
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            normalized = value.normalize()
            # normalize() turns 10 into 1E+1; quantize back to whole units when there are no decimals.
            text = f"{normalized:f}" if normalized != normalized.to_integral_value() else f"{value:.0f}"
            return text.replace(".", ",")
        return value


class CriterionForm(DesignSystemForm, forms.ModelForm):
    """One criterion row. A model form for the model's own limits (name length, weight > 0);
    it is never saved by itself: `services.save_pool` writes the whole list."""

    class Meta:
        model = Criterion
        fields = ["name", "weight"]
        field_classes = {"weight": WeightField}
        error_messages = {"weight": {"min_value": _("The weight must be greater than 0.")}}


class BaseCriterionFormSet(forms.BaseFormSet):
    """The criteria in the order reviewers see them; blank extra rows and ticked rows drop out."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # Added after the form's own __init__, so the design system's class is set here.
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-checkbox"

    def criteria(self) -> list[dict[str, Any]]:
        """The rows kept, as `pool_problems` and the save expect them (call when valid)."""
        return [
            {"name": form.cleaned_data["name"], "weight": form.cleaned_data["weight"]}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def add_problem(self, message: Any) -> None:
        """A problem of the list as a whole (from `pool_problems`), shown above the rows."""
        self.non_form_errors().append(message)


def criterion_formset(
    data: Any = None, pool: Pool | None = None, extra: int = 2, initial: list[dict[str, Any]] | None = None
) -> BaseCriterionFormSet:
    """The criteria rows of `pool` (none for a new pool) or `initial`, and `extra` blank rows."""
    if initial is None:
        initial = [{"name": c.name, "weight": c.weight} for c in pool.criteria.all()] if pool and pool.pk else []
    formset_class = forms.formset_factory(
        CriterionForm,
        formset=BaseCriterionFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_CRITERIA,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix=CRITERIA_PREFIX)


class PoolForm(DesignSystemForm, forms.ModelForm):
    """Every field of a pool. The pool pages pass `criteria_formset`; the admin edits criteria
    in its own inline and passes none, so `pool_problems` then leaves the criteria alone. The
    form never saves itself: its values go to `services.save_pool`."""

    total_budget = MoneyField(label=_label("total_budget"), help_text=_("In kroner, e.g. 10.000.000"))
    max_grant = MoneyField(label=_label("max_grant"), help_text=_("In kroner; at most the total budget"))
    repayment_minimum = MoneyField(label=_label("repayment_minimum"), initial=Decimal(500))
    audit_registered_above = MoneyField(
        label=_label("audit_registered_above"),
        initial=Decimal(100000),
        help_text=_label_help("audit_registered_above"),
    )
    audit_performance_above = MoneyField(label=_label("audit_performance_above"), initial=Decimal(500000))
    concurrence_above = MoneyField(
        label=_label("concurrence_above"), required=False, help_text=_label_help("concurrence_above")
    )

    class Meta:
        model = Pool
        # The guidance is one text per section of the application form (`guidance_<section>`).
        fields = [name for name in POOL_FIELDS if name != "guidance"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "project_start_earliest": DateInput(),
            "project_end_latest": DateInput(),
            "reporting_delay_days": forms.NumberInput(attrs={"class": "input-width-xs"}),
            "standard_conditions": forms.Textarea(attrs={"rows": 5}),
            "appeal_guidance": forms.Textarea(attrs={"rows": 4}),
            "acceptance_days": forms.NumberInput(attrs={"class": "input-width-xs"}),
            "payment_grace_days": forms.NumberInput(attrs={"class": "input-width-xs"}),
            "retention_percent": forms.NumberInput(attrs={"class": "input-width-xs"}),
            "variance_explain_percent": forms.NumberInput(attrs={"class": "input-width-xs"}),
            "reviewers_per_application": forms.NumberInput(attrs={"class": "input-width-xs"}),
        }
        help_texts = {
            "opens_on": _("For example 01.02.2027"),
            "closes_on": _("Applications can be submitted until the end of this day"),
            "project_start_earliest": _("Leave empty if projects may start at any time"),
            "project_end_latest": _("Leave empty if projects may end at any time"),
        }

    def __init__(self, *args: Any, criteria_formset: BaseCriterionFormSet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria_formset = criteria_formset
        for name in TERMS_WITH_DEFAULTS:
            if name in self.fields:
                # Left empty, a term keeps its value (a new pool: the state's usual practice).
                self.fields[name].required = False
        stored = self.instance.guidance if isinstance(self.instance.guidance, dict) else {}
        for code, label in FormSection.choices:
            self.fields[GUIDANCE + code] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_GUIDANCE_CHARS,
                initial=stored.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
                validators=[validate_no_cpr],
            )

    def guidance_fields(self) -> list[forms.BoundField]:
        return [self[GUIDANCE + code] for code in FormSection.values]

    def guidance(self) -> dict[str, str]:
        """The guidance typed, per section; a section left empty has none."""
        texts = {code: (self.cleaned_data.get(GUIDANCE + code) or "").strip() for code in FormSection.values}
        return {code: text for code, text in texts.items() if text}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        current = self.instance if self.instance.pk else None
        if current is not None:
            # The admin's change view is one transaction: this lock, the one grants take, is
            # held until the pool is saved, so no grant slips under a lowered budget. The pages
            # hold it already through `services.locked_pool`; taking it again is harmless.
            Pool.objects.select_for_update().get(pk=current.pk)
        # A field that failed its own validation counts as unknown (None), so that no rule
        # compares against the stored value the user is replacing.
        values: dict[str, Any] = {name: cleaned.get(name) for name in self.fields}
        formset = self.criteria_formset
        if formset is not None and formset.is_valid():
            values["criteria"] = formset.criteria()
        for field, messages in pool_problems(values, current).items():
            for message in messages:
                if field == "criteria" and formset is not None:
                    formset.add_problem(message)
                else:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned

    def pool_values(self) -> dict[str, Any]:
        """What `services.save_pool` writes: the fields and, when the pages edited them, the
        criteria. Call after `is_valid()` of the form and its formset."""
        values: dict[str, Any] = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in self.cleaned_data
            and not name.startswith(GUIDANCE)
            and not (name in TERMS_WITH_DEFAULTS and self.cleaned_data[name] is None)
        }
        values["guidance"] = self.guidance()
        if self.criteria_formset is not None:
            values["criteria"] = self.criteria_formset.criteria()
        return values

    def add_pool_problems(self, error: DomainError) -> None:
        """The problems `services.save_pool` found, each on its field; the criteria's above the rows."""
        for field, messages in error.errors.items():
            for message in messages:
                if field == "criteria" and self.criteria_formset is not None:
                    self.criteria_formset.add_problem(message)
                else:
                    self.add_error(field if field in self.fields else None, message)
