"""Every database check speaks to people: a form that validates a model's constraints shows the
domain's message on the field to correct, never Django's "Constraint “…” is violated."
(core/constraints.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from applications.forms.application import ApplicationForm, GoalForm
from applications.forms.pools import PoolForm
from applications.models import Pool
from core.constraints import Check
from tests.conftest import make_complete_draft

OUR_APPS = {"core", "applications", "monitoring", "awards", "ambassadors", "documents"}


def _checks() -> list[tuple[str, models.CheckConstraint]]:
    return [
        (f"{model._meta.label}.{constraint.name}", constraint)
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    ]


@pytest.mark.parametrize(("where", "constraint"), _checks(), ids=[where for where, _c in _checks()])
def test_every_check_has_a_message_for_people(where: str, constraint: models.CheckConstraint) -> None:
    assert isinstance(constraint, Check), f"{where}: use core.constraints.Check with the domain's message"
    with translation.override("da"):
        message = str(constraint.get_violation_error_message())
    assert constraint.name not in message
    assert "Begrænsning" not in message and "Constraint" not in message


def test_a_project_that_ends_before_it_starts_is_told_so_at_the_end_date(pool: Pool, slagelse_applicant: Any) -> None:
    draft = make_complete_draft(pool, slagelse_applicant)
    data = {"start_date": "01.06.2027", "end_date": "01.01.2027", "title": draft.title}
    with translation.override("da"):
        form = ApplicationForm(data, instance=draft)
        assert not form.is_valid()
        assert form.errors["end_date"] == ["Projektet kan ikke slutte, før det starter."]
        assert "Begrænsning" not in str(form.errors)


def test_a_percentage_over_100_is_told_so_at_the_target(pool: Pool, slagelse_applicant: Any) -> None:
    draft = make_complete_draft(pool, slagelse_applicant)
    with translation.override("da"):
        form = GoalForm(
            {"title": "Fremmøde", "kind": "percentage", "target_value": "150", "ramp_quarters": "0"},
            application=draft,
        )
        assert not form.is_valid()
        assert form.errors["target_value"] == ["En procentsats skal være mellem 0 og 100."]
        assert not form.non_field_errors()


def test_a_pool_whose_deadline_is_before_it_opens_is_told_so_at_the_deadline(pool_admin: Any) -> None:
    today = datetime.date(2027, 3, 1)
    data = {
        "name": "Pulje",
        "total_budget": "1.000.000",
        "max_grant": "100.000",
        "opens_on": today.strftime("%d.%m.%Y"),
        "closes_on": (today - datetime.timedelta(days=1)).strftime("%d.%m.%Y"),
        "acceptance_days": "14",
        "retention_percent": "10",
        "payment_grace_days": "14",
        "variance_explain_percent": "10",
        "repayment_minimum": "500",
        "audit_registered_above": "100.000",
        "audit_performance_above": "500.000",
        "reporting_delay_days": "30",
    }
    with translation.override("da"):
        form = PoolForm(data)
        assert not form.is_valid()
        assert "Ansøgningsfristen kan ikke ligge før den dato, puljen åbner." in form.errors["closes_on"]
        assert "Begrænsning" not in str(form.errors)
