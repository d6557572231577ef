# The single contact of an entry now lives in PracticeContact (0008 carried it over).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ambassadors', '0008_carry_over_municipality_and_contact'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='bestpractice',
            name='contact_email',
        ),
        migrations.RemoveField(
            model_name='bestpractice',
            name='contact_name',
        ),
        migrations.RemoveField(
            model_name='bestpractice',
            name='contact_phone',
        ),
        migrations.RemoveField(
            model_name='bestpractice',
            name='contact_role',
        ),
    ]
