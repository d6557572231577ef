"""SIRI's view of the whole network: every ambassador with their project and last report, who is
late, and the reports awaiting acknowledgement, a page of each at a time. A fixed number of
queries however many ambassadors there are: of every ambassador only what lateness needs is read,
the last report only for the page shown, and nothing of the reports' or applications' texts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, prefetch_related_objects
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
from .common import LATENESS_VALUES, STATE_BADGES, VIEW_NETWORK, Lateness, Owed, owed_quarter


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


def network_rows(ambassadors: list[Ambassador], late: dict[int, Owed]) -> list[NetworkRow]:
    """A row per ambassador of the page, with its lateness (`late`, by ambassador) and `latest`
    (its last report handed in, `_latest_reports`)."""
    rows = []
    for ambassador in ambassadors:
        owed = late.get(ambassador.pk)
        latest = getattr(ambassador, "latest", [])
        rows.append(
            NetworkRow(
                ambassador=ambassador,
                last=latest[-1] if latest else None,
                late=owed[0] if owed else None,
                due=owed[1] if owed else None,
            )
        )
    return rows


def _lateness(ambassadors: QuerySet[Ambassador], today: datetime.date) -> dict[int, Owed]:
    """Every ambassador's lateness (`late_quarter`), in the network's order, from one query of
    values: as models with their users, municipalities, projects and last reports, the whole
    network's were a third of the page (issue 16); the page's rows read theirs apart."""
    last = Quarter.of(today).previous()
    handed_in = AmbassadorReport.objects.handed_in().filter(
        ambassador=OuterRef("pk"), year=last.year, quarter=last.quarter
    )
    rows = ambassadors.annotate(handed_in_last=Exists(handed_in)).values_list("pk", *LATENESS_VALUES, "handed_in_last")
    return {pk: owed_quarter(Lateness(*values), today) for pk, *values in rows}


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
    ambassadors = Ambassador.objects.all()
    awaiting = (
        AmbassadorReport.objects.filter(state=AmbassadorReportState.SUBMITTED)
        .select_related("ambassador__user", "ambassador__municipality")
        .only("ambassador_id", "year", "quarter", "submitted_at", *(f"ambassador__{f}" for f in AMBASSADOR_FIELDS[:5]))
    )
    chosen = form.cleaned_data.get("municipality") if form.is_valid() else None
    if chosen is not None:
        ambassadors = ambassadors.filter(municipality=chosen)
        awaiting = awaiting.filter(ambassador__municipality=chosen)
    late = _lateness(ambassadors, today)
    page = Paginator(list(late), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = ambassadors.select_related("user", "municipality", "grant__application__pool").only(*AMBASSADOR_FIELDS)
    by_pk = shown.in_bulk(page.object_list)
    on_page = [by_pk[pk] for pk in page.object_list if pk in by_pk]  # one gone meanwhile is left out
    _latest_reports(on_page)
    rows = network_rows(on_page, late)
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
        "late_count": sum(1 for owed in late.values() if owed),
        "awaiting": awaiting_page.object_list,
        "awaiting_page": awaiting_page,
        "awaiting_query": query_string(request.GET, awaiting_page=None),
        "badges": STATE_BADGES,
        "today": today,
    }
    partial = partial_for(request, "network-results")
    template = "ambassadors/network/_results.html" if partial else "ambassadors/network.html"
    return render_page(request, template, context)
