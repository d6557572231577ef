"""Where a pool's grants stand in their life cycle (issue 14), as the dashboard counts and filters
them: awaiting acceptance, active, final accounts due (the period has ended, the accounts are not
in, their due date, the end plus the pool's `final_report_days`, not yet passed), final accounts
late (that date passed, the grant still active), final accounts submitted, closed. A lapsed or
revoked grant is in none of them.

Read from the grant's state and dates alone: the transitions are the grant administration's
(awards), which monitoring does not import; the state is stored on the grant itself."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from applications.models import Grant, GrantState, Pool


class Stage(models.TextChoices):
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    ACTIVE = "active", _("Active")
    ACCOUNTS_DUE = "accounts_due", _("Final accounts due")
    ACCOUNTS_LATE = "accounts_late", _("Final accounts late")
    ACCOUNTS_SUBMITTED = "accounts_submitted", _("Final accounts submitted")
    CLOSED = "closed", _("Closed")


def stage_conditions(pool: Pool, today: datetime.date) -> dict[str, Q]:
    """Each stage as a condition on the pool's grants as of `today`."""
    # The accounts are due on end + final_report_days: not yet late while the end is on or after this.
    late_before = today - datetime.timedelta(days=pool.final_report_days)
    active = Q(state=GrantState.ACTIVE)
    return {
        Stage.AWAITING_ACCEPTANCE: Q(state=GrantState.AWAITING_ACCEPTANCE),
        Stage.ACTIVE: active & Q(end_date__gte=today),
        Stage.ACCOUNTS_DUE: active & Q(end_date__lt=today, end_date__gte=late_before),
        Stage.ACCOUNTS_LATE: active & Q(end_date__lt=late_before),
        Stage.ACCOUNTS_SUBMITTED: Q(state=GrantState.ACCOUNTS_SUBMITTED),
        Stage.CLOSED: Q(state=GrantState.CLOSED),
    }


def with_stage(grants: QuerySet[Grant], pool: Pool, today: datetime.date) -> QuerySet[Grant]:
    """The grants annotated with their stage (`stage`, "" for none), to count them as they are read."""
    whens = [When(q, then=Value(str(stage))) for stage, q in stage_conditions(pool, today).items()]
    return grants.annotate(stage=Case(*whens, default=Value(""), output_field=models.CharField()))


def count_stages(stages: list[str]) -> list[tuple[Stage, int]]:
    counts = Counter(stages)
    return [(stage, counts.get(str(stage), 0)) for stage in Stage]
