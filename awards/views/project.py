"""The grant administration's part of the project page (monitoring's page shows the panels this
app registers): what the grant needs from its reader now, the payments against what the reports
say was spent, the change requests, the versions of the budget and plan, the letters and the
grant's history. And the pages of acceptance, revocation and the versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from applications.models import Grant, GrantState
from core.money import format_dkk
from core.views import Decision, decision_page, render_page
from documents.services import about as documents_about
from monitoring.extensions import Panel
from monitoring.models import QuarterlyReport
from monitoring.progress import counting_reports

from .. import services
from ..forms import AcceptForm, RevokeForm
from ..models import ChangeKind, ChangeRequest, ChangeState, Payment, PaymentState
from ..services.changes import open_problem
from .closing import panel as closing_panel
from .common import ACCEPT, ASK, LETTERS, PAY, REVOKE, get_award, project_context


@dataclass(frozen=True)
class Need:
    """One thing the grant needs now, said to its reader: a dkfds alert and maybe a link."""

    level: str  # info, warning, error, success
    text: str
    url: str = ""
    label: str = ""


def _due_reports(grant: Grant, today: Any) -> tuple[Any, list[Any]]:
    """The next report due and the reports late (not handed in), from the milestones. The project
    page's grant comes with its milestones and reports (`progress.monitoring_queryset`): these are
    read from them, not asked again."""
    handed_in = {report.period for report in grant.reports.all() if report.is_handed_in}
    owed = [m for m in grant.milestones.all() if m.period not in handed_in]
    late = [m for m in owed if m.report_due_on < today]
    upcoming = next((m for m in owed if m.report_due_on >= today), None)
    return upcoming, late


def _needs(request: HttpRequest, grant: Grant, terms: Any, payments: list[Payment], changes: list[Any]) -> list[Need]:
    user, today = request.user, timezone.localdate()
    date = "%d.%m.%Y"
    needs: list[Need] = []
    if grant.state == GrantState.AWAITING_ACCEPTANCE and terms.accept_by is not None:
        deadline = terms.accept_by.strftime(date)
        if today > terms.accept_by:
            needs.append(
                Need("error", _("The deadline to accept was %(date)s; the grant lapses.") % {"date": deadline})
            )
        elif user.has_perm(ACCEPT, grant):
            needs.append(
                Need(
                    "warning",
                    _("Accept the grant by %(date)s, or it lapses.") % {"date": deadline},
                    reverse("awards:accept", args=[grant.pk]),
                    _("Accept the grant"),
                )
            )
        else:
            needs.append(Need("info", _("Awaiting the municipality's acceptance by %(date)s.") % {"date": deadline}))
    elif grant.state in (GrantState.LAPSED, GrantState.REVOKED):
        entry = grant.transitions.filter(target=grant.state).order_by("-at").first()
        when = timezone.localdate(entry.at).strftime(date) if entry else "–"
        if grant.state == GrantState.LAPSED:
            text = _("The grant lapsed on %(date)s: it was not accepted in time. Its money is back in the pool.")
        else:
            text = _("The grant was revoked on %(date)s.")
        needs.append(Need("error", " ".join([text % {"date": when}, entry.reason if entry else ""]).strip()))
    if grant.state in (GrantState.ACTIVE, GrantState.ACCOUNTS_SUBMITTED):
        if terms.accepted_at:
            needs.append(
                Need(
                    "success",
                    _("Accepted on %(date)s by %(name)s, %(title)s.")
                    % {
                        "date": timezone.localdate(terms.accepted_at).strftime(date),
                        "name": terms.accepted_by_name,
                        "title": terms.accepted_by_title,
                    },
                )
            )
        upcoming, late = _due_reports(grant, today)
        for milestone in late:
            needs.append(
                Need(
                    "error",
                    _("The report for %(quarter)s was due on %(date)s.")
                    % {"quarter": milestone.period, "date": milestone.report_due_on.strftime(date)},
                )
            )
        if upcoming is not None:
            needs.append(
                Need(
                    "info",
                    _("The report for %(quarter)s is due on %(date)s.")
                    % {"quarter": upcoming.period, "date": upcoming.report_due_on.strftime(date)},
                )
            )
        held = [p for p in payments if p.state == PaymentState.HELD]
        if held:
            needs.append(
                Need(
                    "error",
                    _("%(count)s payment(s), %(amount)s, held because: %(reason)s")
                    % {
                        "count": len(held),
                        "amount": format_dkk(sum(p.amount for p in held)),
                        "reason": held[0].held_reason,
                    },
                )
            )
        for change in changes:
            if change.state == ChangeState.SUBMITTED:
                needs.append(
                    Need(
                        "info",
                        _("A change request (%(kind)s) awaits SIRI's decision.")
                        % {"kind": change.get_kind_display().lower()},
                        reverse("awards:change", args=[change.pk]),
                        _("See the change request"),
                    )
                )
    return needs


def _spent(grant: Grant) -> QuarterlyReport | None:
    """The latest report handed in that states the money spent to date (of the grant's reports,
    read with it)."""
    return next((r for r in reversed(counting_reports(grant)) if r.spent_to_date is not None), None)


# What a grant has one of at most: its terms, and what it hands in and pays back at its end.
ENDS = ("terms", "final_report", "final_accounts", "repayment")


def read_ends(grant: Grant) -> None:
    """Read the grant's `ENDS` in one query and keep them on it, as if read by their relations
    (`grant.terms`, or DoesNotExist): the panels read all four, a query each before. The project
    page reads them with its grant (`monitoring.extensions.PROJECT_GRANT_RELATED`)."""
    if all(Grant._meta.get_field(name).is_cached(grant) for name in ENDS):
        return
    loaded = Grant.objects.select_related(*ENDS).get(pk=grant.pk)
    for name in ENDS:
        relation = Grant._meta.get_field(name)
        found = relation.get_cached_value(loaded, default=None)
        if found is not None:
            relation.field.set_cached_value(found, grant)  # its `grant` is the page's, not a copy
        relation.set_cached_value(grant, found)


def panels(request: HttpRequest, grant: Grant) -> list[Panel]:
    """The grant administration's panels of the project page (registered with monitoring)."""
    user = request.user
    read_ends(grant)
    terms = services.terms_of(grant)
    payments = list(Payment.objects.filter(grant=grant).in_plan().order_by("due_on", "kind", "id"))
    changes = list(
        ChangeRequest.objects.filter(grant=grant).select_related("resulting_version").order_by("-submitted_at")
    )
    paid = sum((p.amount for p in payments if p.state == PaymentState.PAID), 0)
    version = grant.versions.order_by("-number").first()
    may_ask = user.has_perm(ASK, grant) and open_problem(grant, timezone.localdate()) is None
    documents = documents_about(user, [grant.application, grant, *changes], LETTERS)
    top = Panel(
        "awards/_needs.html",
        {
            "needs": _needs(request, grant, terms, payments, changes),
            "grant": grant,
            "terms": terms,
            "can_revoke": user.has_perm(REVOKE, grant)
            and grant.state in (GrantState.AWAITING_ACCEPTANCE, GrantState.ACTIVE),
        },
        "top",
    )
    bottom = Panel(
        "awards/_grant_panel.html",
        {
            "grant": grant,
            "terms": terms,
            "payments": payments,
            "paid": paid,
            "spent": _spent(grant),
            "can_pay": user.has_perm(PAY, grant),
            "changes": changes,
            "kinds": ChangeKind.choices if may_ask else [],
            "version": version,
            "documents": documents,
            "entries": grant.transitions.select_related("by").order_by("at", "id")
            if hasattr(grant, "transitions")
            else [],
        },
    )
    ending = closing_panel(request, grant)
    return [top, *([ending] if ending else []), bottom]


