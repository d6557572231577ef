"""What the grant administration adds to the apps below it, through their hooks (none of them
imports this app): the daily job's notices, the letters, the grant's fields in the API, the
panels of the project page, the menu."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, DateField, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from applications.models import Grant, GrantState
from core.money import MONEY_FIELD

from .models import AccountsState, FinalAccounts, Payment, PaymentState, Repayment, RepaymentState
from .services.end import due_after

MONEY = DecimalField(**MONEY_FIELD)


def register() -> None:
    from monitoring import extensions
    from monitoring.reminders import REMINDER_SOURCES

    from .api.serializers import grant_fields
    from .documents import register_letters
    from .reminders import send_award_notices
    from .views.project import ENDS, panels

    register_letters()

    if send_award_notices not in REMINDER_SOURCES:
        REMINDER_SOURCES.append(send_award_notices)

    extensions.GRANT_FIELDS.update(grant_fields())
    if panels not in extensions.PROJECT_PANELS:
        extensions.PROJECT_PANELS.append(panels)
    extensions.PROJECT_GRANT_RELATED[:] = sorted({*extensions.PROJECT_GRANT_RELATED, *ENDS})
    _register_menu()
    if with_money_and_terms not in extensions.GRANT_QUERYSETS:
        extensions.GRANT_QUERYSETS.append(with_money_and_terms)
    owed = extensions.OwedLateness(end_columns, end_days_late, (FinalAccounts,))
    if owed not in extensions.OWED_LATENESS:
        extensions.OWED_LATENESS.append(owed)
    money = extensions.PoolMoney(money_columns, money_figures, (Payment, Repayment))
    if money not in extensions.POOL_MONEY:
        extensions.POOL_MONEY.append(money)


def with_money_and_terms(grants: QuerySet[Grant]) -> QuerySet[Grant]:
    """What the grant's added fields read, with the list: its terms and what has been paid."""

    # A subquery per grant, not a join of every payment grouped by grant: grouped, the database
    # summed the payments of every grant of the list (and again to count them) before the page
    # of 50 was cut; a subquery runs for the page's grants alone.
    paid = (
        Payment.objects.filter(grant=OuterRef("pk"), state=PaymentState.PAID)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    repaid = Repayment.objects.filter(grant=OuterRef("pk"), state=RepaymentState.PAID).values("amount")
    zero = Value(Decimal(0), output_field=MONEY)
    return (
        grants.select_related("terms")
        .annotate(paid_sum=Coalesce(Subquery(paid, output_field=MONEY), zero))
        .annotate(repaid_sum=Coalesce(Subquery(repaid, output_field=MONEY), zero))
    )


def money_columns() -> dict[str, Any]:
    """Each grant's money paid out and repaid (`monitoring.extensions.PoolMoney`): a subquery
    each, which the database runs for the grants read alone."""
    paid = (
        Payment.objects.filter(grant=OuterRef("pk"), state=PaymentState.PAID)
        .order_by()  # a payment's ordering joined each grant's payments to the grant again
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    repaid = Repayment.objects.filter(grant=OuterRef("pk"), state=RepaymentState.PAID).values("amount")
    zero = Value(Decimal(0), output_field=MONEY)
    return {
        "awards_paid": Coalesce(Subquery(paid, output_field=MONEY), zero),
        "awards_repaid": Coalesce(Subquery(repaid, output_field=MONEY), zero),
    }


def money_figures(rows: list[Any]) -> list[Any]:
    """The money paid out to the grants, repaid by them, and returned to the pool by the closed
    ones (granted, less paid, plus repaid), for monitoring's pool charts and portfolio report:
    what came back is shown apart from what was granted."""
    from django.utils.translation import gettext_lazy as _

    from monitoring.extensions import MoneyFigure

    paid = repaid = returned = Decimal(0)
    for amount, state, values in rows:
        paid += values["awards_paid"]
        repaid += values["awards_repaid"]
        if state == GrantState.CLOSED:
            returned += amount - values["awards_paid"] + values["awards_repaid"]
    return [
        MoneyFigure("paid", _("Paid out"), paid),
        MoneyFigure("repaid", _("Repaid"), repaid),
        MoneyFigure("returned", _("Returned to the pool (closed grants)"), returned),
    ]


def _register_menu() -> None:
    from django.utils.translation import gettext_lazy as _

    from core.menu import register
    from core.roles import SIRI_ROLES

    register(SIRI_ROLES, "awards:payments", _("Payments"), order=25, permission="awards.view_payment_overview")
    register(SIRI_ROLES, "awards:changes", _("Change requests"), order=26, permission="awards.view_change_queue")


def end_columns(today: datetime.date) -> dict[str, Any]:
    """Of an ended grant that has not submitted its final accounts: its end and the pool's days
    for the final report and accounts (`monitoring.extensions.OwedLateness`); owed until the
    accounts are submitted, as the inbox and the reminders count them."""
    submitted = FinalAccounts.objects.filter(
        grant=OuterRef("pk"), state__in=[AccountsState.SUBMITTED, AccountsState.APPROVED]
    )
    owing = Q(state=GrantState.ACTIVE, end_date__lt=today) & ~Exists(submitted)
    return {
        "awards_owing_since": Case(When(owing, then=F("end_date")), default=None, output_field=DateField()),
        "awards_final_report_days": F("application__pool__final_report_days"),
    }


def end_days_late(values: dict[str, Any], today: datetime.date) -> int:
    """The days late of the final report and accounts of a grant read with `end_columns`."""
    if values["awards_owing_since"] is None:
        return 0
    due = due_after(values["awards_owing_since"], values["awards_final_report_days"])
    return (today - due).days if due < today else 0
