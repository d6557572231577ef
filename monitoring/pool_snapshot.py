"""The pool dashboard's figures of a whole pool, kept in the cache from one change to the next
(issue 16): every project's row, the late reports, the charts' sums and the municipalities of the
filter. Adding up 600 projects' summaries and today's lateness was two fifths of the page; SIRI
opens the same pool's dashboard many times between two reports handed in.

Kept under the pool's stamp (`PoolStamp.token`), the day and the summaries' `version`: after the
commit of any change to what the figures read (a grant, a report, a milestone, a goal, the money
and the final accounts the grant administration registers, an application's title, the pool's
days for the final accounts, a municipality's name) the token is new, so the next page computes
them anew; tomorrow's key is another. Figures computed while a project's summary was missing
(being rewritten, or rows loaded in bulk) are not kept: the page that computed them is right, but
nothing would renew the token once the summary is written (`manage.py rebuild_progress` and the
seeding renew them all). Every `migrate`, which each deployment runs, renews them too: a cache in
Redis outlives the processes, and a new release may count or keep the figures otherwise
(`SNAPSHOT_FORMAT` and the thresholds in the key say so for the running code).

Only whoever sees every grant (SIRI) shares them. The cache is Django's, as `core.cache` uses it
(`CACHE_URL`: Redis in production, each process's memory in the embedded default): one that
cannot be reached costs the page its speed, not its answer."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from applications.models import Application, Grant, Municipality, Pool
from core import cache as core_cache
from core.commit import once_after_commit

from .extensions import MoneyFigure, money_of
from .models import PoolStamp
from .models.summary import new_token
from .pool_figures import PoolFigures, merged, row_figures
from .pool_summary import KEPT_FIELDS, POOL_ORDER, KeptRow, LateReport, in_stage, pool_rows
from .stages import Stage
from .summary import rebuild, version

# Raised whenever what a kept snapshot holds changes shape (its fields, a KeptRow's, PoolFigures').
SNAPSHOT_FORMAT = 1
EVERY_STAGE = ""


@dataclass
class Snapshot:
    """Every project of a pool as the dashboard counts and pages them, in the tables' order."""

    rows: list[KeptRow]
    late: list[LateReport]
    figures: dict[str, PoolFigures]  # of every stage (EVERY_STAGE) and of each stage
    municipality_ids: list[int]  # the filter's: lead or partner of a granted application

    # The money figures' labels are lazy translations, and Django unpickles each as a class of its
    # own (`lazy`), a millisecond a page: kept as their keys, labelled anew when read.
    def __getstate__(self) -> dict[str, Any]:
        money = {stage: [(m.key, m.amount) for m in figures.money] for stage, figures in self.figures.items()}
        figures = {stage: replace(figures, money=[]) for stage, figures in self.figures.items()}
        return {**self.__dict__, "figures": figures, "money": money}

    def __setstate__(self, state: dict[str, Any]) -> None:
        money = state.pop("money")
        labels = {figure.key: figure.label for figure in money_of([])}
        for stage, figures in state["figures"].items():
            figures.money = [MoneyFigure(key, labels[key], amount) for key, amount in money[stage]]
        self.__dict__.update(state)

    def of_stage(self, stage: str | None) -> tuple[list[KeptRow], list[LateReport], PoolFigures]:
        """The rows, late reports and figures of the projects in `stage` (None: every stage)."""
        rows, late = in_stage(self.rows, self.late, stage)
        return rows, late, self.figures[stage or EVERY_STAGE]


def key(pool: Pool, today: datetime.date) -> str | None:
    """The cache key of the pool's figures today (the pool read with its `figures_stamp`); None
    for a pool without a stamp (made in bulk), whose figures are computed each time. Besides the
    token and the day: what the running code keeps and judges by (the summaries' `version`, the
    snapshot's shape, every threshold of settings.MONITORING, the days late among them)."""
    stamp = getattr(pool, "figures_stamp", None)
    if stamp is None:
        return None
    judged = hashlib.sha256(repr((SNAPSHOT_FORMAT, KEPT_FIELDS, sorted(settings.MONITORING.items()))).encode())
    return f"monitoring:pool-figures:{pool.pk}:{stamp.token}:{today.isoformat()}:{version()}:{judged.hexdigest()[:12]}"