# Acceptance and revocation ----------------------------------------------------------------------

ACCEPT_TEXTS = {
    "heading": gettext_lazy("Accept the grant"),
    "link": gettext_lazy("Accept the grant"),
    "question": gettext_lazy(
        "Accept the grant of %(amount)s for “%(title)s” on behalf of %(municipality)s, as %(name)s, %(title_of)s? "
        "The payment plan is then made, and the grant's conditions bind the municipality."
    ),
    "confirm": gettext_lazy("Yes, accept the grant"),
    "done": gettext_lazy("The grant for “%(title)s” is accepted. The payment plan is on the project page."),
}


def _facts(award: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "amount": format_dkk(award.amount),
        "title": award.application.title,
        "municipality": award.application.lead_municipality.name,
        "name": data.get("accepted_by_name") or "",
        "title_of": data.get("accepted_by_title") or "",
    }


@login_required
def accept(request: HttpRequest, grant_pk: int) -> HttpResponse:
    award = get_award(request, grant_pk, ACCEPT)
    spec = Decision(
        transition="accept",
        form=AcceptForm.for_grant(services.declaration(award)),
        run=lambda subject, user, data: services.accept(subject.pk, user, data),
        **ACCEPT_TEXTS,
    )
    terms = services.terms_of(award)
    blocked = None
    if award.state == GrantState.AWAITING_ACCEPTANCE and terms.accept_by and timezone.localdate() > terms.accept_by:
        blocked = _("The deadline to accept the grant was %(date)s; it can no longer be accepted.") % {
            "date": f"{terms.accept_by:%d.%m.%Y}"
        }
    context = {**project_context(award), "back_label": _("Back to the project"), "terms": terms, "accepting": True}
    here = reverse("monitoring:project", args=[award.pk])
    initial = {
        "accepted_by_name": award.application.grant_responsible_name,
        "accepted_by_title": award.application.grant_responsible_title,
    }
    return decision_page(
        request,
        award,
        spec,
        context=context,
        facts=lambda data: _facts(award, data),
        done_url=here,
        blocked=blocked,
        initial=initial,
    )


REVOKE_DECISION = Decision(
    transition="revoke",
    form=RevokeForm,
    run=lambda subject, user, data: services.revoke(subject.pk, user, data["reason"]),
    heading=gettext_lazy("Revoke the grant"),
    link=gettext_lazy("Revoke"),
    question=gettext_lazy(
        "Revoke the grant of %(amount)s to %(municipality)s for “%(title)s”? Nothing more is paid, what was "
        "paid is claimed back, and the municipality receives the revocation letter with your reason."
    ),
    confirm=gettext_lazy("Yes, revoke the grant"),
    done=gettext_lazy("The grant for “%(title)s” is revoked; the revocation letter is being made."),
)


@login_required
def revoke(request: HttpRequest, grant_pk: int) -> HttpResponse:
    award = get_award(request, grant_pk, REVOKE)
    context = {**project_context(award), "back_label": _("Back to the project")}
    here = reverse("monitoring:project", args=[award.pk])
    return decision_page(
        request, award, REVOKE_DECISION, context=context, facts=lambda data: _facts(award, data), done_url=here
    )


# The versions of the budget and plan -------------------------------------------------------------


@login_required
@require_safe
def versions(request: HttpRequest, grant_pk: int) -> HttpResponse:
    award = get_award(request, grant_pk)
    rows = list(
        award.versions.prefetch_related("lines").select_related("change_request", "created_by").order_by("-number")
    )
    for version in rows:
        years: dict[int, Any] = {}
        for line in version.lines.all():
            years[line.year] = years.get(line.year, 0) + line.amount
        version.years = sorted(years.items())
    return render_page(request, "awards/versions.html", {**project_context(award), "versions": rows})
