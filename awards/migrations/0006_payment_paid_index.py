"""What each grant has been paid, read from an index alone (awards.Payment's payment_paid_idx)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0005_closing"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                condition=models.Q(("state", "paid")), fields=["grant", "amount"], name="payment_paid_idx"
            ),
        ),
    ]
