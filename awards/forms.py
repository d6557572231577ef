"""The forms of the grant administration's pages. They parse what is typed; the rules are the
services' (their DomainError lands on the fields it names), so the pages and the API agree."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import BudgetCategory, GoalKind, Grant
from core.forms import DateInput, DesignSystemForm, MoneyField, NumberField, ReasonForm, show_number, text_field
from core.validators import validate_no_cpr
from monitoring.quarters import Quarter

from .models import ChangeKind
from .services.acceptance import DECLARATION_MISSING, NAME_MISSING, TITLE_MISSING


class AcceptForm(DesignSystemForm, forms.Form):
    """The grant-responsible person's acceptance. The declaration's wording names the grant: the
    view makes the form for one grant (`for_grant`)."""

    declaration_text: Any = ""

    accepted_by_name = forms.CharField(
        label=_("Your name"), max_length=200, error_messages={"required": NAME_MISSING}, validators=[validate_no_cpr]
    )
    accepted_by_title = forms.CharField(
        label=_("Your title"), max_length=200, error_messages={"required": TITLE_MISSING}, validators=[validate_no_cpr]
    )
    declaration = forms.BooleanField(label=_("Declaration"), error_messages={"required": DECLARATION_MISSING})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declaration"].label = self.declaration_text
        self.fields["accepted_by_title"].help_text = _("E.g. head of the job centre")

    @classmethod
    def for_grant(cls, text: str) -> type[AcceptForm]:
        return type("AcceptGrantForm", (cls,), {"declaration_text": text})


class RevokeForm(ReasonForm):
    seen_by = _("The municipality reads it in the revocation letter.")
    missing = _("Give a reason; the municipality will see it.")


class RefuseForm(ReasonForm):
    seen_by = _("The municipality reads it in the decision letter.")
    missing = _("Give a reason; the municipality will see it.")


class ApproveForm(DesignSystemForm, forms.Form):
    reason = forms.CharField(
        label=_("Comment for the municipality"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=[validate_no_cpr],
        help_text=_("It is printed in the decision letter."),
    )


class WithdrawForm(DesignSystemForm, forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        validators=[validate_no_cpr],
    )


class PayForm(DesignSystemForm, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("paid_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class PeriodForm(DesignSystemForm, forms.Form):
    """The payments due in a period, for SIRI's overview and its CSV export."""

    due_after = forms.DateField(label=_("Due from"), required=False, widget=DateInput())
    due_before = forms.DateField(label=_("Due until"), required=False, widget=DateInput())

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for; by default the current quarter."""
        quarter = Quarter.of(timezone.localdate())
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("due_after") or quarter.start, data.get("due_before") or quarter.end


BUDGET_ROWS_EXTRA = 2


class ChangeForm(DesignSystemForm, forms.Form):
    """A change request of one kind: the reason, and what is asked, prefilled with what is in force.

    Budget: the whole new budget as rows (year, category, amount, FTE); period: the new end date;
    goals: a new target per goal; milestones: the expected values and activities of each quarter
    not yet reported."""

    reason = text_field(_("Why the change is needed"), rows=5, required=False)

    def __init__(
        self,
        *args: Any,
        kind: str,
        grant: Grant,
        lines: list[dict[str, Any]],
        goals: list[Any],
        quarters: list[tuple[Quarter, dict[int, Decimal], str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.grant, self.goals, self.quarters = kind, grant, goals, quarters
        self.reason_help()
        if kind == ChangeKind.BUDGET:
            self.rows = len(lines) + BUDGET_ROWS_EXTRA
            for index in range(self.rows):
                line = lines[index] if index < len(lines) else {}
                self.fields[f"line_{index}_year"] = forms.IntegerField(
                    label=_("Year"),
                    required=False,
                    initial=line.get("year"),
                    widget=forms.NumberInput(attrs={"class": "input-width-xs"}),
                )
                self.fields[f"line_{index}_category"] = forms.ChoiceField(
                    label=_("Category"),
                    required=False,
                    choices=[("", "–"), *BudgetCategory.choices],
                    initial=line.get("category"),
                )
                self.fields[f"line_{index}_amount"] = MoneyField(
                    label=_("Amount"), required=False, initial=line.get("amount")
                )
                self.fields[f"line_{index}_fte"] = NumberField(label=_("FTE"), initial=line.get("fte"))
        elif kind == ChangeKind.PERIOD:
            self.fields["end_date"] = forms.DateField(
                label=_("New end date"), required=False, widget=DateInput(), help_text=_("After the present end date.")
            )
        elif kind == ChangeKind.GOALS:
            for goal in goals:
                self.fields[f"goal_{goal.pk}"] = NumberField(
                    label=goal.title,
                    initial=goal.target_value,
                    help_text=_("%(unit)s; the target now: %(target)s")
                    % {
                        "unit": "%" if goal.kind == GoalKind.PERCENTAGE else (goal.unit or _("number")),
                        "target": show_number(goal.target_value),
                    },
                )
        elif kind == ChangeKind.MILESTONES:
            for quarter, expected, activities in quarters:
                prefix = f"q_{quarter.year}_{quarter.quarter}"
                for goal in goals:
                    self.fields[f"{prefix}_goal_{goal.pk}"] = NumberField(
                        label=_("Expected: %(goal)s") % {"goal": goal.title}, initial=expected.get(goal.pk)
                    )
                self.fields[f"{prefix}_activities"] = text_field(_("Planned activities"), rows=2, initial=activities)

    def reason_help(self) -> None:
        self.fields["reason"].help_text = _("SIRI decides on the change from it; it is printed in the decision letter.")

    def budget_rows(self) -> list[list[Any]]:
        return [
            [self[f"line_{index}_{name}"] for name in ("year", "category", "amount", "fte")]
            for index in range(self.rows)
        ]

    def quarter_groups(self) -> list[tuple[Quarter, list[Any]]]:
        groups = []
        for quarter, _expected, _activities in self.quarters:
            prefix = f"q_{quarter.year}_{quarter.quarter}"
            names = [f"{prefix}_goal_{goal.pk}" for goal in self.goals] + [f"{prefix}_activities"]
            groups.append((quarter, [self[name] for name in names]))
        return groups

    def service_data(self) -> dict[str, Any]:
        """What `services.file_change` takes (call when valid)."""
        data = self.cleaned_data
        out: dict[str, Any] = {"kind": self.kind, "reason": data.get("reason") or ""}
        if self.kind == ChangeKind.BUDGET:
            lines = []
            for index in range(self.rows):
                row = {name: data.get(f"line_{index}_{name}") for name in ("year", "category", "amount", "fte")}
                if row["year"] is None and not row["category"] and row["amount"] is None:
                    continue  # a blank row
                lines.append({**row, "fte": row["fte"] or Decimal(0)})
            out["budget_lines"] = lines
        elif self.kind == ChangeKind.PERIOD:
            out["end_date"] = data.get("end_date")
        elif self.kind == ChangeKind.GOALS:
            out["goals"] = [
                {"goal": goal.pk, "target_value": data[f"goal_{goal.pk}"]}
                for goal in self.goals
                if data.get(f"goal_{goal.pk}") is not None and data[f"goal_{goal.pk}"] != goal.target_value
            ]
        else:
            rows = []
            for quarter, expected, activities in self.quarters:
                prefix = f"q_{quarter.year}_{quarter.quarter}"
                values = {goal.pk: data.get(f"{prefix}_goal_{goal.pk}") for goal in self.goals}
                changed = {pk: v for pk, v in values.items() if v is not None and v != expected.get(pk)}
                new_activities = data.get(f"{prefix}_activities") or ""
                if changed or new_activities != activities:
                    rows.append(
                        {
                            "year": quarter.year,
                            "quarter": quarter.quarter,
                            "expected": [{"goal": pk, "value": v} for pk, v in changed.items()],
                            "planned_activities": new_activities,
                        }
                    )
            out["milestones"] = rows
        return out
