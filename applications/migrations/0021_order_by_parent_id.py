"""Rows of a parent (an application's goals, a report's figures, a grant's payments …) are ordered
by the parent's id, not by the parent's own ordering: Django joined the parent (and its parent) to
every such query to sort by their ordering, a third of the time Django took to build a query of a
report's figures (issue 16). Within one parent, which is how they are read, the order is the same.
Options only: no change to the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0020_queue_indexes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='assessment',
            options={'ordering': ['review_id', 'criterion__position', 'criterion_id'], 'verbose_name': 'assessment of a criterion', 'verbose_name_plural': 'assessments of criteria'},
        ),
        migrations.AlterModelOptions(
            name='assignment',
            options={'ordering': ['application_id', 'assigned_at', 'id'], 'verbose_name': 'assignment', 'verbose_name_plural': 'assignments'},
        ),
        migrations.AlterModelOptions(
            name='attachment',
            options={'ordering': ['application_id', 'uploaded_at', 'id'], 'verbose_name': 'attachment', 'verbose_name_plural': 'attachments'},
        ),
        migrations.AlterModelOptions(
            name='budgetline',
            options={'ordering': ['application_id', 'year', 'category'], 'verbose_name': 'budget line', 'verbose_name_plural': 'budget lines'},
        ),
        migrations.AlterModelOptions(
            name='criterion',
            options={'ordering': ['pool_id', 'position', 'id'], 'verbose_name': 'criterion', 'verbose_name_plural': 'criteria'},
        ),
        migrations.AlterModelOptions(
            name='goal',
            options={'ordering': ['application_id', 'id'], 'verbose_name': 'goal', 'verbose_name_plural': 'goals'},
        ),
        migrations.AlterModelOptions(
            name='politicalapproval',
            options={'ordering': ['application_id', 'municipality__code'], 'verbose_name': 'political approval', 'verbose_name_plural': 'political approvals'},
        ),
        migrations.AlterModelOptions(
            name='review',
            options={'ordering': ['application_id', 'created_at'], 'verbose_name': 'review', 'verbose_name_plural': 'reviews'},
        ),
        migrations.AlterModelOptions(
            name='targetgroup',
            options={'ordering': ['application_id', 'id'], 'verbose_name': 'target group', 'verbose_name_plural': 'target groups'},
        ),
    ]
