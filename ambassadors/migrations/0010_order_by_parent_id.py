"""Rows of a parent (an application's goals, a report's figures, a grant's payments …) are ordered
by the parent's id, not by the parent's own ordering: Django joined the parent (and its parent) to
every such query to sort by their ordering, a third of the time Django took to build a query of a
report's figures (issue 16). Within one parent, which is how they are read, the order is the same.
Options only: no change to the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ambassadors', '0009_remove_single_contact'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='goalcontribution',
            options={'ordering': ['report_id', 'goal_id'], 'verbose_name': 'contribution to a goal', 'verbose_name_plural': 'contributions to goals'},
        ),
        migrations.AlterModelOptions(
            name='practiceattachment',
            options={'ordering': ['practice_id', 'uploaded_at', 'id'], 'verbose_name': 'attachment of an entry', 'verbose_name_plural': 'attachments of entries'},
        ),
        migrations.AlterModelOptions(
            name='practicecontact',
            options={'ordering': ['practice_id', 'order', 'id'], 'verbose_name': 'contact person', 'verbose_name_plural': 'contact persons'},
        ),
    ]
