"""Rows of a parent (an application's goals, a report's figures, a grant's payments …) are ordered
by the parent's id, not by the parent's own ordering: Django joined the parent (and its parent) to
every such query to sort by their ordering, a third of the time Django took to build a query of a
report's figures (issue 16). Within one parent, which is how they are read, the order is the same.
Options only: no change to the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0006_payment_paid_index'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='grantversion',
            options={'ordering': ['grant_id', 'number'], 'verbose_name': 'version of the budget and plan', 'verbose_name_plural': 'versions of the budget and plan'},
        ),
        migrations.AlterModelOptions(
            name='payment',
            options={'ordering': ['grant_id', 'due_on', 'kind', 'id'], 'verbose_name': 'payment', 'verbose_name_plural': 'payments'},
        ),
        migrations.AlterModelOptions(
            name='versionline',
            options={'ordering': ['version_id', 'year', 'category'], 'verbose_name': 'budget line', 'verbose_name_plural': 'budget lines'},
        ),
    ]
