"""What a quarterly report may say, checked once for every entry point (the API, the pages, the
demo). Reports cannot lie about time or money:

- the quarter: inside the grant period, begun before a draft is started, ended before the report
  is submitted;
- the money: never more spent than granted;
- the goals: a share is n of N, n never above N, and the product computes the percentage; a
  cohort goal ("40 % self-supporting 12 months after enrolment") counts only those enrolled long
  enough before the quarter's end, so nobody before the project is that old;
- the outcomes at project end, 3 and 12 months after: not before those days;
- a report with every figure empty is no report.

Each function returns every problem it finds, each on its field, for `DomainError.invalid`.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from applications.models import Goal, GoalKind, Grant, GrantState
from core.errors import NON_FIELD, DomainError, validator_messages
from core.money import format_dkk

from .models import COUNTING_STATES, KPI_FIELDS, FipDimension, GoalProgress, OutcomePoint, QuarterlyReport, Respondent
from .quarters import Quarter, add_months, quarters_between
from .validators import amount_validators, count_validators, fip_validators, share_validators

CLOSED = _("The grant is closed and can no longer be changed.")


def refuse_if_closed(grant: Grant) -> None:
    """A closed grant is read-only (its follow-ups after the end excepted): 409."""
    if grant.state == GrantState.CLOSED:
        raise DomainError.conflict(CLOSED)


Problems = dict[str, list[Any]]

# Months after the project's end at which each outcome is counted.
OUTCOME_MONTHS = {OutcomePoint.END: 0, OutcomePoint.AFTER_3_MONTHS: 3, OutcomePoint.AFTER_12_MONTHS: 12}


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def day(value: datetime.date) -> str:
    return f"{value:%d.%m.%Y}"


def number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


# Goals -------------------------------------------------------------------------------------------


def share_value(numerator: int, denominator: int) -> Decimal | None:
    """n of N in percent with two decimals; None for an empty cohort (N = 0)."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def first_cohort_quarter(goal: Goal, grant: Grant) -> Quarter | None:
    """The first quarter whose end lies `cohort_months` after the project's start: before it
    nobody can have been enrolled that long. None for a goal that is no cohort goal or a cohort
    that cannot exist within the period."""
    if goal.cohort_months is None:
        return None
    ready = add_months(grant.start_date, goal.cohort_months)
    return next((q for q in quarters_between(grant.start_date, grant.end_date) if q.end >= ready), None)


def cohort_possible(goal: Goal, grant: Grant, period: Quarter) -> bool:
    """Whether anyone can be in the goal's cohort at the end of `period` (always, for a goal that
    is no cohort goal)."""
    if goal.cohort_months is None:
        return True
    return period.end >= add_months(grant.start_date, goal.cohort_months)


def measurable(goal: Goal, grant: Grant, period: Quarter) -> bool:
    """Whether the report of `period` must give the goal: a cohort goal only once its cohort exists."""
    return cohort_possible(goal, grant, period)


def previous_values(grant: Grant, period: Quarter) -> dict[int, Decimal]:
    """Each goal's latest value handed in for a quarter before `period`."""
    values: dict[int, Decimal] = {}
    earlier = (
        GoalProgress.objects.filter(report__grant=grant, report__state__in=COUNTING_STATES, value__isnull=False)
        .exclude(report__year__gt=period.year)
        .exclude(report__year=period.year, report__quarter__gte=period.quarter)
        .order_by("report__year", "report__quarter")
        .values_list("goal_id", "value")
    )
    for goal_id, value in earlier:
        values[goal_id] = value
    return values


def _share_problems(goal: Goal, grant: Grant, period: Quarter, row: dict[str, Any]) -> list[Any]:
    """n of N of a percentage goal; sets row["value"] to the share the product computes."""
    numerator, denominator, sent = row.get("numerator"), row.get("denominator"), row.get("value")
    title = goal.title
    if numerator is None and denominator is None:
        if sent is not None:
            return [
                _(
                    "“%(goal)s” is a share: give it as n of N (numerator and denominator, e.g. 12 of 30); "
                    "the percentage is computed from them."
                )
                % {"goal": title}
            ]
        return [_("Give n of N for “%(goal)s”.") % {"goal": title}]
    if numerator is None or denominator is None:
        return [_("Give both n and N of “%(goal)s”: how many of how many.") % {"goal": title}]
    given = validator_messages(count_validators, numerator) + validator_messages(count_validators, denominator)
    problems = [f"{title}: {message}" for message in given]
    if problems:
        return problems
    if numerator > denominator:
        return [
            _("“%(goal)s”: %(n)s of %(total)s is impossible; n cannot be more than N, a share is at most 100 %%.")
            % {"goal": title, "n": numerator, "total": denominator}
        ]
    if goal.is_cohort and not cohort_possible(goal, grant, period):
        if denominator:
            first = first_cohort_quarter(goal, grant)
            return [
                _(
                    "“%(goal)s” counts those enrolled at least %(months)s months before the quarter ends: by "
                    "%(end)s nobody can be, as the project started %(start)s. The first cohort is measured "
                    "for %(first)s."
                )
                % {
                    "goal": title,
                    "months": goal.cohort_months,
                    "end": day(period.end),
                    "start": day(grant.start_date),
                    "first": first if first is not None else _("no quarter of the project"),
                }
            ]
    elif not denominator and not goal.is_cohort:
        return [_("“%(goal)s”: N is at least 1; a share of nobody is no figure.") % {"goal": title}]
    computed = share_value(numerator, denominator)
    if sent is not None and computed is not None and sent.quantize(Decimal("0.01")) != computed:
        return [
            _("“%(goal)s”: %(sent)s %% is not %(n)s of %(total)s (%(share)s %%); give n and N only.")
            % {"goal": title, "sent": number(sent), "n": numerator, "total": denominator, "share": number(computed)}
        ]
    row["value"] = computed
    return []


