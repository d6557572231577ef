"""Which figures of the demo are illustrative, said once (core.illustrative): the demo loaders
before this one (applications/demo.py, monitoring/demo.py) build their objects; this marks those
of them whose figures the source documents (shared/seeds) do not give, so that the pages showing
them say "Illustrative figures". Only objects the demo made are marked, found by the names the
demo gives them; marking again changes nothing. (Gribskov's project marks its own objects.)"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from applications.demo import AMBASSADOR_POOL, JOB_UNIT_POOL
from applications.models import Application, Pool
from core.illustrative import mark
from core.models import Illustrative

from .demo import PROJECT_MUNICIPALITY, PROJECT_TITLE
from .models import NationalKpi, QuarterlyReport

POOL_NOTE = (
    "Puljens budget, største tilskud, ansøgningsfrist, projektperiode og bedømmelseskriterier er "
    "illustrative: kildedokumenterne angiver dem ikke."
)
AMBASSADOR_APPLICATION_NOTE = (
    "Budgettet er antaget (én fuldtidsansat ambassadør om året): ansøgningen i kildedokumentet angiver intet budget."
)
FIRST_REPORT_NOTE = (
    "Rapportens tal og tekster er illustrative, bortset fra FIP-gennemsnittene, som er fra første "
    "statusmåling i »I mål med Integration«."
)
REPORT_NOTE = "Rapportens tal og tekster er illustrative."
NATIONAL_NOTE = "De nationale gennemsnit er illustrative: kildedokumenterne nævner nøgletallene, ikke deres værdier."


def _new(marks: list[tuple[Any, str]]) -> int:
    """Mark each object with its note; the count of those not marked before."""
    before = Illustrative.objects.count()
    for obj, note in marks:
        mark(obj, note)
    return Illustrative.objects.count() - before


def label_demo() -> int:
    """Mark the base demo's illustrative objects; returns how many were not marked before."""
    marks: list[tuple[Any, str]] = [
        (pool, POOL_NOTE) for pool in Pool.objects.filter(name__in=[AMBASSADOR_POOL, JOB_UNIT_POOL])
    ]
    marks += [
        (application, AMBASSADOR_APPLICATION_NOTE)
        for application in Application.objects.filter(pool__name=AMBASSADOR_POOL, lead_municipality__code="330")
    ]
    reports = list(
        QuarterlyReport.objects.filter(
            grant__application__title=PROJECT_TITLE, grant__application__lead_municipality__code=PROJECT_MUNICIPALITY
        ).order_by("year", "quarter")
    )
    marks += [(report, FIRST_REPORT_NOTE if i == 0 else REPORT_NOTE) for i, report in enumerate(reports)]
    # The averages monitoring's demo entered as the demo's pool admin for the quarters it reported.
    quarters = Q()
    for report in reports:
        quarters |= Q(year=report.year, quarter=report.quarter)
    if reports:
        marks += [
            (kpi, NATIONAL_NOTE) for kpi in NationalKpi.objects.filter(quarters, updated_by__username="pooladmin")
        ]
    return _new(marks)
