"""What the grant administration knows of a pool's money is part of the pool dashboard's figures,
which SIRI's looks share from the cache (monitoring/pool_snapshot.py): a payment paid out shows at
the next look (it registers its payments, repayments and final accounts as what the figures read)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Grant
from awards import services
from awards.models import PaymentKind
from core.money import format_dkk

from ..monitoring.test_pool_snapshot import look


def paid_out(response: Any) -> str:
    """The money chart's "Paid out" amount, as the page writes it."""
    chart = next(chart for chart in response.context["charts"] if chart.key == "chart-pool-money")
    return next(text for label, text, *_rest in chart.rows if label == "Paid out")


@pytest.mark.django_db(transaction=True)  # what a payment renews, it renews after the commit
def test_a_payment_paid_out_shows_in_the_pools_money_at_the_next_look(running: Grant, pool_admin: Any) -> None:
    call_command("rebuild_progress", stdout=None)
    pool = running.application.pool_id
    before, _read = look(pool_admin, pool)
    assert paid_out(before) == format_dkk(0)
    assert look(pool_admin, pool)[1] is False  # kept

    first = running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    services.pay(first.pk, pool_admin, timezone.localdate())
    after, read = look(pool_admin, pool)
    assert read
    assert paid_out(after) == format_dkk(first.amount)
