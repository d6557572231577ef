"""A stamp per pool whose token changes with every change to the pool's grants, their summaries
and money (monitoring/pool_snapshot.py): the key of the pool dashboard's cached figures (issue 16).
Every pool there is gets one; a pool created later gets its own as it is saved."""

import django.db.models.deletion
import monitoring.models.summary
from django.db import migrations, models


def stamp_every_pool(apps, schema_editor):
    Pool = apps.get_model("applications", "Pool")
    PoolStamp = apps.get_model("monitoring", "PoolStamp")
    PoolStamp.objects.bulk_create([PoolStamp(pool_id=pk) for pk in Pool.objects.values_list("pk", flat=True)])


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0021_order_by_parent_id'),
        ('monitoring', '0018_order_by_parent_id'),
    ]

    operations = [
        migrations.CreateModel(
            name='PoolStamp',
            fields=[
                ('pool', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='figures_stamp', serialize=False, to='applications.pool')),
                ('token', models.CharField(default=monitoring.models.summary.new_token, max_length=32, verbose_name='token')),
            ],
            options={
                'verbose_name': 'pool figures stamp',
                'verbose_name_plural': 'pool figures stamps',
            },
        ),
        migrations.RunPython(stamp_every_pool, migrations.RunPython.noop),
    ]
