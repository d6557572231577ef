"""SIRI's payments: the overview of what is due in a period (and what is held), its CSV export
for the finance system, and the pool admin's record that a payment was paid, behind a
confirmation step."""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from applications.models import REPORTING_STATES
from core import exports
from core.money import format_dkk
from core.tables import Column, columns
from core.views import Decision, decision_page, query_string, render_page, require_perm

from .. import services
from ..forms import PayForm, PeriodForm
from ..models import Payment, PaymentState
from .common import OVERVIEW, PAY, get_payment, project_context

COLUMNS = columns(
    gettext_lazy("Project"),
    gettext_lazy("CVR"),
    gettext_lazy("Payment"),
    gettext_lazy("Due"),
    Column(gettext_lazy("Amount"), numeric=True),
    gettext_lazy("State"),
    Column(gettext_lazy("Actions"), hidden=True),
)
# Payments per page: a national quarter holds a payment of every grant in force (600 rows were
# 350 KiB and 220 ms, issue 16); the totals and the exports count them all.
PAGE_SIZE = 50
# What a row of the page shows: the payment and its project's title, not the application's texts,
# which the database joined and sorted for every payment of the period before the page was cut.
PAGE_SHOWN = (
    *(field.name for field in Payment._meta.concrete_fields),
    "grant__application__title",
    "grant__application__journal_number",
    "grant__application__lead_municipality__name",
)


def due_in(user: Any, start: datetime.date, end: datetime.date, *, held: bool = False) -> QuerySet[Payment]:
    """The payments of grants in force due in the period; with `held`, every held one too (what
    waits on a report, whenever it was due)."""
    in_period = Q(due_on__gte=start, due_on__lte=end)
    return (
        Payment.objects.visible_to(user)
        .in_plan()
        .filter(grant__state__in=REPORTING_STATES)
        .filter(in_period | Q(state=PaymentState.HELD) if held else in_period)
        .select_related("grant__application__lead_municipality", "grant__application__pool")
        .order_by("due_on", "grant_id", "id")
    )


# The overview as the page shows it, for people (Danish headers and formats); the finance
# system's CSV below keeps its own fixed columns.
EXPORT_COLUMNS = [
    exports.Column(gettext_lazy("Journal number"), lambda p: p.grant.application.journal_number),
    exports.Column(gettext_lazy("Project"), lambda p: p.grant.application.title),
    exports.Column(gettext_lazy("Municipality"), lambda p: p.grant.application.lead_municipality.name),
    exports.Column(gettext_lazy("CVR"), lambda p: p.cvr),
    exports.Column(gettext_lazy("Kind"), lambda p: p.get_kind_display()),
    exports.Column(gettext_lazy("Year"), lambda p: p.year, "int"),
    exports.Column(gettext_lazy("Quarter"), lambda p: p.quarter, "int"),
    exports.Column(gettext_lazy("Due"), lambda p: p.due_on, "date"),
    exports.Column(gettext_lazy("Amount (kr.)"), lambda p: p.amount, "money"),
    exports.Column(gettext_lazy("State"), lambda p: p.get_state_display()),
    exports.Column(gettext_lazy("Held because"), lambda p: p.held_reason),
    exports.Column(gettext_lazy("Paid on"), lambda p: p.paid_on, "date"),
]


@require_perm(OVERVIEW)
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period() if form.is_bound else PeriodForm().period()
    if fmt := exports.requested_format(request):
        rows = exports.chunked_rows(due_in(request.user, start, end, held=True))
        return exports.response(fmt, EXPORT_COLUMNS, rows, f"udbetalinger-{start.isoformat()}-{end.isoformat()}")
    payments = due_in(request.user, start, end, held=True)
    states = (PaymentState.PLANNED, PaymentState.HELD, PaymentState.PAID)
    sums = payments.aggregate(**{state: Sum("amount", filter=Q(state=state), default=0) for state in states})
    totals = {state: sums[state] for state in states}
    shown = payments.select_related(None).select_related("grant__application__lead_municipality").only(*PAGE_SHOWN)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form if form.is_bound else PeriodForm(initial={"due_after": start, "due_before": end}),
        "payments": page.object_list,
        "page": page,
        "page_query": query_string(request.GET, page=None),
        "columns": COLUMNS,
        "start": start,
        "end": end,
        "totals": totals,
        "can_pay": request.user.has_perm(PAY),
        "export_links": exports.export_links(request),
        "export": reverse("awards:payments_export") + f"?due_after={start.isoformat()}&due_before={end.isoformat()}",
    }
    return render_page(request, "awards/payments.html", context)


CSV_HEADER = [
    "payment_id",
    "journal_number",
    "project",
    "municipality",
    "cvr",
    "finance_act_account",
    "year",
    "quarter",
    "due_on",
    "amount",
    "state",
    "held_reason",
    "paid_on",
]


def _amount(value: Any) -> str:
    """112500.00 → 112500,00: the decimal comma a Danish finance system reads."""
    return f"{value:.2f}".replace(".", ",")


@require_perm(OVERVIEW)
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """The payments due in the period as CSV (semicolons, UTF-8 with a byte order mark, ISO dates
    and decimal commas), one row per payment, for the finance system to pay from."""
    form = PeriodForm(request.GET or None)
    start, end = form.period() if form.is_bound else PeriodForm().period()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="udbetalinger-{start.isoformat()}-{end.isoformat()}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for payment in due_in(request.user, start, end):
        application = payment.grant.application
        writer.writerow(
            [
                payment.pk,
                application.journal_number,
                application.title,
                application.lead_municipality.name,
                payment.cvr,
                application.pool.finance_act_account,
                payment.year or "",
                payment.quarter or "",
                payment.due_on.isoformat(),
                _amount(payment.amount),
                payment.state,
                payment.held_reason,
                payment.paid_on.isoformat() if payment.paid_on else "",
            ]
        )
    return response


PAY_DECISION = Decision(
    transition="pay",
    form=PayForm,
    run=lambda payment, user, data: services.pay(payment.pk, user, data["paid_on"]),
    heading=gettext_lazy("Record a payment as paid"),
    link=gettext_lazy("Record as paid"),
    question=gettext_lazy(
        "Record that %(amount)s was paid to %(municipality)s (CVR %(cvr)s) on %(date)s for “%(title)s”?"
    ),
    confirm=gettext_lazy("Yes, record it as paid"),
    done=gettext_lazy("The payment of %(amount)s to %(municipality)s is recorded as paid."),
)


@login_required
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_payment(request, pk, PAY)
    grant = payment.grant
    context = {
        **project_context(grant),
        "payment": payment,
        "facts": "awards/_payment_facts.html",
        "back_label": _("Back to the payments"),
    }

    def facts(data: dict[str, Any]) -> dict[str, Any]:
        paid_on = data.get("paid_on")
        return {
            "amount": format_dkk(payment.amount),
            "municipality": grant.application.lead_municipality.name,
            "cvr": payment.cvr or "–",
            "date": f"{paid_on:%d.%m.%Y}" if paid_on else "–",
            "title": grant.application.title,
        }

    back = request.GET.get("next") or ""
    done = back if back.startswith("/") and not back.startswith("//") else reverse("awards:payments")
    return decision_page(request, payment, PAY_DECISION, context=context, facts=facts, done_url=done)