def progress_problems(grant: Grant, period: Quarter, rows: list[dict[str, Any]]) -> list[Any]:
    goals = {goal.pk: goal for goal in grant.application.goals.all()}
    previous = previous_values(grant, period)
    problems: list[Any] = []
    seen: set[int] = set()
    for row in rows:
        goal_ref = row.get("goal")
        goal = goals.get(goal_ref.pk if isinstance(goal_ref, Goal) else as_int(goal_ref))
        if goal is None:
            problems.append(
                _("Goal %(goal)s is not a goal of this grant.") % {"goal": getattr(goal_ref, "pk", goal_ref)}
            )
            continue
        if goal.pk in seen:
            problems.append(_("“%(goal)s” is given twice.") % {"goal": goal.title})
            continue
        seen.add(goal.pk)
        if goal.is_share:
            found = _share_problems(goal, grant, period, row)
            problems.extend(found)
            if found:
                continue
        elif row.get("numerator") is not None or row.get("denominator") is not None:
            problems.append(_("“%(goal)s” is not a share: give its value, not n of N.") % {"goal": goal.title})
            continue
        value = row.get("value")
        if value is None:
            if not goal.is_share:
                problems.append(_("Give a value for “%(goal)s”.") % {"goal": goal.title})
            continue
        validators = share_validators if goal.kind == GoalKind.PERCENTAGE else count_validators
        problems.extend(f"{goal.title}: {message}" for message in validator_messages(validators, value))
        before = previous.get(goal.pk)
        if goal.cumulative and before is not None and value < before and not (row.get("comment") or "").strip():
            problems.append(
                _("“%(goal)s” went down from %(before)s to %(value)s; a cumulative count needs a comment saying why.")
                % {"goal": goal.title, "before": number(before), "value": number(value)}
            )
    return problems


# FIP and outcomes ----------------------------------------------------------------------------------


def fip_problems(rows: list[dict[str, Any]]) -> list[Any]:
    problems: list[Any] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        dimension, respondent = row.get("dimension"), row.get("respondent")
        if dimension not in FipDimension.values:
            problems.append(
                _("%(value)s is not a FIP dimension; use one of %(allowed)s.")
                % {"value": dimension, "allowed": ", ".join(FipDimension.values)}
            )
            continue
        if respondent not in Respondent.values:
            problems.append(_("%(value)s is not a respondent; use citizen or caseworker.") % {"value": respondent})
            continue
        if (dimension, respondent) in seen:
            problems.append(
                _("%(dimension)s (%(respondent)s) is given twice.") % {"dimension": dimension, "respondent": respondent}
            )
        seen.add((dimension, respondent))
        problems.extend(
            f"{dimension} ({respondent}): {m}" for m in validator_messages(fip_validators, row.get("average"))
        )
        problems.extend(
            f"{dimension} ({respondent}): {m}" for m in validator_messages(count_validators, row.get("n", 0))
        )
    return problems


def outcome_day(grant: Grant, point: str) -> datetime.date:
    """The day an outcome is counted: the project's end, or 3 or 12 months after it."""
    return add_months(grant.end_date, OUTCOME_MONTHS[OutcomePoint(point)])


def outcome_too_early(grant: Grant, point: str, today: datetime.date) -> Any | None:
    when = outcome_day(grant, point)
    if today >= when:
        return None
    return _("“%(point)s” can be reported from %(day)s (the project ends %(end)s), not before.") % {
        "point": OutcomePoint(point).label,
        "day": day(when),
        "end": day(grant.end_date),
    }


def outcome_problems(grant: Grant, rows: list[dict[str, Any]], today: datetime.date) -> list[Any]:
    problems: list[Any] = []
    seen: set[str] = set()
    for row in rows:
        point = row.get("point")
        if point not in OutcomePoint.values:
            problems.append(
                _("%(value)s is not an outcome point; use one of %(allowed)s.")
                % {"value": point, "allowed": ", ".join(OutcomePoint.values)}
            )
            continue
        if point in seen:
            problems.append(_("The outcome %(point)s is given twice.") % {"point": point})
        seen.add(point)
        early = outcome_too_early(grant, point, today)
        if early is not None:
            problems.append(early)
        participants, employed = row.get("participants"), row.get("employed")
        problems.extend(
            validator_messages(count_validators, participants) + validator_messages(count_validators, employed)
        )
        if isinstance(participants, int) and isinstance(employed, int) and employed > participants:
            problems.append(
                _("More in work (%(employed)s) than participants (%(participants)s).")
                % {"employed": employed, "participants": participants}
            )
    return problems