def cached(name: str | None) -> Snapshot | None:
    return None if name is None else core_cache.get(name)


def _until_midnight(today: datetime.date) -> int:
    """Seconds until the day after `today` begins here: a day's figures are not asked for the next."""
    tomorrow = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), timezone.get_current_timezone()
    )
    return max(60, int((tomorrow - timezone.now()).total_seconds()))


def compute(
    grants: QuerySet[Grant], municipalities: QuerySet[Municipality], today: datetime.date, name: str | None
) -> Snapshot:
    """The figures of every grant of `grants` (annotated with their `stage`, `stages.with_stage`),
    kept under `name` unless a summary had to be computed on the spot."""
    read = pool_rows(grants.order_by(*POOL_ORDER), today)
    figures = {stage: row_figures([row for row in read.rows if row.stage == stage], today) for stage in Stage}
    # A grant in none of the stages (lapsed, revoked) is counted as in the pool's.
    others = row_figures([row for row in read.rows if row.stage not in figures], today)
    figures[EVERY_STAGE] = merged([*figures.values(), others])
    kept = [row.kept() for row in read.rows]
    snapshot = Snapshot(kept, read.late, figures, list(municipalities.values_list("pk", flat=True)))
    if name is not None and read.all_stored:
        core_cache.put(name, snapshot, _until_midnight(today))
    return snapshot


# Renewing the tokens ---------------------------------------------------------------------------


def rebuild_progress() -> int:
    """Every grant's progress summary written anew (`summary.rebuild`) and every pool's figures
    computed anew at the next look: after data loaded without the services (`manage.py
    rebuild_progress`, the seeding). The number of summaries written."""
    written = rebuild()
    renew(every=True)
    return written


class _Renewal:
    """The after-commit renewal of one transaction: the pools its changes touched."""

    def __init__(self) -> None:
        self.grant_ids: set[int] = set()
        self.pool_ids: set[int] = set()
        self.every = False

    def __call__(self) -> None:
        renew(grant_ids=self.grant_ids, pool_ids=self.pool_ids, every=self.every)


def renew(
    *, grant_ids: Iterable[int] = (), pool_ids: Iterable[int] = (), every: bool = False, using: str = "default"
) -> None:
    """New tokens for the pools of these grants and these pools: one query. Or for every pool,
    with a stamp for each pool made in bulk without one (`manage.py seed_scale`)."""
    stamps = PoolStamp.objects.using(using)
    if every:
        unstamped = Pool.objects.using(using).filter(figures_stamp__isnull=True).values_list("pk", flat=True)
        stamps.bulk_create([PoolStamp(pool_id=pk) for pk in unstamped], ignore_conflicts=True)
    else:
        pools = Application.objects.using(using).filter(award__in=list(grant_ids)).values("pool_id")
        stamps = stamps.filter(Q(pool_id__in=list(pool_ids)) | Q(pool_id__in=pools))
    stamps.update(token=new_token())


def stale(*, grant_id: int | None = None, pool_id: int | None = None, every: bool = False) -> None:
    """A change to what the figures of a pool read (of the grant's pool, the pool, or every pool):
    its token is renewed once the change is committed, once per transaction."""
    if grant_id is None and pool_id is None and not every:
        return
    pending = once_after_commit(_Renewal)
    if pending is None:
        renew(grant_ids=[grant_id] if grant_id else [], pool_ids=[pool_id] if pool_id else [], every=every)
        return
    if grant_id is not None:
        pending.grant_ids.add(grant_id)
    if pool_id is not None:
        pending.pool_ids.add(pool_id)
    pending.every = pending.every or every
