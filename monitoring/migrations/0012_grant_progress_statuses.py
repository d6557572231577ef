"""The goals' statuses of each progress summary on their own (the pool-wide charts count them
without decoding every goal's figures), filled from the goals the rows already hold."""

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    GrantProgress = apps.get_model("monitoring", "GrantProgress")
    rows = list(GrantProgress.objects.only("goals"))
    for row in rows:
        row.statuses = [goal.get("status") for goal in row.goals]
    GrantProgress.objects.bulk_update(rows, ["statuses"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0011_grant_progress_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="grantprogress",
            name="statuses",
            field=models.JSONField(default=list, verbose_name="goal statuses"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
