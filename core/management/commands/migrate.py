"""Django's `migrate`, without django-fsm's receivers on the historical models (core.migrating)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate

from core.migrating import historical_models_without_fsm_receivers


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> Any:
        with historical_models_without_fsm_receivers():
            return super().handle(*args, **options)
