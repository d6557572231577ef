
import core.validators
import django.core.validators
import django_fsm
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


"""The terms of a pool's grants, which the grant letter states and the grant administration
(awards) applies: Finance Act account, standard conditions, appeal guidance, acceptance days,
retention, payment grace days, variance to explain, the smallest repayment claimed and the
limits of the audit levels. Existing pools get the state's usual practice as defaults."""

class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0007_shell_goal_target_group_label'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='pool',
            name='acceptance_days',
            field=models.PositiveSmallIntegerField(default=14, help_text='After the decision; a grant not accepted in time lapses.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='days to accept a grant'),
        ),
        migrations.AddField(
            model_name='pool',
            name='appeal_guidance',
            field=models.TextField(blank=True, help_text='Leave empty for the standard text: no administrative appeal, the Ombudsman and the courts.', validators=[core.validators.validate_no_cpr], verbose_name='appeal guidance'),
        ),
        migrations.AddField(
            model_name='pool',
            name='audit_performance_above',
            field=models.DecimalField(decimal_places=2, default=Decimal('500000'), max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='performance audit above (DKK)'),
        ),
        migrations.AddField(
            model_name='pool',
            name='audit_registered_above',
            field=models.DecimalField(decimal_places=2, default=Decimal('100000'), help_text='Up to this amount an independent qualified accountant may audit the accounts.', max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='registered auditor above (DKK)'),
        ),
        migrations.AddField(
            model_name='pool',
            name='finance_act_account',
            field=models.CharField(blank=True, help_text='The account of the Finance Act the grants are paid from, e.g. § 17.46.04.10', max_length=100, validators=[core.validators.validate_no_cpr], verbose_name='Finance Act account'),
        ),
        migrations.AddField(
            model_name='pool',
            name='payment_grace_days',
            field=models.PositiveSmallIntegerField(default=14, verbose_name='days a report may be late before payments are held'),
        ),
        migrations.AddField(
            model_name='pool',
            name='repayment_minimum',
            field=models.DecimalField(decimal_places=2, default=Decimal('500'), max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='smallest amount claimed back (DKK)'),
        ),
        migrations.AddField(
            model_name='pool',
            name='retention_percent',
            field=models.DecimalField(decimal_places=2, default=Decimal('10'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='share retained until the final accounts (%)'),
        ),
        migrations.AddField(
            model_name='pool',
            name='standard_conditions',
            field=models.TextField(blank=True, help_text='The conditions every grant of the pool carries; the grant letter states them.', validators=[core.validators.validate_no_cpr], verbose_name='standard conditions'),
        ),
        migrations.AddField(
            model_name='pool',
            name='variance_explain_percent',
            field=models.DecimalField(decimal_places=2, default=Decimal('10'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='budget variance to explain in the accounts (%)'),
        ),
        migrations.AddConstraint(
            model_name='pool',
            constraint=models.CheckConstraint(condition=models.Q(('retention_percent__gte', 0), ('retention_percent__lte', 100), ('variance_explain_percent__gte', 0), ('variance_explain_percent__lte', 100)), name='pool_percents_0_100'),
        ),
        migrations.AddConstraint(
            model_name='pool',
            constraint=models.CheckConstraint(condition=models.Q(('audit_performance_above__gte', models.F('audit_registered_above'))), name='pool_audit_levels_ordered'),
        ),
    ]
