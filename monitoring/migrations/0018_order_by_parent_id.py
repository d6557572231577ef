"""Rows of a parent (an application's goals, a report's figures, a grant's payments …) are ordered
by the parent's id, not by the parent's own ordering: Django joined the parent (and its parent) to
every such query to sort by their ordering, a third of the time Django took to build a query of a
report's figures (issue 16). Within one parent, which is how they are read, the order is the same.
Options only: no change to the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0017_milestone_handed_in'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='expectedvalue',
            options={'ordering': ['milestone_id', 'goal_id'], 'verbose_name': 'expected value', 'verbose_name_plural': 'expected values'},
        ),
        migrations.AlterModelOptions(
            name='fipscore',
            options={'ordering': ['report_id', 'dimension', 'respondent'], 'verbose_name': 'FIP average', 'verbose_name_plural': 'FIP averages'},
        ),
        migrations.AlterModelOptions(
            name='followup',
            options={'ordering': ['grant_id', 'point'], 'verbose_name': 'follow-up after the end', 'verbose_name_plural': 'follow-ups after the end'},
        ),
        migrations.AlterModelOptions(
            name='goalprogress',
            options={'ordering': ['report_id', 'goal_id'], 'verbose_name': 'goal progress', 'verbose_name_plural': 'goal progress'},
        ),
        migrations.AlterModelOptions(
            name='milestone',
            options={'ordering': ['grant_id', 'year', 'quarter'], 'verbose_name': 'milestone', 'verbose_name_plural': 'milestones'},
        ),
        migrations.AlterModelOptions(
            name='outcome',
            options={'ordering': ['report_id', 'point'], 'verbose_name': 'outcome', 'verbose_name_plural': 'outcomes'},
        ),
        migrations.AlterModelOptions(
            name='quarterlyreport',
            options={'ordering': ['grant_id', 'year', 'quarter'], 'verbose_name': 'quarterly report', 'verbose_name_plural': 'quarterly reports'},
        ),
    ]
