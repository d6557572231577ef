"""The grant administration reacts to the life cycles below it; none of them knows it is here."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_fsm.signals import post_transition

from applications.models import Application
from core.outbox import send_later
from monitoring.models import QuarterlyReport
from monitoring.services import create_milestones

from .models import Payment, PaymentState
from .services import set_up

HOLDS_TASK = "awards.tasks.refresh_holds"


@receiver(post_transition, sender=Application, dispatch_uid="awards_terms_on_grant")
def terms_on_grant(sender: Any, instance: Application, name: str, **kwargs: Any) -> None:
    # In the granting transaction (the grant row exists, services.grant creates it first): the
    # acceptance deadline, the retention, the audit level and the first version of the plan,
    # which holds the milestones (made here if monitoring's receiver has not made them yet).
    if name == "grant":
        create_milestones(instance.award)
        set_up(instance.award)


@receiver(post_transition, sender=QuarterlyReport, dispatch_uid="awards_release_on_report")
def release_on_report(sender: Any, instance: QuarterlyReport, name: str, **kwargs: Any) -> None:
    # A report handed in may release held payments. The report is saved after this signal, so
    # the check runs after the commit, through the outbox (a broker that is down delays it, and
    # the daily job does the same check anyway).
    if name == "submit" and Payment.objects.filter(grant_id=instance.grant_id, state=PaymentState.HELD).exists():
        send_later(HOLDS_TASK, instance.grant_id)