# The report ----------------------------------------------------------------------------------------


def period_problems(grant: Grant, year: Any, quarter: Any, today: datetime.date) -> Problems:
    if not isinstance(quarter, int) or not 1 <= quarter <= 4:
        return {"quarter": [_("The quarter is 1, 2, 3 or 4.")]}
    if not isinstance(year, int):
        return {"year": [_("Give the year.")]}
    period = Quarter(year, quarter)
    if period not in quarters_between(grant.start_date, grant.end_date):
        return {
            "quarter": [
                _("%(quarter)s is outside the grant period %(start)s–%(end)s.")
                % {"quarter": period, "start": day(grant.start_date), "end": day(grant.end_date)}
            ]
        }
    if period.start > today:
        return {"quarter": [_("%(quarter)s has not begun yet.") % {"quarter": period}]}
    return {}


def spent_problems(grant: Grant, spent: Decimal | None) -> list[Any]:
    messages = validator_messages(amount_validators, spent) if spent is not None else []
    if not messages and spent is not None and spent > grant.amount:
        messages.append(
            _("%(spent)s is more than the grant of %(amount)s: no more than the grant can have been spent.")
            % {"spent": format_dkk(spent), "amount": format_dkk(grant.amount)}
        )
    return messages


def report_problems(grant: Grant, period: Quarter, data: dict[str, Any], today: datetime.date) -> Problems:
    """What is wrong with a report's values; every problem, each on its field. Shares in
    data["progress"] get their computed value."""
    errors: Problems = {}

    def add(name: str, messages: list[Any]) -> None:
        if messages:
            errors.setdefault(name, []).extend(messages)

    if data.get("enrolled") is not None:
        add("enrolled", validator_messages(count_validators, data["enrolled"]))
    if data.get("spent_to_date") is not None:
        add("spent_to_date", spent_problems(grant, data["spent_to_date"]))
    kpis = data.get("kpis") or {}
    unknown = sorted(set(kpis) - set(KPI_FIELDS))
    if unknown:
        add("kpis", [_("Unknown KPIs: %(names)s.") % {"names": ", ".join(unknown)}])
    for name in KPI_FIELDS:
        if kpis.get(name) is not None:
            add("kpis", [f"{name}: {message}" for message in validator_messages(share_validators, kpis[name])])
    if "progress" in data:
        add("progress", progress_problems(grant, period, data["progress"] or []))
    if "fip" in data:
        add("fip", fip_problems(data["fip"] or []))
    if "outcomes" in data:
        add("outcomes", outcome_problems(grant, data["outcomes"] or [], today))
    return errors


def has_figures(report: QuarterlyReport) -> bool:
    """Whether the report states any figure at all (a text is no figure)."""
    return (
        report.enrolled is not None
        or report.spent_to_date is not None
        or any(getattr(report, name) is not None for name in KPI_FIELDS)
        or report.progress.exists()
        or report.fip.exists()
        or report.outcomes.exists()
    )


def submit_problems(report: QuarterlyReport, today: datetime.date) -> Problems:
    """What stops a draft from being handed in, every problem at once."""
    grant = report.grant
    period = report.period
    problems: Problems = {}
    if period.end >= today:
        problems["quarter"] = [
            _("The report for %(quarter)s can be submitted once the quarter has ended, from %(day)s.")
            % {"quarter": period, "day": day(period.end + datetime.timedelta(days=1))}
        ]
    if not has_figures(report):
        problems[NON_FIELD] = [_("Every figure of the report is empty; a report needs the figures of its quarter.")]
    # The figures SIRI reads first: a report without them is not a report.
    goals = list(grant.application.goals.all())
    reported = set(report.progress.values_list("goal_id", flat=True))
    absent = [goal.title for goal in goals if goal.pk not in reported and measurable(goal, grant, period)]
    if absent:
        problems["progress"] = [_("Give a value for every goal; missing: %(goals)s.") % {"goals": ", ".join(absent)}]
    if report.spent_to_date is None:
        problems["spent_to_date"] = [_("Give the money spent to date.")]
    else:
        spent = spent_problems(grant, report.spent_to_date)
        if spent:
            problems["spent_to_date"] = spent
    if report.enrolled is None:
        problems["enrolled"] = [_("Give the number of people enrolled.")]
    if not report.narrative.strip():
        problems["narrative"] = [_("Describe what happened in the quarter.")]
    early = [outcome_too_early(grant, outcome.point, today) for outcome in report.outcomes.all()]
    if any(early):
        problems["outcomes"] = [message for message in early if message is not None]
    return problems
