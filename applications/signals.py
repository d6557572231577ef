"""What the applications app keeps itself: an application's average score (`review_average`),
written anew whenever one of its reviews is saved or deleted, by whatever path."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Application, Review
from .models.review import recount_averages


@receiver(post_save, sender=Review, dispatch_uid="applications_average_on_save")
@receiver(post_delete, sender=Review, dispatch_uid="applications_average_on_delete")
def average_on_change(sender: Any, instance: Review, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        recount_averages(Application.objects.filter(pk=instance.application_id))
