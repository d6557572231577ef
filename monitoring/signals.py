"""Monitoring reacts to the application's life cycle; `applications` knows nothing of it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_fsm.signals import post_transition

from applications.models import Application

from .services import create_milestones


@receiver(post_transition, sender=Application, dispatch_uid="monitoring_milestones_on_grant")
def milestones_on_grant(sender: Any, instance: Application, name: str, **kwargs: Any) -> None:
    # Inside the granting transaction: the grant row exists (services.grant creates it first),
    # and a rollback takes the milestones with it.
    if name == "grant":
        create_milestones(instance.award)
