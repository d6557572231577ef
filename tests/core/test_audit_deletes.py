"""What may be deleted still can be, beside the append-only audit trail (test_audit_trail.py): a
draft never submitted, and a subject whose change log stays."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from applications import services
from applications.models import Application, ApprovalStatus, Municipality
from core.models import ChangeLogEntry

from ..conftest import make_complete_draft

pytestmark = pytest.mark.django_db


def test_a_never_submitted_draft_is_deleted_and_leaves_no_log(slagelse_applicant: Any, pool: Any) -> None:
    """A draft's approval recorded, changed and taken back before submit is the municipality's
    working copy: nothing is logged, and the draft can still be deleted, with its parts."""
    draft = make_complete_draft(pool, slagelse_applicant)
    slagelse = Municipality.objects.get(code="330")
    approved = {"municipality": slagelse, "status": ApprovalStatus.APPROVED, "decided_on": datetime.date(2026, 3, 1)}
    services.record_political_approval(draft.pk, slagelse_applicant, {**approved, "body": "Byrådet"})
    services.record_political_approval(draft.pk, slagelse_applicant, {**approved, "body": "Økonomiudvalget"})
    services.record_political_approval(
        draft.pk, slagelse_applicant, {"municipality": slagelse, "status": ApprovalStatus.PENDING}
    )
    assert not ChangeLogEntry.objects.of(draft).exists()

    services.delete_draft(draft.pk, slagelse_applicant)

    assert not Application.objects.filter(pk=draft.pk).exists()


@pytest.mark.postgres
def test_a_never_submitted_draft_is_deleted_on_postgresql(postgres: None, slagelse_applicant: Any, pool: Any) -> None:
    draft = make_complete_draft(pool, slagelse_applicant)
    services.delete_draft(draft.pk, slagelse_applicant)
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_the_change_log_outlives_its_subject(pool_admin: Any, pool: Any) -> None:
    """The change log names its subject by type and id, so it stays when the subject goes (here
    a pool nobody applied to, which only a superuser may delete)."""
    services.save_pool(pool_admin, {"max_grant": Decimal(2_000_000)}, pool_id=pool.pk)
    name = pool.name
    pool.delete()

    entry = ChangeLogEntry.objects.get()
    assert (entry.subject_label, entry.subject, entry.before, entry.after) == (
        name,
        None,
        {"max_grant": "3000000.00"},
        {"max_grant": "2000000.00"},
    )
