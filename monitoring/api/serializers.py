"""The shapes of the monitoring API. Serializers here only parse types (a number that is no
number is a 400 on its field); the rules of the domain live in `monitoring.services`, whose
`DomainError` the API's exception handler maps to 400/409, so that the pages and the API give
the same answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, NamedTuple

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.models import Grant
from core.api import RowSerializer
from core.money import MONEY_FIELD
from core.validators import validate_no_cpr

from ..extensions import GRANT_FIELDS
from ..models import (
    KPI_FIELDS,
    ExpectedValue,
    FipDimension,
    FipScore,
    FollowUpPoint,
    GoalProgress,
    Milestone,
    NationalKpi,
    Outcome,
    OutcomePoint,
    QuarterlyReport,
    Respondent,
)

# The columns' ranges: a value outside them is not of the type, whatever the domain says.
MAX_COUNT = 2**31 - 1
YEAR = {"min_value": 1, "max_value": 9999}
MONEY = {**MONEY_FIELD, "coerce_to_string": True}
# Shares, FIP averages: two decimals at most; the range (0–100, 1–7) is the services' to name.
TWO_PLACES = {"max_digits": None, "decimal_places": 2}
# Computed figures: shown as they are, with the places the computation gave them.
COMPUTED = {"max_digits": None, "decimal_places": None, "read_only": True, "allow_null": True}


def _codes(choices: Any) -> str:
    return ", ".join(choices.values)


# Grants and milestones -------------------------------------------------------------------------


class ExpectedValueSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text=_("The id of one of the grant's goals."))
    value = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=_("A number or a decimal string."))


class MilestoneSerializer(serializers.ModelSerializer):
    expected = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["id", "year", "quarter", "report_due_on", "planned_activities", "expected"]
        read_only_fields = fields

    @extend_schema_field(ExpectedValueSerializer(many=True))
    def get_expected(self, milestone: Milestone) -> list[dict[str, Any]]:
        # .all() on a prefetched relation: no query per milestone.
        return ExpectedValueSerializer(
            [{"goal": value.goal_id, "value": value.value} for value in milestone.expected.all()], many=True
        ).data


class MilestoneUpdateSerializer(serializers.Serializer):
    """`PATCH /milestones/{id}/`: planned activities and the values expected by the milestone."""

    planned_activities = serializers.CharField(required=False, allow_blank=True, validators=[validate_no_cpr])
    expected = ExpectedValueSerializer(many=True, required=False)

    def validate_expected(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        goals = [row["goal"] for row in rows]
        twice = sorted({goal for goal in goals if goals.count(goal) > 1})
        if twice:
            raise serializers.ValidationError([_("Goal %(goal)s is given twice.") % {"goal": goal} for goal in twice])
        return rows

    def service_data(self) -> dict[str, Any]:
        """What `services.update_milestone` takes: expected values as {goal id: Decimal}."""
        data = dict(self.validated_data)
        if "expected" in data:
            data["expected"] = {row["goal"]: row["value"] for row in data["expected"]}
        return data


class GrantSerializer(serializers.ModelSerializer):
    """A grant with its milestones, and the fields the apps built on monitoring add to it
    (`extensions.GRANT_FIELDS`: the grant administration's acceptance, audit level and money)."""

    amount = serializers.DecimalField(read_only=True, **MONEY)
    state = serializers.CharField(read_only=True)
    milestones = serializers.SerializerMethodField()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name, make in GRANT_FIELDS.items():
            fields[name] = make()
        return fields

    class Meta:
        model = Grant
        fields = [
            "id",
            "application",
            "amount",
            "start_date",
            "end_date",
            "conditions",
            "state",
            "granted_at",
            "milestones",
        ]
        read_only_fields = fields

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, grant: Grant) -> list[dict[str, Any]]:
        # What MilestoneSerializer gives, as plain dicts: a serializer per milestone (16 a grant,
        # 50 grants a page) was most of the grants list's time (issue 16). test_api holds the
        # two to the same output.
        # The list reads them as plain rows beforehand (`attach_milestones`); a detail prefetches them.
        rows = grant.__dict__.get("milestone_rows")
        if rows is not None:
            return rows
        return [milestone_data(milestone) for milestone in grant.milestones.all()]


_EXPECTED_VALUE = ExpectedValueSerializer().fields["value"]


def _expected_value(value: Decimal) -> str:
    """An expected value as ExpectedValueSerializer writes it ("12.50"). The database gives it
    with its two places already (the column's), so DRF's quantizing (a decimal context copied per
    value, 2.500 values on a page of 50 grants) changes nothing and is skipped; any other value
    goes through DRF."""
    if isinstance(value, Decimal) and value.as_tuple().exponent == -_EXPECTED_VALUE.decimal_places:
        return f"{value:f}"
    return _EXPECTED_VALUE.to_representation(value)


