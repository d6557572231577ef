"""Each application keeps the average of its counting reviews' totals in hundredths
(`Application.review_average`): the review queue sorted by score averaged every queued
application's reviews in a subquery per application to sort a page (issue 16). Filled here."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from applications.models.review import average_hundredths  # an expression, given the model here

    application = apps.get_model("applications", "Application")
    application.objects.update(review_average=average_hundredths(apps.get_model("applications", "Review")))


class Migration(migrations.Migration):
    dependencies = [("applications", "0018_awaiting_index")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="review_average",
            field=models.IntegerField(blank=True, editable=False, null=True, verbose_name="average score (hundredths)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("journal_number__isnull", False), ("state__in", ("submitted", "politically_approved"))
                ),
                fields=["review_average", "id"],
                name="application_score_idx",
            ),
        ),
    ]
