"""What an application's `review_average` must hold: its counting reviews' average, from them."""

from __future__ import annotations

from applications.models import Application
from applications.models.review import average_hundredths


def wrong_averages() -> list[int]:
    """The applications whose stored average differs from their reviews' (`average_hundredths`)."""
    rows = Application.objects.annotate(counted=average_hundredths()).values_list("pk", "review_average", "counted")
    return [pk for pk, stored, counted in rows if stored != counted]
