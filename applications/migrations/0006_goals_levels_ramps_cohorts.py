"""Goals say how they accumulate: cumulative (a count added up over the period) or a level held at
a point in time, with an optional ramp-up and cohort.

Existing goals: a percentage or an average marked cumulative was never added up in truth (70 %
attendance is not a running total), so it becomes a level (cumulative=False) before the
constraint that forbids the combination; counts keep what they said. No goal is guessed to be a
cohort goal (from its title or otherwise): cohort_months stays empty until the applicant sets it,
and every ramp-up starts at 0 (the target holds from the first quarter).
"""

import django.core.validators
from django.db import migrations, models


def percentages_and_averages_are_levels(apps, schema_editor):
    Goal = apps.get_model("applications", "Goal")
    Goal.objects.filter(kind__in=["percentage", "average"], cumulative=True).update(cumulative=False)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_audit_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="cohort_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="A share measured on those enrolled at least this many months before, e.g. 12 for “40 % self-supporting 12 months after enrolment”. Empty: not a cohort goal.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)],
                verbose_name="cohort: months after enrolment",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="ramp_quarters",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="A level goal only: the quarters over which it rises from its baseline to the target. 0: the target holds from the first quarter.",
                validators=[django.core.validators.MaxValueValidator(40)],
                verbose_name="ramp-up (quarters)",
            ),
        ),
        migrations.RunPython(percentages_and_averages_are_levels, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "count"), ("cumulative", False), _connector="OR"),
                name="goal_share_or_average_is_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(("ramp_quarters", 0), ("cumulative", False), _connector="OR"),
                name="goal_ramp_only_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("cohort_months__isnull", True),
                    models.Q(("cohort_months__gte", 1), ("cumulative", False), ("kind", "percentage")),
                    _connector="OR",
                ),
                name="goal_cohort_only_share",
            ),
        ),
    ]
