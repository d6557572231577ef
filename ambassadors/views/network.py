"""SIRI's view of the whole network: every ambassador with their project and last report, who is
late, and the reports awaiting acknowledgement. A fixed number of queries however many
ambassadors there are: everything is selected or prefetched, the rest computed in Python."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from applications.forms.filters import MunicipalityFilter
from applications.models import Application, Municipality
from core.tables import columns
from core.views import partial_for, render_page, require_perm
from monitoring.quarters import Quarter

from ..models import Ambassador, AmbassadorReport, AmbassadorReportState
from .common import (
    STATE_BADGES,
    VIEW_NETWORK,
    late_quarter,
)


@dataclass
class NetworkRow:
    ambassador: Ambassador
    last: AmbassadorReport | None
    late: Quarter | None
    due: datetime.date | None


AWAITING_COLUMNS = columns(_("Ambassador"), _("Municipality"), _("Quarter"), _("Submitted"))
NETWORK_COLUMNS = columns(
    _("Ambassador"), _("Municipality"), _("Project"), _("Focus areas"), _("Last report"), _("Late")
)


def _texts(model: type[models.Model], prefix: str = "") -> list[str]:
    """The model's free-text fields: the network shows none of them, and a national network's
    reports and applications carry megabytes of them (issue 16)."""
    return [prefix + f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField | models.JSONField)]


def network_rows(ambassadors: list[Ambassador], today: datetime.date) -> list[NetworkRow]:
    rows = []
    for ambassador in ambassadors:
        reports = list(ambassador.reports.all())  # prefetched: the handed-in ones, oldest first
        late = late_quarter(ambassador, reports, today)
        rows.append(
            NetworkRow(
                ambassador=ambassador,
                last=reports[-1] if reports else None,
                late=late[0] if late else None,
                due=late[1] if late else None,
            )
        )
    return rows


@require_perm(VIEW_NETWORK)
@require_safe
def network(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    municipalities = Municipality.objects.filter(ambassadors__isnull=False).distinct().order_by("name")
    form = MunicipalityFilter(request.GET or None, municipalities=municipalities)
    # SIRI sees what was handed in; a draft never handed in is the ambassador's own.
    handed_in = AmbassadorReport.objects.handed_in().defer(*_texts(AmbassadorReport))
    ambassadors = (
        Ambassador.objects.select_related(
            "user", "municipality", "grant__application__pool", "grant__application__lead_municipality"
        )
        .defer(*_texts(Application, "grant__application__"))
        .prefetch_related(Prefetch("reports", queryset=handed_in.order_by("year", "quarter", "id")))
    )
    awaiting = (
        AmbassadorReport.objects.filter(state=AmbassadorReportState.SUBMITTED)
        .select_related("ambassador__user", "ambassador__municipality")
        .defer(*_texts(AmbassadorReport))
    )
    chosen = form.cleaned_data.get("municipality") if form.is_valid() else None
    if chosen is not None:
        ambassadors = ambassadors.filter(municipality=chosen)
        awaiting = awaiting.filter(ambassador__municipality=chosen)
    rows = network_rows(list(ambassadors), today)
    context = {
        "awaiting_columns": AWAITING_COLUMNS,
        "network_columns": NETWORK_COLUMNS,
        "form": form,
        "rows": rows,
        "late_count": sum(1 for row in rows if row.late),
        "awaiting": awaiting.order_by("submitted_at", "id"),
        "badges": STATE_BADGES,
        "today": today,
    }
    partial = partial_for(request, "network-results")
    template = "ambassadors/network/_results.html" if partial else "ambassadors/network.html"
    return render_page(request, template, context)
