"""The audit trail is append-only in the database, not only in `save()`.

Every model that mixes in `core.log.AppendOnly` (the transition logs, the milestone changes, the
change log, and whatever log comes next) is found here by itself, so a new log that forgets a
guard fails these tests:

- its migrations install the PostgreSQL trigger (`core.migrations_ops.AppendOnlyTrigger`), and
  on PostgreSQL the trigger is there and refuses raw SQL UPDATE and DELETE of its rows;
- the ORM refuses to edit or delete a row, one or many, on every database;
- its foreign keys are PROTECT: deleting what a log row points to leaves the row, or is refused.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from ambassadors import services as ambassador_services
from ambassadors.models import AmbassadorReportLog
from applications import services
from applications.models import Application, TransitionLog
from awards import services as award_services
from awards.models import (
    AwardLog,
    ChangeKind,
    ChangeRequestLog,
    FinalAccountsLog,
    FinalReportLog,
    GrantVersion,
    PaymentLog,
    RepaymentLog,
    VersionLine,
)
from awards.services import closing
from core.log import AppendOnly, AppendOnlyError, AppendOnlyQuerySet
from core.migrations_ops import FUNCTION, AppendOnlyTrigger
from core.models import ChangeLogEntry
from monitoring import services as monitoring_services
from monitoring.models import MilestoneChange, ReportLog
from monitoring.quarters import Quarter

from ..ambassadors.conftest import goals_of, make_ambassador
from ..awards.closing_helpers import accounts_data, ended_grant, report_data
from ..conftest import make_personas
from ..monitoring.conftest import slagelse_project
from ..shared_data import ModuleData

pytestmark = pytest.mark.django_db

LOG_MODELS: list[type[models.Model]] = sorted(
    (model for model in apps.get_models() if issubclass(model, AppendOnly)), key=lambda model: model._meta.label
)
LOG_IDS = [model._meta.label for model in LOG_MODELS]


def test_the_logs_are_found() -> None:
    """The search below is not empty: every log known today is among what it finds."""
    assert {
        TransitionLog,
        ReportLog,
        AmbassadorReportLog,
        MilestoneChange,
        ChangeLogEntry,
        AwardLog,
        PaymentLog,
        ChangeRequestLog,
        GrantVersion,
        VersionLine,
        FinalReportLog,
        FinalAccountsLog,
        RepaymentLog,
    } <= set(LOG_MODELS)


def test_every_log_table_gets_its_trigger_from_a_migration() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    installed = {
        (migration.app_label, operation.model_name.lower())
        for migration in loader.disk_migrations.values()
        for operation in migration.operations
        if isinstance(operation, AppendOnlyTrigger)
    }
    missing = [m._meta.label for m in LOG_MODELS if (m._meta.app_label, m._meta.model_name) not in installed]
    assert missing == [], "add AppendOnlyTrigger(<model>) to the migration that creates the log"


@pytest.mark.parametrize("model", LOG_MODELS, ids=LOG_IDS)
def test_no_log_row_goes_with_what_it_points_to(model: type[models.Model]) -> None:
    keys = [f for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    assert keys
    assert {f.name: f.remote_field.on_delete for f in keys} == {f.name: models.PROTECT for f in keys}


@pytest.mark.parametrize("model", LOG_MODELS, ids=LOG_IDS)
def test_every_log_refuses_changes_in_bulk(model: type[models.Model]) -> None:
    assert isinstance(model._default_manager.all(), AppendOnlyQuerySet)
    with pytest.raises(AppendOnlyError):
        model._default_manager.all().update(at=timezone.now())
    with pytest.raises(AppendOnlyError):
        model._default_manager.all().delete()


# One row of every log, written by the services as users write them -------------------------


def build_every_log() -> dict[type[models.Model], models.Model]:
    personas = make_personas()
    user, pool_admin, reviewer = (personas[n] for n in ("slagelse_applicant", "pool_admin", "reviewer"))
    grant = slagelse_project(user, reviewer)
    slagelse_ambassador = make_ambassador(personas["ambassador"], grant, "330")
    milestone = grant.milestones.order_by("year", "quarter")[1]
    monitoring_services.update_milestone(milestone.pk, user, {"planned_activities": "Virksomhedsbesøg"})
    women, attendance = goals_of(grant)
    first = Quarter.of(grant.start_date)
    report = monitoring_services.create_report(
        grant.pk,
        user,
        {
            "year": first.year,
            "quarter": first.quarter,
            "narrative": "Forløbet kører.",
            "enrolled": 40,
            "spent_to_date": Decimal("100000"),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 60, "denominator": 100},
            ],
        },
    )
    monitoring_services.submit_report(report.pk, user)
    ambassador_report = ambassador_services.create_report(
        slagelse_ambassador.user,
        {"year": first.year, "quarter": first.quarter, "company_contacts": 3, "narrative": "Tre besøg."},
    )
    ambassador_services.submit_report(ambassador_report.pk, slagelse_ambassador.user)
    pool = grant.application.pool
    services.save_pool(pool_admin, {"total_budget": pool.total_budget + 1000}, pool_id=pool.pk)
    # The grant administration's: the acceptance and the first version (make_grant), the payments
    # held at once (the second quarter's report is late), a change request decided.
    change = award_services.file_change(
        grant.pk,
        user,
        {
            "kind": ChangeKind.GOALS,
            "reason": "Flere borgere.",
            "goals": [{"goal": women.pk, "target_value": Decimal(40)}],
        },
    )
    award_services.refuse_change(change.pk, reviewer, "Målet står.")
    # The end of a grant: a final report, accounts approved with a claim, the claim paid.
    ended = ended_grant(user, reviewer, pool_admin)
    report = closing.save_final_report(ended.pk, user, report_data(ended))
    closing.submit_final_report(report.pk, user)
    accounts = closing.save_final_accounts(ended.pk, user, accounts_data(ended, spent_share=Decimal("0.5")))
    closing.submit_final_accounts(accounts.pk, user)
    closing.approve_final_accounts(accounts.pk, reviewer)
    closing.pay_repayment(ended.pk, pool_admin, timezone.localdate())

    rows = {model: model._default_manager.order_by("pk").first() for model in LOG_MODELS}
    empty = [model._meta.label for model, row in rows.items() if row is None]
    assert empty == [], "write a row of every log above"
    return rows


@pytest.fixture(scope="module")
def built_every_log(module_data: ModuleData) -> dict[type[models.Model], models.Model]:
    return module_data.build(build_every_log)


@pytest.fixture
def every_log(
    db: None, module_data: ModuleData, built_every_log: dict[type[models.Model], models.Model]
) -> dict[type[models.Model], models.Model]:
    """A row of every log, written by the services as users write them, once for the module."""
    return module_data.copy(built_every_log)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@pytest.mark.parametrize("model", LOG_MODELS, ids=LOG_IDS)
def test_the_orm_refuses_to_edit_or_delete_a_log_row(
    model: type[models.Model], every_log: dict[type[models.Model], models.Model]
) -> None:
    row = every_log[model]
    stored = model._default_manager.filter(pk=row.pk).values().get()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        model._default_manager.filter(pk=row.pk).delete()
    assert model._default_manager.filter(pk=row.pk).values().get() == stored


@pytest.mark.parametrize("model", LOG_MODELS, ids=LOG_IDS)
def test_deleting_what_a_log_row_points_to_is_refused(
    model: type[models.Model], every_log: dict[type[models.Model], models.Model]
) -> None:
    """Its subject, its author, whatever it names: PROTECT asks before anything is deleted."""
    row = every_log[model]
    targets = [getattr(row, f.name) for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    for target in (t for t in targets if t is not None):
        # A row of another log (a version's line points to its version) refuses by itself.
        with transaction.atomic(), pytest.raises((models.ProtectedError, AppendOnlyError)):
            target.delete()
        assert type(target).objects.filter(pk=target.pk).exists()
    assert model._default_manager.filter(pk=row.pk).exists()


@pytest.mark.postgres
@pytest.mark.parametrize("model", LOG_MODELS, ids=LOG_IDS)
def test_the_trigger_guards_every_log_table(postgres: None, model: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgtype FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = %s::regclass AND p.proname = %s AND NOT t.tgisinternal",
            [model._meta.db_table, FUNCTION],
        )
        types = [tgtype for (tgtype,) in cursor.fetchall()]
    row, before, delete, update = 1, 2, 8, 16  # pg_trigger.tgtype bits
    assert [t & (row | before | delete | update) for t in types] == [row | before | delete | update]


def _a_change_of(model: type[models.Model], row: models.Model) -> tuple[str, Any]:
    """A column of the row and another value for it: its time a day later (`at`, or a version's
    `created_at`), or for a row without one (a version's line) its first number plus one."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation]
    stamp = next((f for f in fields if isinstance(f, models.DateTimeField)), None)
    if stamp is not None:
        return stamp.column, getattr(row, stamp.attname) + datetime.timedelta(days=1)
    number = next(f for f in fields if isinstance(f, models.DecimalField | models.IntegerField))
    return number.column, getattr(row, number.attname) + 1


@pytest.mark.postgres
@pytest.mark.parametrize("model", LOG_MODELS, ids=LOG_IDS)
def test_raw_sql_cannot_change_or_delete_a_log_row(
    postgres: None, model: type[models.Model], every_log: dict[type[models.Model], models.Model]
) -> None:
    row = every_log[model]
    stored = model._default_manager.filter(pk=row.pk).values().get()
    # Quoted names of our own tables, not input.
    table, (column, value) = _table(model), _a_change_of(model, row)
    statements = [
        (f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s", [value, row.pk]),  # noqa: S608
        (f"DELETE FROM {table} WHERE id = %s", [row.pk]),  # noqa: S608
    ]
    refused = rf"audit log {model._meta.db_table} is append-only"
    for sql, params in statements:
        with pytest.raises(IntegrityError, match=refused), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert model._default_manager.filter(pk=row.pk).values().get() == stored


@pytest.mark.postgres
def test_raw_sql_cannot_delete_an_application_with_a_history(
    postgres: None, every_log: dict[type[models.Model], models.Model]
) -> None:
    application = every_log[TransitionLog].application
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DELETE FROM {_table(Application)} WHERE id = %s", [application.pk])  # noqa: S608
    assert TransitionLog.objects.filter(application=application).exists()