def milestone_data(milestone: Milestone) -> dict[str, Any]:
    """A milestone as MilestoneSerializer renders it, from its prefetched expected values."""
    return {
        "id": milestone.pk,
        "year": milestone.year,
        "quarter": milestone.quarter,
        "report_due_on": milestone.report_due_on.isoformat(),
        "planned_activities": milestone.planned_activities,
        "expected": [
            {"goal": value.goal_id, "value": _expected_value(value.value)} for value in milestone.expected.all()
        ],
    }


def attach_milestones(grants: list[Grant]) -> None:
    """The milestones of a page of grants as `milestone_data` renders them, read as plain rows in
    two queries (`grant.milestone_rows`): a prefetch makes a model and a queryset per milestone
    and expected value, 3.300 objects for a page of 50 grants, most of the list's time (issue 16)."""
    by_grant: dict[int, list[dict[str, Any]]] = {grant.pk: [] for grant in grants}
    milestones: dict[int, dict[str, Any]] = {}
    rows = (
        Milestone.objects.filter(grant__in=list(by_grant))
        .order_by("grant_id", "year", "quarter")
        .values_list("pk", "grant_id", "year", "quarter", "report_due_on", "planned_activities")
    )
    for pk, grant_id, year, quarter, due, activities in rows:
        row = {
            "id": pk,
            "year": year,
            "quarter": quarter,
            "report_due_on": due.isoformat(),
            "planned_activities": activities,
            "expected": [],
        }
        milestones[pk] = row
        by_grant[grant_id].append(row)
    if milestones:
        values = (
            ExpectedValue.objects.filter(milestone__grant__in=list(by_grant))
            .order_by("milestone_id", "goal_id")
            .values_list("milestone_id", "goal_id", "value")
        )
        for milestone_id, goal_id, value in values:
            milestones[milestone_id]["expected"].append({"goal": goal_id, "value": _expected_value(value)})
    for grant in grants:
        grant.milestone_rows = by_grant[grant.pk]  # type: ignore[attr-defined]


# Quarterly reports ------------------------------------------------------------------------------


class GoalProgressSerializer(RowSerializer):
    """A goal's figure in a report. A count or an average gives `value`. A share (a percentage
    goal) gives `numerator` of `denominator` (12 of 30), and `value` is the percentage computed
    from them: n can never pass N, so a share never passes 100 %. A cohort goal's n of N counts
    those enrolled at least its `cohort_months` before the quarter's end (0 of 0 while nobody is)."""

    goal = serializers.IntegerField(help_text=_("The id of one of the grant's goals."))
    value = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("A count or an average. For a share it is computed from numerator and denominator."),
    )
    numerator = serializers.IntegerField(
        required=False, allow_null=True, max_value=MAX_COUNT, help_text=_("A share only: n, how many of them.")
    )
    denominator = serializers.IntegerField(
        required=False, allow_null=True, max_value=MAX_COUNT, help_text=_("A share only: N, out of how many.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", validators=[validate_no_cpr])

    attributes: ClassVar[dict[str, str]] = {"goal": "goal_id"}  # the goal by its id, as it is written

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, GoalProgress):  # the goal by its id, as it is written
            instance = {
                "goal": instance.goal_id,
                "value": instance.value,
                "numerator": instance.numerator,
                "denominator": instance.denominator,
                "comment": instance.comment,
            }
        return super().to_representation(instance)


class KpisSerializer(serializers.Serializer):
    """The three central KPIs in percent. A key that is none of them is passed on, so that the
    services name it rather than it silently vanishing."""

    self_supporting_share = serializers.DecimalField(required=False, allow_null=True, **TWO_PLACES)
    job_ready_share = serializers.DecimalField(required=False, allow_null=True, **TWO_PLACES)
    company_activation_share = serializers.DecimalField(required=False, allow_null=True, **TWO_PLACES)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values = super().to_internal_value(data)
        for name in sorted(set(data) - set(KPI_FIELDS)):  # data is a dict: super() checked it
            values[name] = data[name]
        return values


class FipScoreSerializer(RowSerializer):
    dimension = serializers.CharField(help_text=_("One of: %(codes)s.") % {"codes": _codes(FipDimension)})
    respondent = serializers.CharField(help_text=_("One of: %(codes)s.") % {"codes": _codes(Respondent)})
    average = serializers.DecimalField(help_text=_("From 1 to 7."), **TWO_PLACES)
    n = serializers.IntegerField(required=False, default=0, max_value=MAX_COUNT, help_text=_("Answers."))


