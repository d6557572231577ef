"""Monitoring reacts to the application's life cycle; `applications` knows nothing of it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_fsm.signals import post_transition

from applications.models import Application, Goal, Grant, Municipality, Pool, State

from . import extensions, pool_snapshot, summary
from .models import ExpectedValue, Milestone, PoolStamp, QuarterlyReport, ReportState
from .services import create_milestones


@receiver(post_transition, sender=Application, dispatch_uid="monitoring_milestones_on_grant")
def milestones_on_grant(sender: Any, instance: Application, name: str, **kwargs: Any) -> None:
    # Inside the granting transaction: the grant row exists (services.grant creates it first),
    # and a rollback takes the milestones with it.
    if name == "grant":
        create_milestones(instance.award)


# The progress summary (summary.py) of the grant a saved or deleted row belongs to is written
# anew after the commit. Not by sender: the grant administration saves grants through its proxy
# (awards.Award), whose signals name the proxy. Rows written in bulk send nothing; the pages
# compute a missing summary themselves and `manage.py rebuild_progress` writes them all.
def _grant_of(instance: Any) -> int | None:
    if isinstance(instance, Grant):
        return instance.pk
    if isinstance(instance, QuarterlyReport | Milestone):
        return instance.grant_id
    if isinstance(instance, ExpectedValue):
        return Milestone.objects.filter(pk=instance.milestone_id).values_list("grant_id", flat=True).first()
    if isinstance(instance, Goal):
        return Grant.objects.filter(application_id=instance.application_id).values_list("pk", flat=True).first()
    return None


WATCHED = (Grant, QuarterlyReport, Milestone, ExpectedValue, Goal)


def _never_handed_in(instance: Any) -> bool:
    """A draft that has never been handed in: nothing the pool's figures count (they count the
    reports handed in, by when), however often it is saved while it is written."""
    return (
        isinstance(instance, QuarterlyReport)
        and instance.state == ReportState.DRAFT
        and instance.first_submitted_at is None
    )


@receiver(post_save, dispatch_uid="monitoring_progress_on_save")
@receiver(post_delete, dispatch_uid="monitoring_progress_on_delete")
def progress_on_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if isinstance(instance, WATCHED):
        if isinstance(instance, Grant) and kwargs.get("signal") is post_delete:
            # Its summary goes with it (on_delete=CASCADE); its pool's figures count one fewer.
            pool = Application.objects.filter(pk=instance.application_id).values_list("pool_id", flat=True).first()
            pool_snapshot.stale(pool_id=pool)
            return
        grant_id = _grant_of(instance)
        summary.changed(grant_id)
        if not _never_handed_in(instance):
            pool_snapshot.stale(grant_id=grant_id)
    elif isinstance(instance, extensions.figure_models()):
        pool_snapshot.stale(grant_id=instance.grant_id)  # the money or what the grant owes
    elif isinstance(instance, Application):
        if instance.state == State.GRANTED:
            pool_snapshot.stale(pool_id=instance.pool_id)  # a project's title
    elif isinstance(instance, Pool):
        if kwargs.get("created"):
            PoolStamp.objects.get_or_create(pool=instance)
        else:
            pool_snapshot.stale(pool_id=instance.pk)  # the days for the final accounts
    elif isinstance(instance, Municipality):
        pool_snapshot.stale(every=True)  # a project's municipality, the filter's names


@receiver(m2m_changed, sender=Application.partner_municipalities.through, dispatch_uid="monitoring_partners")
def partners_on_change(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """The filter of a pool's dashboard names the partners of its granted applications."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Application):
        if instance.state == State.GRANTED:
            pool_snapshot.stale(pool_id=instance.pool_id)
    else:  # a municipality's applications changed: rare enough to renew every pool's
        pool_snapshot.stale(every=True)


@receiver(post_save, sender=QuarterlyReport, dispatch_uid="monitoring_handed_in_on_save")
@receiver(post_delete, sender=QuarterlyReport, dispatch_uid="monitoring_handed_in_on_delete")
def handed_in_on_change(sender: Any, instance: QuarterlyReport, **kwargs: Any) -> None:
    """The quarter's milestone keeps when its report was first handed in (`Milestone.handed_in_at`,
    what the lists of reports owed ask): set on the first hand-in, asked again if it is deleted."""
    if kwargs.get("raw"):
        return
    quarter = Milestone.objects.filter(grant_id=instance.grant_id, year=instance.year, quarter=instance.quarter)
    if kwargs.get("signal") is post_delete:
        quarter.mark_handed_in()
    elif instance.first_submitted_at is not None:
        quarter.owed().update(handed_in_at=instance.first_submitted_at)
