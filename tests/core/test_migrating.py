"""`manage.py migrate` renders the historical models without django-fsm's receivers (core.migrating),
and the real models keep their transitions."""

from __future__ import annotations

import gc

import pytest
from django.core.management import get_commands
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import class_prepared

from applications.models import Application, State
from core.migrating import historical_models_without_fsm_receivers


def _receivers_after_rendering() -> int:
    """How many `class_prepared` receivers are connected while every historical model is held."""
    apps = MigrationLoader(connection).project_state().apps
    count = len(class_prepared._live_receivers(None)[0])
    assert apps.get_model("applications", "Application")  # held until here
    return count


def test_migrate_is_ours() -> None:
    assert get_commands()["migrate"] == "core"


@pytest.mark.django_db
def test_historical_state_fields_leave_no_receiver_and_the_models_keep_their_transitions() -> None:
    gc.collect()
    before = len(class_prepared._live_receivers(None)[0])
    # Django's own rendering: a receiver per state field of every historical model.
    assert _receivers_after_rendering() > before
    gc.collect()
    with historical_models_without_fsm_receivers():
        assert _receivers_after_rendering() == before
    transitions = Application._meta.get_field("state").get_all_transitions(Application)
    assert ("submit", State.SUBMITTED) in {(t.name, t.target) for t in transitions}
