"""The pages of a grant's end: the final report and the final accounts (written by the lead
municipality, decided by SIRI), the repayment received, and the closing. The project page shows
where the end stands (`panel`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Grant, GrantState
from core.forms import ConfirmForm
from core.money import format_dkk
from core.views import Decision, decision_page, render_page, save_form
from monitoring.extensions import Panel

from ..closing_forms import FinalAccountsForm, FinalDecisionForm, FinalReportForm, RepaymentPaidForm
from ..models import FinalAccounts, FinalReport, Repayment
from ..services import closing
from .common import get_award, project_context

CHANGE_REPORT = "awards.change_finalreport"
CHANGE_ACCOUNTS = "awards.change_finalaccounts"
DECIDE_REPORT = "awards.decide_finalreport"
DECIDE_ACCOUNTS = "awards.decide_finalaccounts"
PAY_REPAYMENT = "awards.pay_repayment"
CLOSE = "awards.close_award"
VIEW_ACCOUNTS = "awards.view_finalaccounts"
ENDING_STATES = (GrantState.ACTIVE, GrantState.ACCOUNTS_SUBMITTED, GrantState.CLOSED)


def _one(grant: Grant, relation: str) -> Any:
    """The grant's final report, final accounts or repayment, or None (read with the grant by the
    project page: `project.read_ends`)."""
    try:
        return getattr(grant, relation)
    except ObjectDoesNotExist:
        return None


def panel(request: HttpRequest, grant: Grant) -> Panel | None:
    """The end of the grant on the project page, from three months before the end date on."""
    if grant.state not in ENDING_STATES:
        return None
    today = timezone.localdate()
    report, accounts = _one(grant, "final_report"), _one(grant, "final_accounts")
    if report is None and accounts is None and (grant.end_date - today).days > 92:
        return None
    user = request.user
    repayment = _one(grant, "repayment")
    due = closing.due_on(grant)
    return Panel(
        "awards/_closing.html",
        {
            "grant": grant,
            "due_on": due,
            "late": today > due and (accounts is None or accounts.editable),
            "report": report,
            "accounts": accounts,
            "repayment": repayment,
            "checklist": closing.checklist(grant) if grant.state != GrantState.ACTIVE else [],
            "can_write": user.has_perm(CHANGE_ACCOUNTS, grant) and grant.state == GrantState.ACTIVE,
            "can_pay": user.has_perm(PAY_REPAYMENT, grant),
            "can_close": user.has_perm(CLOSE, grant) and grant.state == GrantState.ACCOUNTS_SUBMITTED,
            "returned": closing.returned_to_pool(grant) if grant.state == GrantState.CLOSED else None,
        },
    )


def _write(request: HttpRequest, award: Any, form: Any, save: Any, submit: Any, sent: Any, page: str) -> Any:
    """Save what a valid form parsed and, with the "send" button, submit it: then to the project
    page, else back to this page (a redirect); or the page's status with the problems on the form."""
    saved = save_form(form, lambda: save(form.service_data()))
    if not saved.ok:
        return saved.status
    if "submit" not in request.POST:
        messages.success(request, _("Saved."))
        return redirect(page, grant_pk=award.pk)
    submitted = save_form(form, lambda: submit(saved.value.pk))
    if not submitted.ok:
        messages.info(request, _("Your changes are saved; what is missing is named below."))
        return submitted.status
    messages.success(request, sent)
    return redirect("monitoring:project", grant_pk=award.pk)


@login_required
def final_report(request: HttpRequest, grant_pk: int) -> HttpResponse:
    award = get_award(request, grant_pk)
    report = closing.final_report_of(award)
    editable = request.user.has_perm(CHANGE_REPORT, award) and closing.writable(award, report)
    if request.method == "POST" and not editable:
        return render_page(request, "awards/final_report.html", {**project_context(award), "report": report}, 403)
    goals = list(award.application.goals.order_by("id"))
    offered = closing.reported_results(award) if editable else {}
    form = FinalReportForm(request.POST or None, goals=goals, offered=offered, report=report) if editable else None
    status = 200
    if form is not None and request.method == "POST" and form.is_valid():
        user = request.user
        written = _write(
            request,
            award,
            form,
            lambda data: closing.save_final_report(award.pk, user, data),
            lambda pk: closing.submit_final_report(pk, user),
            _("The final report is sent to SIRI."),
            "awards:final_report",
        )
        if not isinstance(written, int):
            return written
        status = written
    goal_titles = {goal.pk: goal for goal in goals}
    context = {
        **project_context(award),
        "report": report,
        "form": form,
        "results": [(goal_titles.get(r.goal_id), r) for r in report.results.all()] if report else [],
        "can_decide": report is not None
        and report.state == "submitted"
        and request.user.has_perm(DECIDE_REPORT, report),
        "due_on": closing.due_on(award),
        "propose": _proposal_query(award, report) if report and report.lessons else "",
    }
    return render_page(request, "awards/final_report.html", context, status=status)


