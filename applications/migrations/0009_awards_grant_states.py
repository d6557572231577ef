"""A grant's life after the decision: the six states of the contract, with django-fsm's field
so that the grant administration (awards) declares its transitions on this very column. Every
grant so far was `active` and stays so; new grants start `awaiting_acceptance`."""

from django.db import migrations, models
import django_fsm


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_awards_pool_terms"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='grant',
            name='grant_state_valid',
        ),
        migrations.AlterField(
            model_name='grant',
            name='state',
            field=django_fsm.FSMField(choices=[('awaiting_acceptance', 'Awaiting acceptance'), ('active', 'Active'), ('accounts_submitted', 'Final accounts submitted'), ('closed', 'Closed'), ('lapsed', 'Lapsed'), ('revoked', 'Revoked')], default='awaiting_acceptance', max_length=20, verbose_name='state'),
        ),
        migrations.AddIndex(
            model_name='grant',
            index=models.Index(fields=['state'], name='grant_state_idx'),
        ),
        migrations.AddConstraint(
            model_name='grant',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['awaiting_acceptance', 'active', 'accounts_submitted', 'closed', 'lapsed', 'revoked'])), name='grant_state_valid'),
        ),
    ]
