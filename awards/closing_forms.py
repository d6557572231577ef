"""The forms of a grant's end: the final report, the final accounts, the repayment received. They
parse what is typed; the services decide (their DomainError lands on the fields it names)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Goal
from core.errors import DomainError
from core.forms import DateInput, DesignSystemForm, MoneyField, NumberField, ReasonForm, show_number, text_field
from core.validators import validate_no_cpr

from .models import AuditorKind, FinalAccounts, FinalReport
from .services.closing import Variance, explanation_missing


class FinalReportForm(DesignSystemForm, forms.Form):
    """A result and a comment per goal (the reports' figure offered), and the four texts."""

    what_worked = text_field(_("What worked"))
    what_did_not = text_field(_("What did not work"))
    anchoring = text_field(
        _("How the effort is anchored after the project"),
        help_text=_("Who carries it on, paid by what, and what is stopped."),
    )
    lessons = text_field(
        _("Lessons worth sharing"),
        help_text=_("What another municipality should know; it can be proposed to the catalogue of good practice."),
    )

    def __init__(
        self,
        *args: Any,
        goals: list[Goal],
        offered: dict[int, Decimal | None],
        report: FinalReport | None,
        **kwargs: Any,
    ) -> None:
        results = {result.goal_id: result for result in report.results.all()} if report else {}
        initial = kwargs.setdefault("initial", {})
        if report is not None:
            for name in ("what_worked", "what_did_not", "anchoring", "lessons"):
                initial[name] = getattr(report, name)
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            saved = results.get(goal.pk)
            value = saved.value if saved else offered.get(goal.pk)
            self.fields[f"result_{goal.pk}"] = NumberField(
                label=goal.title,
                help_text=_("Target %(target)s %(unit)s; the reports' latest figure is offered.")
                % {"target": show_number(goal.target_value), "unit": goal.unit},
                initial=value,
            )
            self.fields[f"comment_{goal.pk}"] = forms.CharField(
                label=_("Comment on “%(goal)s”") % {"goal": goal.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                validators=[validate_no_cpr],
                initial=saved.comment if saved else "",
            )
        self.style_widgets()

    def goal_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"result_{goal.pk}"], self[f"comment_{goal.pk}"]) for goal in self.goals]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("what_worked", "what_did_not", "anchoring", "lessons")}
        data["results"] = [
            {
                "goal": goal.pk,
                "value": self.cleaned_data[f"result_{goal.pk}"],
                "comment": self.cleaned_data[f"comment_{goal.pk}"],
            }
            for goal in self.goals
            if self.cleaned_data.get(f"result_{goal.pk}") is not None
        ]
        return data


class FinalAccountsForm(DesignSystemForm, forms.Form):
    """What was spent per line of the budget in force, the explanations, the management
    statement, the auditor and the auditor's statement."""

    statement_by_name = forms.CharField(
        label=_("Management statement signed by"), max_length=200, required=False, validators=[validate_no_cpr]
    )
    statement_by_title = forms.CharField(label=_("Title"), max_length=200, required=False, validators=[validate_no_cpr])
    auditor_name = forms.CharField(
        label=_("Auditor (firm and name)"), max_length=200, required=False, validators=[validate_no_cpr]
    )
    auditor_kind = forms.ChoiceField(
        label=_("The auditor is"), choices=[("", "–"), *AuditorKind.choices], required=False
    )
    performance_audit = forms.BooleanField(
        label=_("The audit includes a performance audit (forvaltningsrevision)"), required=False
    )
    auditor_statement = forms.FileField(
        label=_("The auditor's statement (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args: Any, rows: list[Variance], accounts: FinalAccounts | None, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        if accounts is not None:
            for name in (
                "statement_by_name",
                "statement_by_title",
                "auditor_name",
                "auditor_kind",
                "performance_audit",
            ):
                initial[name] = getattr(accounts, name)
        super().__init__(*args, **kwargs)
        # Saved empty as a draft, but needed to send the accounts: not "(optional)".
        for name in ("statement_by_name", "statement_by_title", "auditor_name", "auditor_kind", "auditor_statement"):
            self.fields[name].needed_to_submit = True
        self.rows = rows
        for index, row in enumerate(rows):
            self.fields[f"spent_{index}"] = MoneyField(
                label=_("Spent in %(year)s, %(category)s") % {"year": row.year, "category": row.category_label.lower()},
                required=False,
                initial=row.spent if accounts is not None else None,
            )
            self.fields[f"explanation_{index}"] = forms.CharField(
                label=_("Explanation of %(year)s, %(category)s")
                % {"year": row.year, "category": row.category_label.lower()},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                validators=[validate_no_cpr],
                initial=row.explanation,
            )
        self.style_widgets()

    def add_domain_error(self, error: DomainError) -> None:
        """A missing explanation goes to its line's field (the lines as this form saved them); the
        other problems where the mixin places them."""
        placed: set[str] = set()
        cleaned = getattr(self, "cleaned_data", {})
        for index, row in enumerate(self.rows):
            name = f"explanation_{index}"
            saved = replace(
                row,
                spent=cleaned.get(f"spent_{index}") or Decimal(0),
                explanation=cleaned.get(name) or "",
            )
            if saved.unexplained:
                message = explanation_missing(saved)
                if message in {str(m) for m in error.errors.get("lines", [])}:
                    self.add_error(name, message)
                    placed.add(message)
        lines = [m for m in error.errors.get("lines", []) if str(m) not in placed]
        others = {key: messages for key, messages in error.errors.items() if key != "lines"}
        rest = {**others, **({"lines": lines} if lines else {})}
        if rest or not placed:
            super().add_domain_error(DomainError(error.message, kind=error.kind, errors=rest))

    def line_rows(self) -> list[tuple[Variance, Any, Any]]:
        return [(row, self[f"spent_{i}"], self[f"explanation_{i}"]) for i, row in enumerate(self.rows)]

    def service_data(self) -> dict[str, Any]:
        names = ("statement_by_name", "statement_by_title", "auditor_name", "auditor_kind", "performance_audit")
        data: dict[str, Any] = {name: self.cleaned_data[name] for name in names}
        data["lines"] = [
            {
                "year": row.year,
                "category": row.category,
                "spent": self.cleaned_data[f"spent_{i}"],
                "explanation": self.cleaned_data[f"explanation_{i}"],
            }
            for i, row in enumerate(self.rows)
            if self.cleaned_data.get(f"spent_{i}") is not None
        ]
        if self.cleaned_data.get("auditor_statement"):
            data["auditor_statement"] = self.cleaned_data["auditor_statement"]
        return data


class FinalDecisionForm(ReasonForm):
    """SIRI's return of a final report or accounts: the municipality reads the reason."""

    seen_by = _("The municipality will see it.")
    missing = _("Give a reason; the municipality will see it.")


class RepaymentPaidForm(DesignSystemForm, forms.Form):
    paid_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=timezone.localdate)