def _proposal_query(award: Any, report: FinalReport) -> str:
    """The catalogue's proposal form, filled from the final report's lessons (one click to send),
    for whoever may propose entries (SIRI, the ambassadors): asked by permission name, so that
    this app imports nothing of the ambassadors'."""
    application = award.application
    return urlencode(
        {
            "title": application.title,
            "summary": report.lessons,
            "municipality": application.lead_municipality.code,
            "source": _("Final report of %(title)s (journal number %(journal)s)")
            % {"title": application.title, "journal": application.journal_number},
        }
    )


@login_required
def final_accounts(request: HttpRequest, grant_pk: int) -> HttpResponse:
    award = get_award(request, grant_pk)
    accounts = closing.final_accounts_of(award)
    editable = request.user.has_perm(CHANGE_ACCOUNTS, award) and closing.writable(award, accounts)
    rows = closing.variances(award, accounts)
    if request.method == "POST" and not editable:
        return render_page(request, "awards/final_accounts.html", {**project_context(award), "rows": rows}, 403)
    form = (
        FinalAccountsForm(request.POST or None, request.FILES or None, rows=rows, accounts=accounts)
        if editable
        else None
    )
    status = 200
    if form is not None and request.method == "POST" and form.is_valid():
        user = request.user
        written = _write(
            request,
            award,
            form,
            lambda data: closing.save_final_accounts(award.pk, user, data),
            lambda pk: closing.submit_final_accounts(pk, user),
            _("The final accounts are sent to SIRI."),
            "awards:final_accounts",
        )
        if not isinstance(written, int):
            return written
        status = written
    terms = closing.terms_of(award)
    context = {
        **project_context(award),
        "accounts": accounts,
        "rows": rows,
        "form": form,
        "terms": terms,
        "limit": award.application.pool.variance_explain_percent,
        "spent": closing.spent_total(accounts) if accounts else None,
        "can_decide": accounts is not None
        and accounts.state == "submitted"
        and request.user.has_perm(DECIDE_ACCOUNTS, accounts),
        "preview": closing.settlement(award, closing.spent_total(accounts)) if accounts else None,
        "due_on": closing.due_on(award),
    }
    return render_page(request, "awards/final_accounts.html", context, status=status)


# SIRI's decisions ---------------------------------------------------------------------------------

DECISIONS: dict[tuple[str, str], Decision] = {
    ("report", "accept"): Decision(
        transition="accept",
        form=ConfirmForm,
        run=lambda subject, user, data: closing.accept_final_report(subject.pk, user),
        heading=gettext_lazy("Accept the final report"),
        link=gettext_lazy("Accept"),
        question=gettext_lazy("Accept the final report of “%(title)s”?"),
        confirm=gettext_lazy("Yes, accept the final report"),
        done=gettext_lazy("The final report of “%(title)s” is accepted."),
    ),
    ("report", "return"): Decision(
        transition="send_back",
        form=FinalDecisionForm,
        run=lambda subject, user, data: closing.return_final_report(subject.pk, user, data["reason"]),
        heading=gettext_lazy("Return the final report"),
        link=gettext_lazy("Return"),
        question=gettext_lazy("Return the final report of “%(title)s” to %(municipality)s for changes?"),
        confirm=gettext_lazy("Yes, return it"),
        done=gettext_lazy("The final report of “%(title)s” is returned to the municipality."),
    ),
    ("accounts", "approve"): Decision(
        transition="approve",
        form=ConfirmForm,
        run=lambda subject, user, data: closing.approve_final_accounts(subject.pk, user),
        heading=gettext_lazy("Approve the final accounts"),
        link=gettext_lazy("Approve"),
        question=gettext_lazy(
            "Approve the final accounts of “%(title)s”? %(approved)s is approved as spent against %(paid)s paid: "
            "%(outcome)s"
        ),
        confirm=gettext_lazy("Yes, approve the accounts"),
        done=gettext_lazy("The final accounts of “%(title)s” are approved; the letter is being made."),
    ),
    ("accounts", "return"): Decision(
        transition="send_back",
        form=FinalDecisionForm,
        run=lambda subject, user, data: closing.return_final_accounts(subject.pk, user, data["reason"]),
        heading=gettext_lazy("Return the final accounts"),
        link=gettext_lazy("Return"),
        question=gettext_lazy("Return the final accounts of “%(title)s” to %(municipality)s for changes?"),
        confirm=gettext_lazy("Yes, return them"),
        done=gettext_lazy("The final accounts of “%(title)s” are returned to the municipality."),
    ),
}


