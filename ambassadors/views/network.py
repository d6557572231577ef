"""SIRI's view of the whole network: every ambassador with their project and last report, who is
late, and the reports awaiting acknowledgement, a page of each at a time. A fixed number of
queries however many ambassadors there are: of every ambassador only what lateness needs is read,
the last report only for the page shown, and nothing of the reports' or applications' texts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from applications.forms.filters import MunicipalityFilter
from applications.models import Municipality
from core.tables import columns
from core.views import partial_for, query_string, render_page, require_perm
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


# Ambassadors, and reports awaiting acknowledgement, a page: two tables on one page (at 50 each
# the rows were half of its time, issue 16).
PAGE_SIZE = 25


def network_rows(ambassadors: list[Ambassador], today: datetime.date) -> list[NetworkRow]:
    """A row per ambassador; each comes with `last_quarter` (its report of the last completed
    quarter if handed in, all that lateness reads) and, on the page shown, `latest` (its last
    report handed in)."""
    rows = []
    for ambassador in ambassadors:
        late = late_quarter(ambassador, ambassador.last_quarter, today)
        latest = getattr(ambassador, "latest", [])
        rows.append(
            NetworkRow(
                ambassador=ambassador,
                last=latest[-1] if latest else None,
                late=late[0] if late else None,
                due=late[1] if late else None,
            )
        )
    return rows


def _latest_reports(ambassadors: list[Ambassador]) -> None:
    """Each ambassador's last report handed in (`latest`), for the page's ambassadors only."""
    handed_in = AmbassadorReport.objects.handed_in()
    newest = handed_in.filter(ambassador=OuterRef("ambassador_id")).order_by("-year", "-quarter", "-id").values("pk")
    latest = handed_in.filter(pk=Subquery(newest[:1])).only(*REPORT_FIELDS)
    prefetch_related_objects(ambassadors, Prefetch("reports", queryset=latest, to_attr="latest"))


# What the rows show of a report and of an ambassador's project: no free text (a national
# network's reports and applications carry megabytes of it, issue 16).
REPORT_FIELDS = ("ambassador_id", "year", "quarter", "state", "first_submitted_at")
AMBASSADOR_FIELDS = (
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__email",
    "municipality__name",
    "grant__start_date",
    "grant__end_date",
    "grant__application__title",
    "grant__application__pool__reporting_delay_days",
    "started_on",
    "focus_areas",
    "email",
    "active",
)


@require_perm(VIEW_NETWORK)
@require_safe
def network(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    municipalities = Municipality.objects.filter(ambassadors__isnull=False).distinct().order_by("name")
    form = MunicipalityFilter(request.GET or None, municipalities=municipalities)
    # SIRI sees what was handed in; a draft never handed in is the ambassador's own. Of every
    # ambassador only what lateness needs is read (their last quarter's report); the rest of a
    # row for the page shown.
    last = Quarter.of(today).previous()
    last_quarter = AmbassadorReport.objects.handed_in().filter(year=last.year, quarter=last.quarter)
    ambassadors = (
        Ambassador.objects.select_related("user", "municipality", "grant__application__pool")
        .only(*AMBASSADOR_FIELDS)
        .prefetch_related(Prefetch("reports", queryset=last_quarter.only(*REPORT_FIELDS), to_attr="last_quarter"))
    )
    awaiting = (
        AmbassadorReport.objects.filter(state=AmbassadorReportState.SUBMITTED)
        .select_related("ambassador__user", "ambassador__municipality")
        .only("ambassador_id", "year", "quarter", "submitted_at", *(f"ambassador__{f}" for f in AMBASSADOR_FIELDS[:5]))
    )
    chosen = form.cleaned_data.get("municipality") if form.is_valid() else None
    if chosen is not None:
        ambassadors = ambassadors.filter(municipality=chosen)
        awaiting = awaiting.filter(ambassador__municipality=chosen)
    every = network_rows(list(ambassadors), today)
    page = Paginator(every, PAGE_SIZE).get_page(request.GET.get("page"))
    _latest_reports([row.ambassador for row in page.object_list])
    rows = network_rows([row.ambassador for row in page.object_list], today)
    awaiting_page = Paginator(awaiting.order_by("submitted_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("awaiting_page")
    )
    context = {
        "awaiting_columns": AWAITING_COLUMNS,
        "network_columns": NETWORK_COLUMNS,
        "form": form,
        "rows": rows,
        "page": page,
        "page_query": query_string(request.GET, page=None),
        "late_count": sum(1 for row in every if row.late),
        "awaiting": awaiting_page.object_list,
        "awaiting_page": awaiting_page,
        "awaiting_query": query_string(request.GET, awaiting_page=None),
        "badges": STATE_BADGES,
        "today": today,
    }
    partial = partial_for(request, "network-results")
    template = "ambassadors/network/_results.html" if partial else "ambassadors/network.html"
    return render_page(request, template, context)
