"""The monitoring pages' forms. They parse what is typed (Danish or English decimals, kroner)
and check each value with the validators the models and the API use; the rules that need the
database (one report per quarter, a cumulative count that goes down) stay in `services`, whose
problems come back onto these forms through `add_domain_error`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.filters import MunicipalityFilter
from applications.models import Goal, GoalKind
from core import forms as core_forms
from core.forms import MoneyField, NumberField, SectionedForm, show_number, text_field
from core.validators import validate_no_cpr

from .checks import cohort_possible, first_cohort_quarter
from .models import KPI_FIELDS, FipDimension, Milestone, NationalKpi, OutcomePoint, QuarterlyReport, Respondent
from .quarters import Quarter
from .stages import Stage
from .validators import count_validators, fip_validators, share_validators

# The parts of a report that the services check as a whole, each a section of the form.
SECTIONS = ("progress", "kpis", "fip", "outcomes")
TEXT_AND_KPI_FIELDS = ("narrative", "obstacles", "adjustments", *KPI_FIELDS)


def _unit(goal: Goal) -> str:
    return "%" if goal.kind == GoalKind.PERCENTAGE else goal.unit


def count_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    """A count of people typed on a page: blank means none, never a negative number."""
    return forms.IntegerField(
        label=label,
        required=False,
        validators=count_validators,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-input input-width-xs"}),
        **kwargs,
    )


class MonitoringForm(SectionedForm):
    """A service's problems on the fields they name; a problem of a whole section (the goals,
    the KPIs, FIP, outcomes) is shown in that section and in the summary above the form."""

    sections = SECTIONS


# Milestones -------------------------------------------------------------------------------------


class MilestoneForm(MonitoringForm, forms.Form):
    """The planned activities of a quarter and, per goal, the value expected by its end."""

    planned_activities = text_field(
        _("Planned activities"), help_text=_("What the project plans to do in the quarter.")
    )

    def __init__(self, *args: Any, goals: Iterable[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            validators = share_validators if goal.kind == GoalKind.PERCENTAGE else []
            self.fields[self.field_name(goal)] = NumberField(
                label=_("Expected for “%(goal)s”") % {"goal": goal.title},
                required=True,
                min_value=0,
                validators=validators,
                help_text=_("Target %(target)s by the end of the project.")
                % {"target": f"{show_number(goal.target_value)} {_unit(goal)}".strip()},
                error_messages={"required": _("Give the value expected by the end of the quarter.")},
            )

    @staticmethod
    def field_name(goal: Goal) -> str:
        return f"expected_{goal.pk}"

    @classmethod
    def initial_from(cls, milestone: Milestone) -> dict[str, Any]:
        initial: dict[str, Any] = {"planned_activities": milestone.planned_activities}
        for value in milestone.expected.all():
            initial[f"expected_{value.goal_id}"] = value.value
        return initial

    def service_data(self) -> dict[str, Any]:
        return {
            "planned_activities": self.cleaned_data["planned_activities"],
            "expected": {goal.pk: self.cleaned_data[self.field_name(goal)] for goal in self.goals},
        }


class RampForm(MonitoringForm, forms.Form):
    """The planned ramp-up of each level goal: the quarters until it holds its target."""

    def __init__(self, *args: Any, goals: Iterable[Goal], quarters: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = [goal for goal in goals if goal.is_level]
        for goal in self.goals:
            self.fields[self.field_name(goal)] = forms.IntegerField(
                label=_("Ramp-up of “%(goal)s” (quarters)") % {"goal": goal.title},
                min_value=0,
                max_value=quarters,
                initial=goal.ramp_quarters,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-input input-width-xs"}),
                help_text=_(
                    "0: the target of %(target)s holds from the first quarter. 2: the expected value rises from the "
                    "baseline to the target over the first two quarters. Every quarter's expected value follows."
                )
                % {"target": f"{show_number(goal.target_value)} {_unit(goal)}".strip()},
                error_messages={
                    "required": _("Give the quarters of the ramp-up; 0 for none."),
                    "min_value": _("The ramp-up is 0 quarters or more."),
                    "max_value": _("The ramp-up is at most the grant's %(limit_value)s quarters."),
                },
            )

    @staticmethod
    def field_name(goal: Goal) -> str:
        return f"ramp_{goal.pk}"

    def service_data(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[self.field_name(goal)] for goal in self.goals}


# Quarterly reports ------------------------------------------------------------------------------


class QuarterForm(MonitoringForm, forms.Form):
    """Which quarter a new report is for: one of the grant's quarters that has begun and has none."""

    quarter_field = "quarter"
    quarter = forms.ChoiceField(
        label=_("Quarter"),
        error_messages={"required": _("Choose the quarter the report is for.")},
    )

    def __init__(self, *args: Any, quarters: Iterable[Quarter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quarters = list(quarters)
        self.fields["quarter"].choices = [(self.code(q), str(q)) for q in self.quarters]
        if self.quarters:
            self.fields["quarter"].initial = self.code(self.quarters[0])

    @staticmethod
    def code(quarter: Quarter) -> str:
        return f"{quarter.year}-{quarter.quarter}"

    def service_data(self) -> dict[str, Any]:
        year, quarter = self.cleaned_data["quarter"].split("-")
        return {"year": int(year), "quarter": int(quarter)}


@dataclass
class GoalRow:
    """A goal's line on a report form: its value (or, for a share, its n of N) and comment
    fields, and last quarter's value. A cohort goal whose cohort cannot exist yet has no fields,
    only `note` saying from when it is measured."""

    goal: Goal
    unit: str
    value: forms.BoundField | None
    comment: forms.BoundField | None
    previous: tuple[Quarter, Decimal] | None = None
    numerator: forms.BoundField | None = None
    denominator: forms.BoundField | None = None
    note: str = ""

    @property
    def previous_value(self) -> str:
        """The earlier quarter's value with its unit: 61 % or 5."""
        return f"{show_number(self.previous[1])} {self.unit}".strip() if self.previous else ""


@dataclass
class FipRow:
    dimension: Any  # the label
    fields: list[forms.BoundField]


@dataclass
class OutcomeRow:
    label: Any
    participants: forms.BoundField
    employed: forms.BoundField


class ReportForm(MonitoringForm, forms.Form):
    """Everything a quarterly report holds, on one page. Every field may be blank while the
    report is a draft; `services.submit_report` says what a report needs before SIRI gets it."""

    enrolled = count_field(_("People enrolled"), help_text=_("How many take part in the project now."))
    spent_to_date = MoneyField(
        label=_("Money spent to date (kr.)"),
        required=False,
        help_text=_("Of the grant, since the project started. For example 412.500"),
    )
    narrative = forms.CharField(
        label=_("What happened in the quarter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_no_cpr],
    )
    obstacles = forms.CharField(
        label=_("Obstacles"), required=False, widget=forms.Textarea(attrs={"rows": 4}), validators=[validate_no_cpr]
    )
    adjustments = forms.CharField(
        label=_("Adjustments"), required=False, widget=forms.Textarea(attrs={"rows": 4}), validators=[validate_no_cpr]
    )
    self_supporting_share = NumberField(
        label=_("Share self-supporting or in education (%)"), validators=share_validators
    )
    job_ready_share = NumberField(label=_("Share job-ready (%)"), validators=share_validators)
    company_activation_share = NumberField(
        label=_("Share in company-directed activation (%)"), validators=share_validators
    )

    def __init__(
        self,
        *args: Any,
        report: QuarterlyReport,
        goals: Iterable[Goal],
        previous: dict[int, tuple[Quarter, Decimal]],
        national: NationalKpi | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        self.goals = list(goals)
        self.previous = previous
        self.national = national
        self.section_errors: dict[str, list[Any]] = {}
        # A FIP average given through the API keeps its number of answers when the page saves it.
        self.fip_answers = {(s.dimension, s.respondent): s.n for s in report.fip.all()} if report.pk else {}
        grant = report.grant
        self.notes: dict[int, str] = {}
        for goal in self.goals:
            target = f"{show_number(goal.target_value)} {_unit(goal)}".strip()
            if goal.is_share:
                if not cohort_possible(goal, grant, report.period):
                    first = first_cohort_quarter(goal, grant)
                    self.notes[goal.pk] = _(
                        "Measured from %(first)s: by the end of %(quarter)s nobody can have been enrolled "
                        "%(months)s months, as the project started %(start)s."
                    ) % {
                        "first": first if first is not None else "–",
                        "quarter": report.period,
                        "months": goal.cohort_months,
                        "start": f"{grant.start_date:%d.%m.%Y}",
                    }
                    continue
                if goal.is_cohort:
                    total_label = _("Enrolled at least %(months)s months before the quarter ended (N)") % {
                        "months": goal.cohort_months
                    }
                    part_label = _("Of them: %(goal)s (n)") % {"goal": goal.title}
                    hint = _(
                        "The cohort: those who enrolled at least %(months)s months before %(end)s, and how many of "
                        "them meet the goal. The share is computed: 12 of 30 is 40 %%. Target %(target)s."
                    ) % {"months": goal.cohort_months, "end": f"{report.period.end:%d.%m.%Y}", "target": target}
                else:
                    total_label, part_label = _("Out of (N)"), _("How many (n)")
                    hint = _(
                        "As n of N, at the end of the quarter; the share is computed: 12 of 30 is 40 %%. Target "
                        "%(target)s."
                    ) % {"target": target}
                self.notes[goal.pk] = hint
                self.fields[f"goal_{goal.pk}_n"] = count_field(part_label)
                self.fields[f"goal_{goal.pk}_total"] = count_field(total_label)
            else:
                self.fields[f"goal_{goal.pk}"] = NumberField(
                    label=goal.title,
                    validators=count_validators,
                    help_text=(
                        _("So far, counted from the start of the project. Target %(target)s.")
                        if goal.cumulative
                        else _("At the end of this quarter. Target %(target)s.")
                    )
                    % {"target": target},
                )
            self.fields[f"goal_{goal.pk}_comment"] = forms.CharField(
                label=_("Comment on “%(goal)s”") % {"goal": goal.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-input"}),
                validators=[validate_no_cpr],
            )
        for name in KPI_FIELDS:
            average = national.kpis.get(name) if national else None
            self.fields[name].help_text = (
                _("National average in %(quarter)s: %(value)s %%")
                % {"quarter": report.period, "value": show_number(average)}
                if average is not None
                else _("SIRI has not entered the national average for %(quarter)s yet.") % {"quarter": report.period}
            )
        for dimension in FipDimension:
            for respondent in Respondent:
                self.fields[self.fip_name(dimension, respondent)] = NumberField(
                    label=f"{dimension.label}, {respondent.label}",
                    validators=fip_validators,
                )
        for point in OutcomePoint:
            self.fields[f"outcome_{point}_participants"] = count_field(
                _("Participants (%(when)s)") % {"when": point.label}
            )
            self.fields[f"outcome_{point}_employed"] = count_field(
                _("In ordinary work (%(when)s)") % {"when": point.label}
            )

    @staticmethod
    def fip_name(dimension: str, respondent: str) -> str:
        return f"fip_{dimension}_{respondent}"

    @classmethod
    def initial_from(cls, report: QuarterlyReport) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(report, name) for name in ("enrolled", "spent_to_date", *TEXT_AND_KPI_FIELDS)
        }
        for progress in report.progress.all():
            initial[f"goal_{progress.goal_id}"] = progress.value
            initial[f"goal_{progress.goal_id}_n"] = progress.numerator
            initial[f"goal_{progress.goal_id}_total"] = progress.denominator
            initial[f"goal_{progress.goal_id}_comment"] = progress.comment
        for score in report.fip.all():
            initial[cls.fip_name(score.dimension, score.respondent)] = score.average
        for outcome in report.outcomes.all():
            initial[f"outcome_{outcome.point}_participants"] = outcome.participants
            initial[f"outcome_{outcome.point}_employed"] = outcome.employed
        return initial

    # The page's groups -------------------------------------------------------------------------

    def _bound(self, name: str) -> forms.BoundField | None:
        return self[name] if name in self.fields else None

    def goal_rows(self) -> list[GoalRow]:
        return [
            GoalRow(
                goal,
                _unit(goal),
                self._bound(f"goal_{goal.pk}"),
                self._bound(f"goal_{goal.pk}_comment"),
                self.previous.get(goal.pk),
                numerator=self._bound(f"goal_{goal.pk}_n"),
                denominator=self._bound(f"goal_{goal.pk}_total"),
                note=self.notes.get(goal.pk, ""),
            )
            for goal in self.goals
        ]

    def _goal_names(self, goal: Goal) -> list[str]:
        return [
            name
            for name in (f"goal_{goal.pk}", f"goal_{goal.pk}_n", f"goal_{goal.pk}_total", f"goal_{goal.pk}_comment")
            if name in self.fields
        ]

    def kpi_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in KPI_FIELDS]

    def fip_rows(self) -> list[FipRow]:
        return [
            FipRow(dimension.label, [self[self.fip_name(dimension, respondent)] for respondent in Respondent])
            for dimension in FipDimension
        ]

    def outcome_rows(self) -> list[OutcomeRow]:
        return [
            OutcomeRow(point.label, self[f"outcome_{point}_participants"], self[f"outcome_{point}_employed"])
            for point in OutcomePoint
        ]

    def respondents(self) -> list[Any]:
        return [respondent.label for respondent in Respondent]

    # Checks and data ----------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for goal in self.goals:
            comment_name = f"goal_{goal.pk}_comment"
            if comment_name not in self.fields:
                continue
            if goal.is_share:
                names = (f"goal_{goal.pk}_n", f"goal_{goal.pk}_total")
                if any(name in self.errors for name in names):
                    continue
                given = [data.get(name) is not None for name in names]
                if any(given) and not all(given):
                    self.add_error(names[given.index(False)], _("Give both n and N: how many of how many."))
                elif not any(given) and (data.get(comment_name) or "").strip():
                    self.add_error(names[0], _("Give n of N, or the comment has nothing to explain."))
                elif all(given) and data[names[0]] > data[names[1]]:
                    self.add_error(
                        names[0],
                        _("%(n)s of %(total)s is impossible: n cannot be more than N.")
                        % {"n": data[names[0]], "total": data[names[1]]},
                    )
                continue
            value_name = f"goal_{goal.pk}"
            if (
                data.get(value_name) is None
                and value_name not in self.errors
                and (data.get(comment_name) or "").strip()
            ):
                self.add_error(value_name, _("Give a value, or the comment has nothing to explain."))
        for point in OutcomePoint:
            names = (f"outcome_{point}_participants", f"outcome_{point}_employed")
            if any(name in self.errors for name in names):
                continue
            given = [data.get(name) is not None for name in names]
            if any(given) and not all(given):
                missing = names[given.index(False)]
                self.add_error(missing, _("Give both the participants and how many of them are in ordinary work."))
        return data

    def _section_valid(self, names: Iterable[str]) -> bool:
        return not any(name in self.errors for name in names)

    def service_data(self) -> dict[str, Any]:
        """What `services.update_report` takes, of the parts that are valid: a field in error
        keeps its saved value (a section in error keeps all of its saved values), so that
        saving while typing never stops at one mistake."""
        self.is_valid()
        data = self.cleaned_data
        result: dict[str, Any] = {
            name: data.get(name)
            for name in ("enrolled", "spent_to_date", "narrative", "obstacles", "adjustments")
            if name not in self.errors
        }
        for name in ("narrative", "obstacles", "adjustments"):
            if name in result:
                result[name] = result[name] or ""
        kpis = {name: data.get(name) for name in KPI_FIELDS if name not in self.errors}
        if kpis:
            result["kpis"] = kpis
        goal_names = [name for goal in self.goals for name in self._goal_names(goal)]
        if self._section_valid(goal_names):
            result["progress"] = [row for goal in self.goals if (row := self._progress_row(goal, data)) is not None]
        fip_names = [self.fip_name(d, r) for d in FipDimension for r in Respondent]
        if self._section_valid(fip_names):
            result["fip"] = [
                {
                    "dimension": dimension.value,
                    "respondent": respondent.value,
                    "average": data[self.fip_name(dimension, respondent)],
                    "n": self.fip_answers.get((dimension.value, respondent.value), 0),
                }
                for dimension in FipDimension
                for respondent in Respondent
                if data.get(self.fip_name(dimension, respondent)) is not None
            ]
        outcome_names = [f"outcome_{p}_{s}" for p in OutcomePoint for s in ("participants", "employed")]
        if self._section_valid(outcome_names):
            result["outcomes"] = [
                {
                    "point": point.value,
                    "participants": data[f"outcome_{point}_participants"],
                    "employed": data[f"outcome_{point}_employed"],
                }
                for point in OutcomePoint
                if data.get(f"outcome_{point}_participants") is not None
            ]
        return result

    @staticmethod
    def part(name: str) -> str:
        """The key of `services.update_report`'s data that field `name` is written through."""
        for prefix, part in (("goal_", "progress"), ("fip_", "fip"), ("outcome_", "outcomes")):
            if name.startswith(prefix):
                return part
        return "kpis" if name in KPI_FIELDS else name

    def changes(self, names: Iterable[str]) -> dict[str, Any]:
        """`service_data` of only the parts holding the fields `names` (of the KPIs, only those
        named): a part written as a whole is written with every value this form holds."""
        names = set(names)
        parts = {self.part(name) for name in names}
        data = {key: value for key, value in self.service_data().items() if key in parts}
        if "kpis" in data:
            data["kpis"] = {name: value for name, value in data["kpis"].items() if name in names}
        return data

    @staticmethod
    def _progress_row(goal: Goal, data: dict[str, Any]) -> dict[str, Any] | None:
        """A goal's row for the service, or None when nothing is given for it."""
        comment = data.get(f"goal_{goal.pk}_comment", "")
        if goal.is_share:
            numerator, denominator = data.get(f"goal_{goal.pk}_n"), data.get(f"goal_{goal.pk}_total")
            if numerator is None or denominator is None:
                return None
            return {"goal": goal.pk, "numerator": numerator, "denominator": denominator, "comment": comment}
        value = data.get(f"goal_{goal.pk}")
        return None if value is None else {"goal": goal.pk, "value": value, "comment": comment}


class ReasonForm(core_forms.ReasonForm):
    seen_by = _("The municipality will see it.")
    missing = _("Give a reason; the municipality will see it.")


# The pool dashboard -----------------------------------------------------------------------------


class DashboardFilter(MunicipalityFilter):
    municipality_label = _("Municipality (lead or partner)")
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("All stages")), *Stage.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the values offered.")},
    )


class FollowUpForm(core_forms.DesignSystemForm, forms.Form):
    """The follow-up after the end at one point, on the page; the service checks the rest (the
    point's day, once per point, in work or education ≤ completed) and its problems land here."""

    completed = forms.IntegerField(
        label=_("Participants who completed the project"),
        validators=count_validators,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-input input-width-xs"}),
    )
    in_work_or_education = forms.IntegerField(
        label=_("Of them in work or education"),
        validators=count_validators,
        help_text=_("Of those who completed: how many are in a job or in an education on the point's day."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-input input-width-xs"}),
    )
    comment = text_field(_("Comment"), rows=3, help_text=_("Aggregates only: no names or CPR numbers."))

    def service_data(self, point: str) -> dict[str, Any]:
        return {"point": point, **self.cleaned_data}
