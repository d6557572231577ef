"""The grants made before the grant administration are `active` (they were never asked to accept):
each gets its terms as the pool sets them now, with no acceptance deadline."""

from decimal import Decimal

from django.db import migrations


def terms_for_existing(apps, schema_editor):
    Grant = apps.get_model("applications", "Grant")
    GrantTerms = apps.get_model("awards", "GrantTerms")
    for grant in Grant.objects.filter(terms__isnull=True).select_related("application__pool"):
        pool = grant.application.pool
        if grant.amount > pool.audit_performance_above:
            level = "performance"
        elif grant.amount > pool.audit_registered_above:
            level = "registered"
        else:
            level = "qualified"
        GrantTerms.objects.create(
            grant=grant, accept_by=None, retention_percent=pool.retention_percent or Decimal(10), audit_level=level
        )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("applications", "0009_awards_grant_states"),
    ]

    operations = [migrations.RunPython(terms_for_existing, migrations.RunPython.noop)]
