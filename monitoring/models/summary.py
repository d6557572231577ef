from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Grant, Pool
from core.constraints import Check
from core.money import MONEY_FIELD

from ..quarters import Quarter


class GrantProgress(models.Model):
    """What `progress.read_project` computes of a grant from its reports, kept so that the pool
    dashboard reads one small row per project instead of every report (issue 16). Nothing here
    is entered by hand: `summary.refresh` writes it after each change of a report, milestone,
    goal or grant (signals.py), `manage.py rebuild_progress` writes it anew.

    It is what does not move with the calendar: the reference quarter (the latest handed-in
    report), each goal's reading against it, the budget and performance signals and the reference
    report's figures. Lateness moves every day and is read from the milestones when a page asks.
    A row holds from `as_of` until `valid_until` (a report handed in for a quarter that had not
    begun on `as_of` counts from the quarter's first day); outside that it is computed afresh."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, primary_key=True, related_name="progress_summary")
    as_of = models.DateField(_("computed as of"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reference_year = models.PositiveSmallIntegerField(_("reference year"), null=True, blank=True)
    reference_quarter = models.PositiveSmallIntegerField(_("reference quarter"), null=True, blank=True)
    # Per goal, in the order of the application's goals: {"goal": id, "actual", "expected",
    # "percent", "status", "trend", "numerator", "denominator", "forecast", "reached"}; numbers
    # and dates as strings.
    goals = models.JSONField(_("goals"), default=list)
    # The goals' statuses alone, in the same order, separated by commas ("-" for a goal without
    # figures; `pool_summary.status_counts`): what a whole pool's charts count, without decoding every
    # goal's figures (issue 16). Text, not JSON: decoding 600 lists was part of every request.
    statuses = models.TextField(_("goal statuses"), blank=True, default="")
    budget_level = models.CharField(_("budget risk"), max_length=10, blank=True)
    budget_value = models.DecimalField(_("spent of plan (%)"), max_digits=9, decimal_places=1, null=True, blank=True)
    performance_level = models.CharField(_("performance risk"), max_length=10, blank=True)
    performance_value = models.DecimalField(
        _("goals on track (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    spent = models.DecimalField(_("spent to date"), **MONEY_FIELD, null=True, blank=True)
    # The reference report's KPIs ({name: value as a string or None}).
    kpis = models.JSONField(_("KPIs"), default=dict)
    # The reports due, oldest first, separated by commas: the quarter, its due date and, once
    # handed in, the local date it first was ("2026-2 2026-07-30 2026-07-25"; ISO dates compare as
    # dates; `summary.calendar_entry`). The pool dashboard counts lateness and timeliness from it
    # on the day of asking, instead of joining every milestone of the pool to its report twice a
    # request (issue 16). Text, not JSON: decoding 600 lists of strings was a tenth of that page.
    calendar = models.TextField(_("reporting calendar"), blank=True, default="")
    # What the row was computed under (`summary.version`: the code's format and the thresholds of
    # settings.MONITORING): a row of another version no longer holds and is computed anew.
    version = models.CharField(_("version"), max_length=16, blank=True, default="")
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("grant progress")
        verbose_name_plural = _("grant progress")
        constraints = [
            Check(
                condition=Q(reference_quarter__isnull=True) | Q(reference_quarter__gte=1, reference_quarter__lte=4),
                name="grant_progress_quarter_1_4",
                field="reference_quarter",
                message=_("A quarter is 1, 2, 3 or 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.reference}"

    @property
    def reference(self) -> Quarter | None:
        if self.reference_year is None or self.reference_quarter is None:
            return None
        return Quarter(self.reference_year, self.reference_quarter)


def new_token() -> str:
    return uuid.uuid4().hex


class PoolStamp(models.Model):
    """A token that changes after every committed change to what the pool dashboard adds up of the
    pool's grants (`pool_snapshot`): the key under which those figures of the whole pool are kept
    in the cache, so that a change makes them be computed anew and nothing has to find and delete
    them. A token, not a counter: a transaction rolled back (or a database restored) cannot bring
    back a key whose figures were computed from rows it took away."""

    pool = models.OneToOneField(Pool, on_delete=models.CASCADE, primary_key=True, related_name="figures_stamp")
    token = models.CharField(_("token"), max_length=32, default=new_token)

    class Meta:
        verbose_name = _("pool figures stamp")
        verbose_name_plural = _("pool figures stamps")

    def __str__(self) -> str:
        return f"{self.pool_id}: {self.token}"
