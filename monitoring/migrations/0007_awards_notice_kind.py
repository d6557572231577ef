"""The notices of the apps built on monitoring (the grant administration) go through its daily
job and are recorded as its reminders are, under a kind of their own."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0006_goals_shares_and_levels'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notification',
            name='notification_kind_valid',
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('due_soon', 'Report due in 14 days'), ('due_today', 'Report due today'), ('late', 'Report late'), ('submitted', 'Report submitted'), ('notice', 'Notice about a grant')], max_length=20, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['due_soon', 'due_today', 'late', 'submitted', 'notice'])), name='notification_kind_valid'),
        ),
    ]