def _outcome(award: Any, accounts: FinalAccounts) -> dict[str, Any]:
    result = closing.settlement(award, closing.spent_total(accounts))
    if result.claimed > 0:
        outcome = _("%(amount)s is claimed back, due in %(days)s days.") % {
            "amount": format_dkk(result.claimed),
            "days": award.application.pool.repayment_days,
        }
    elif result.final_payment > 0:
        outcome = _("%(amount)s of the retained share is paid.") % {"amount": format_dkk(result.final_payment)}
    elif result.owed > 0:
        outcome = _("the %(amount)s not spent is under the smallest amount claimed back, so nothing is claimed.") % {
            "amount": format_dkk(result.owed)
        }
    else:
        outcome = _("nothing more is paid, and nothing is claimed back.")
    return {"approved": format_dkk(result.approved_spending), "paid": format_dkk(result.paid), "outcome": outcome}


@login_required
def decide(request: HttpRequest, grant_pk: int, what: str, decision: str) -> HttpResponse:
    spec = DECISIONS.get((what, decision))
    if spec is None:
        raise Http404
    award = get_award(request, grant_pk)
    model = FinalReport if what == "report" else FinalAccounts
    subject = model.objects.filter(grant=award).first()
    permission = DECIDE_REPORT if what == "report" else DECIDE_ACCOUNTS
    if subject is None or not request.user.has_perm(permission, subject):
        raise PermissionDenied
    facts = {"title": award.application.title, "municipality": award.application.lead_municipality.name}
    if what == "accounts" and decision == "approve":
        facts.update(_outcome(award, subject))
    here = reverse("awards:final_report" if what == "report" else "awards:final_accounts", args=[award.pk])
    context = {**project_context(award), "back_label": _("Back")}
    return decision_page(request, subject, spec, context=context, facts=lambda data: facts, done_url=here)


CLOSE_DECISION = Decision(
    transition="close",
    form=ConfirmForm,
    run=lambda subject, user, data: closing.close(subject.pk, user),
    heading=gettext_lazy("Close the grant"),
    link=gettext_lazy("Close the grant"),
    question=gettext_lazy(
        "Close the grant for “%(title)s”? The closing letter is sent to %(municipality)s, and the grant can no "
        "longer be changed; its follow-ups after the end still come."
    ),
    confirm=gettext_lazy("Yes, close the grant"),
    done=gettext_lazy("The grant for “%(title)s” is closed; the closing letter is being made."),
)


@login_required
def close(request: HttpRequest, grant_pk: int) -> HttpResponse:
    award = get_award(request, grant_pk, CLOSE)
    missing = [item.missing for item in closing.checklist(award) if not item.done]
    blocked = None
    if award.state == GrantState.ACCOUNTS_SUBMITTED and missing:
        blocked = _("The grant cannot be closed yet: %(items)s.") % {"items": "; ".join(missing)}
    facts = {"title": award.application.title, "municipality": award.application.lead_municipality.name}
    here = reverse("monitoring:project", args=[award.pk])
    context = {**project_context(award), "back_label": _("Back to the project")}
    return decision_page(
        request, award, CLOSE_DECISION, context=context, facts=lambda data: facts, done_url=here, blocked=blocked
    )


@login_required
def pay_repayment(request: HttpRequest, grant_pk: int) -> HttpResponse:
    award = get_award(request, grant_pk, PAY_REPAYMENT)
    repayment = Repayment.objects.filter(grant=award).first()
    context: dict[str, Any] = {**project_context(award), "repayment": repayment}
    if repayment is None or repayment.state != "open":
        message = _("Nothing is owed back on this grant.") if repayment is None else repayment.conflict("pay").message
        return render_page(request, "awards/repayment_pay.html", {**context, "blocked": message}, status=409)
    form = RepaymentPaidForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved = save_form(form, lambda: closing.pay_repayment(award.pk, request.user, form.cleaned_data["paid_on"]))
        if saved.ok:
            messages.success(request, _("The repayment is recorded as received."))
            return redirect("monitoring:project", grant_pk=award.pk)
        status = saved.status
    return render_page(request, "awards/repayment_pay.html", {**context, "form": form}, status=status)


@login_required
def auditor_statement(request: HttpRequest, grant_pk: int) -> FileResponse:
    """The auditor's statement, to whoever may see the grant's accounts (never through MEDIA_URL)."""
    award = get_award(request, grant_pk)
    accounts = FinalAccounts.objects.filter(grant=award).first()
    if accounts is None or not request.user.has_perm(VIEW_ACCOUNTS, accounts):
        raise Http404
    opened = accounts.open_statement()
    if opened is None:
        raise Http404
    handle, name = opened
    return FileResponse(handle, content_type="application/pdf", filename=name, as_attachment=False)
