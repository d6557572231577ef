"""Shares are reported as n of N, and level goals expect their target, not a running total.

- GoalProgress gains `numerator` and `denominator` (n of N); `value` may be empty only for a
  cohort still empty (N = 0). Rows written before keep their value and have no n of N: the
  product never knew them, and guessing them from the percentage would invent people.
- The expected values of level goals (applications 0005 made every percentage and average one)
  were a straight line from 0 to the target, as if 70 % attendance were a running total. Each
  such value the municipality did not change itself (no MilestoneChange of it) becomes the
  level's target, as a new grant's plan has it (every ramp-up is 0 after applications 0005). A
  value the municipality typed is left as it is.
"""

import django.core.validators
from django.db import migrations, models


def level_goals_expect_their_target(apps, schema_editor):
    ExpectedValue = apps.get_model("monitoring", "ExpectedValue")
    MilestoneChange = apps.get_model("monitoring", "MilestoneChange")
    typed = set(MilestoneChange.objects.filter(field="expected").values_list("milestone_id", "goal_id"))
    for row in ExpectedValue.objects.filter(goal__cumulative=False).select_related("goal").iterator():
        if (row.milestone_id, row.goal_id) not in typed and row.value != row.goal.target_value:
            row.value = row.goal.target_value
            row.save(update_fields=["value"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_goals_levels_ramps_cohorts"),
        ("monitoring", "0005_audit_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="goalprogress",
            name="denominator",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MinValueValidator(0, message="A count cannot be negative.")],
                verbose_name="N (out of)",
            ),
        ),
        migrations.AddField(
            model_name="goalprogress",
            name="numerator",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MinValueValidator(0, message="A count cannot be negative.")],
                verbose_name="n (of them)",
            ),
        ),
        migrations.AlterField(
            model_name="goalprogress",
            name="value",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                validators=[django.core.validators.MinValueValidator(0, message="A count cannot be negative.")],
                verbose_name="value",
            ),
        ),
        migrations.AddConstraint(
            model_name="goalprogress",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("denominator__isnull", True), ("numerator__isnull", True)),
                    models.Q(
                        ("denominator__isnull", False),
                        ("numerator__isnull", False),
                        ("numerator__lte", models.F("denominator")),
                    ),
                    _connector="OR",
                ),
                name="progress_share_n_lte_total",
            ),
        ),
        migrations.AddConstraint(
            model_name="goalprogress",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__isnull", False), ("denominator", 0), _connector="OR"),
                name="progress_value_unless_empty_cohort",
            ),
        ),
        migrations.RunPython(level_goals_expect_their_target, migrations.RunPython.noop),
    ]
