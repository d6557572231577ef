"""`manage.py seed_scale`: a data set of the issue's size (here a small factor of it) that is what
the services would have made, and never on a database that holds data."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from ambassadors.models import Ambassador, AmbassadorReport, BestPractice
from applications.models import Application, Grant, JournalCounter, Pool, State, TransitionLog
from awards.models import GrantTerms, Payment, PaymentState
from core import seeding
from monitoring.models import GoalProgress, Milestone, QuarterlyReport, ReportLog
from monitoring.progress import monitoring_queryset, read_project

from ..applications.averages import wrong_averages
from ..monitoring.handed_in import wrong_hand_ins

pytestmark = pytest.mark.django_db

FACTOR = 0.02  # 60 applications, 12 grants, 2 ambassadors, 40 catalogue entries


@pytest.fixture
def seeded() -> seeding.Seed:
    return seeding.seed(FACTOR, today=datetime.date(2026, 11, 23))


def test_the_counts_follow_the_factor(seeded: seeding.Seed) -> None:
    assert Application.objects.count() == 60
    assert Grant.objects.count() == 12
    assert Ambassador.objects.count() == 2
    assert BestPractice.objects.count() == 40
    assert Application.objects.values("lead_municipality").distinct().count() > 20
    assert seeded.counts["applications"] == 60


def test_every_grant_has_16_milestones_and_8_to_16_reports(seeded: seeding.Seed) -> None:
    for grant in Grant.objects.annotate(quarters=Count("milestones", distinct=True)):
        assert grant.quarters == 16
        assert grant.application.state == State.GRANTED
        handed_in = QuarterlyReport.objects.filter(grant=grant).handed_in().count()
        assert 6 <= handed_in <= 16, (grant.pk, handed_in)  # a late project is up to two behind
    assert not wrong_hand_ins()  # each milestone knows its report's hand-in (written in bulk)
    assert not wrong_averages()  # each application its reviews' average


def test_journal_numbers_are_gap_free_per_year_and_counters_match(seeded: seeding.Seed) -> None:
    numbers: dict[int, list[int]] = defaultdict(list)
    for number in Application.objects.exclude(journal_number=None).values_list("journal_number", flat=True):
        year, serial = number.split("-")
        numbers[int(year)].append(int(serial))
    assert numbers
    for year, serials in numbers.items():
        assert sorted(serials) == list(range(1, len(serials) + 1))
        assert JournalCounter.objects.get(year=year).last == len(serials)
    assert not Application.objects.filter(state=State.DRAFT, journal_number__isnull=True, submitted_at__isnull=False)


def test_states_have_their_logs(seeded: seeding.Seed) -> None:
    for application in Application.objects.exclude(journal_number=None).prefetch_related("transitions"):
        log = [entry.transition for entry in application.transitions.all()]
        assert log[0] == "submit"
        assert application.transitions.all()[len(log) - 1].target == application.state
    handed_in = QuarterlyReport.objects.handed_in().count()
    assert ReportLog.objects.filter(transition="submit").count() == handed_in
    assert not QuarterlyReport.objects.filter(first_submitted_at=None).exclude(state="draft")
    for entry in TransitionLog.objects.filter(transition="grant").select_related("application__award"):
        assert entry.at == entry.application.award.granted_at


def test_reports_say_what_the_checks_allow(seeded: seeding.Seed) -> None:
    for report in QuarterlyReport.objects.handed_in().select_related("grant"):
        assert report.period.end < report.first_submitted_at.date(), "handed in before its quarter ended"
        assert report.spent_to_date <= report.grant.amount
    for row in GoalProgress.objects.exclude(denominator=None):
        assert row.numerator <= row.denominator
        assert row.value == (Decimal(row.numerator) / row.denominator * 100).quantize(Decimal("0.01"))


def test_the_payment_plan_adds_up_and_late_reports_hold_payments(seeded: seeding.Seed) -> None:
    for grant in Grant.objects.annotate(planned=Sum("payments__amount")):
        assert grant.planned == grant.amount
        assert GrantTerms.objects.get(grant=grant).accepted_at is not None
    held = Payment.objects.filter(state=PaymentState.HELD)
    for payment in held:
        assert payment.held_reason
    assert Payment.objects.filter(state=PaymentState.PAID, paid_on__isnull=True).count() == 0


def test_the_pool_dashboard_reads_the_seeded_projects(seeded: seeding.Seed) -> None:
    pool = Pool.objects.annotate(n=Count("applications__award")).order_by("-n").first()
    grants = list(monitoring_queryset(Grant.objects.filter(application__pool=pool)))
    readings = [read_project(grant, datetime.date(2026, 11, 23)) for grant in grants]
    statuses = {goal.status for reading in readings for goal in reading.goals}
    assert len(readings) == 12
    assert statuses - {None}, "no goal has a status"
    assert Milestone.objects.filter(grant__in=grants).count() == 12 * 16


def test_ambassadors_report_for_their_own_municipalitys_project(seeded: seeding.Seed) -> None:
    for ambassador in Ambassador.objects.select_related("grant__application", "user__profile"):
        assert ambassador.grant.application.lead_municipality_id == ambassador.municipality_id
        assert ambassador.user.profile.role == "ambassador"
    assert AmbassadorReport.objects.handed_in().exists()


def test_the_same_seed_gives_the_same_data() -> None:
    first = seeding.seed(FACTOR, today=datetime.date(2026, 11, 23))
    titles = list(Application.objects.order_by("journal_number", "title").values_list("title", "journal_number"))
    with pytest.raises(seeding.SeedRefused):
        seeding.seed(FACTOR)
    assert first.counts["applications"] == 60
    assert titles == list(
        Application.objects.order_by("journal_number", "title").values_list("title", "journal_number")
    )


def test_a_database_with_data_is_refused(slagelse_applicant: Any) -> None:
    with pytest.raises(CommandError, match="holds data"):
        call_command("seed_scale", "--factor", "0.01", stdout=StringIO())
    assert Application.objects.count() == 0


def test_the_command_reports_what_it_made() -> None:
    out = StringIO()
    call_command("seed_scale", "--factor", "0.01", stdout=out)
    assert f"applications: {Application.objects.count()}\n" in out.getvalue()
    assert "Seeded in" in out.getvalue()


def test_a_factor_of_zero_is_refused() -> None:
    with pytest.raises(CommandError, match="above 0"):
        call_command("seed_scale", "--factor", "0", stdout=StringIO())