class OutcomeSerializer(RowSerializer):
    point = serializers.CharField(help_text=_("One of: %(codes)s.") % {"codes": _codes(OutcomePoint)})
    participants = serializers.IntegerField(max_value=MAX_COUNT)
    employed = serializers.IntegerField(max_value=MAX_COUNT, help_text=_("In ordinary work."))


class ProgressRow(NamedTuple):
    """A report's figure for a goal as the lists read it (`attach_contents`)."""

    goal_id: int
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    comment: str


class FipRow(NamedTuple):
    dimension: str
    respondent: str
    average: Decimal
    n: int


class OutcomeRow(NamedTuple):
    point: str
    participants: int
    employed: int


# What a list reads of each nested row, in the serializers' order: (relation, model, row, order).
_CONTENTS = (
    ("progress", GoalProgress, ProgressRow, ("goal_id",)),
    ("fip", FipScore, FipRow, ("dimension", "respondent")),
    ("outcomes", Outcome, OutcomeRow, ("point",)),
)


def attach_contents(reports: list[QuarterlyReport]) -> None:
    """A page of reports' figures, FIP scores and outcomes read as plain rows, a query each, where
    `report.progress.all()` and the others give them: a prefetch made a model of each, some 900
    for a page of 50 reports (issue 16). Only the serializer reads them."""
    ids = [report.pk for report in reports]
    for relation, model, row, order in _CONTENTS:
        rows: dict[int, list[Any]] = {pk: [] for pk in ids}
        for report_id, *values in (
            model.objects.filter(report_id__in=ids).order_by("report_id", *order).values_list("report_id", *row._fields)
        ):
            rows[report_id].append(row(*values))
        for report in reports:
            report.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = rows[report.pk]


class ReportSerializer(serializers.Serializer):
    """A quarterly report, read and written; `POST /grants/{id}/reports/` creates one."""

    id = serializers.IntegerField(read_only=True)
    grant = serializers.IntegerField(source="grant_id", read_only=True)
    year = serializers.IntegerField(**YEAR)
    quarter = serializers.IntegerField(help_text=_("1, 2, 3 or 4."))
    state = serializers.CharField(read_only=True)
    narrative = serializers.CharField(required=False, allow_blank=True, validators=[validate_no_cpr])
    obstacles = serializers.CharField(required=False, allow_blank=True, validators=[validate_no_cpr])
    adjustments = serializers.CharField(required=False, allow_blank=True, validators=[validate_no_cpr])
    spent_to_date = serializers.DecimalField(
        required=False, allow_null=True, help_text=_("DKK, a number or a decimal string."), **MONEY
    )
    enrolled = serializers.IntegerField(required=False, allow_null=True, max_value=MAX_COUNT)
    progress = GoalProgressSerializer(many=True, required=False)
    kpis = KpisSerializer(required=False)
    fip = FipScoreSerializer(many=True, required=False)
    outcomes = OutcomeSerializer(many=True, required=False)
    returned_reason = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    first_submitted_at = serializers.DateTimeField(read_only=True)
    national_kpis = serializers.SerializerMethodField()

    @extend_schema_field(KpisSerializer(allow_null=True))
    def get_national_kpis(self, report: QuarterlyReport) -> dict[str, Any] | None:
        """The national averages of the report's quarter, for reading the KPIs beside them. The
        view hands every national average in the context, so a list costs one query for them."""
        national = self.context.get("national_kpis")
        if national is None:
            kpi = NationalKpi.objects.filter(year=report.year, quarter=report.quarter).first()
        else:
            kpi = national.get((report.year, report.quarter))
        # The report's own KPI field writes them: a serializer made per report was a tenth of a list's time.
        return self.fields["kpis"].to_representation(kpi.kpis) if kpi is not None else None


class ReportUpdateSerializer(ReportSerializer):
    """`PATCH /reports/{id}/`: only the fields sent change. Not a partial serializer, so that each
    nested row is still parsed whole; a list sent replaces the old one."""

    year = serializers.IntegerField(required=False, **YEAR)
    quarter = serializers.IntegerField(required=False)


# Progress ------------------------------------------------------------------------------------------


class RampSerializer(serializers.Serializer):
    """`POST /grants/{id}/ramp/`: a level goal's planned ramp-up from its baseline to the target."""

    goal = serializers.IntegerField(help_text=_("The id of one of the grant's level goals."))
    ramp_quarters = serializers.IntegerField(
        min_value=0,
        max_value=MAX_COUNT,
        help_text=_("Quarters until the target; 0: the target from the first quarter."),
    )


class ProgressQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text=_("The day to read the project on; today by default."))


class GoalReadingSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="goal.pk", read_only=True)
    title = serializers.CharField(source="goal.title", read_only=True)
    target_group = serializers.CharField(
        source="goal.target_group.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("The target group the goal belongs to (e.g. the women); null for the whole project."),
    )
    kind = serializers.CharField(
        read_only=True,
        help_text=_(
            "cumulative: a count added up over the period, expected on a straight line from the baseline, "
            "with a forecast date. level: a share, an average or people at a time, expected at its target "
            "from its ramp-up point on, judged on the latest value, with a trend and no forecast date."
        ),
    )
    target_value = serializers.DecimalField(source="goal.target_value", **COMPUTED)
    actual = serializers.DecimalField(**COMPUTED)
    numerator = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("A share: n of the latest report (12 of 30); else null.")
    )
    denominator = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("A share: N of the latest report; else null.")
    )
    percent_of_target = serializers.DecimalField(**COMPUTED)
    expected_by_now = serializers.DecimalField(**COMPUTED)
    status = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "on_track, at_risk or off_track. Cumulative: at ≥ 90 % / ≥ 70 % of expected_by_now; level: at ≥ 100 % "
            "/ ≥ 90 % of it (settings.MONITORING)."
        ),
    )
    trend = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_("A level: rising, falling or flat over the last reports; else null."),
    )
    forecast_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("Cumulative: when the target is met at the current pace; null if never. Always null for a level."),
    )


class SignalSerializer(serializers.Serializer):
    level = serializers.CharField(read_only=True, allow_null=True, help_text="low, medium or high")
    value = serializers.DecimalField(**COMPUTED)


class SignalsSerializer(serializers.Serializer):
    reporting = SignalSerializer(
        read_only=True,
        help_text=_(
            "Days the longest overdue report is late: a quarterly report, or after the end the final "
            "report and accounts."
        ),
    )
    budget = SignalSerializer(read_only=True, help_text=_("Spending in percent of the plan by now."))
    performance = SignalSerializer(read_only=True, help_text=_("Share of the goals on track, in percent."))


class OutcomeReadingSerializer(OutcomeSerializer):
    share = serializers.DecimalField(**COMPUTED)


class ProjectProgressSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        source="figures_as_of",
        read_only=True,
        allow_null=True,
        help_text=_("The end of the latest quarter reported; null while nothing is reported."),
    )
    goals = GoalReadingSerializer(many=True, read_only=True)
    risk = serializers.CharField(read_only=True, allow_null=True, help_text="low, medium or high")
    signals = SignalsSerializer(source="*", read_only=True)
    outcomes = OutcomeReadingSerializer(many=True, read_only=True)


# National KPI averages ----------------------------------------------------------------------------


class NationalKpiSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(**YEAR)
    quarter = serializers.IntegerField(help_text=_("1, 2, 3 or 4."))
    self_supporting_share = serializers.DecimalField(required=False, allow_null=True, **TWO_PLACES)
    job_ready_share = serializers.DecimalField(required=False, allow_null=True, **TWO_PLACES)
    company_activation_share = serializers.DecimalField(required=False, allow_null=True, **TWO_PLACES)
    updated_at = serializers.DateTimeField(read_only=True)


class NationalKpiUpdateSerializer(NationalKpiSerializer):
    year = serializers.IntegerField(required=False, **YEAR)
    quarter = serializers.IntegerField(required=False)


# The follow-up after the end --------------------------------------------------------------------


class FollowUpSerializer(serializers.Serializer):
    """`GET, POST /grants/{id}/follow-ups/`: of the participants who completed, how many are in
    work or education at the point. Only the types are parsed here; the point's code, its date, a
    second one for the point, a missing figure and in work or education ≤ completed are the
    service's to name, so that one 400 names every problem (a missing field here would hide the
    others), which is why the three are not `required` for the parser although each must be given."""

    id = serializers.IntegerField(read_only=True)
    point = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Required. One of: %(codes)s. Recorded from the point's day (the grant's end + 3 or 12 months) on, "
            "once per point."
        )
        % {"codes": _codes(FollowUpPoint)},
    )
    completed = serializers.IntegerField(
        required=False, allow_null=True, max_value=MAX_COUNT, help_text=_("Required. Participants who completed.")
    )
    in_work_or_education = serializers.IntegerField(
        required=False,
        allow_null=True,
        max_value=MAX_COUNT,
        help_text=_("Required. Of those who completed, how many are in work or education."),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    due_on = serializers.DateField(
        read_only=True, help_text=_("The point's day plus the pool's days for handing in a report.")
    )
    submitted_at = serializers.DateTimeField(read_only=True)
