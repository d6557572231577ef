"""The submit step every hand-in shares (a project's quarterly report, an ambassador's report):
a confirmation page listing what is still missing, each problem linking to its field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.views import Decision, render_page

from ..models.handin import HandIn, HandInState


def submit_page(
    request: HttpRequest,
    report: HandIn,
    submit: Any,
    *,
    context: dict[str, Any],
    edit_url: str,
    done_url: str,
    anchors: dict[str, str],
) -> HttpResponse:
    """`submit(report_id, user)` is the report's service; `anchors` maps a problem's field to
    where the form asks for it. The context names `breadcrumbs`, `summary`, `action`, `lead`
    (the page's first line) and `confirm_text`."""
    if report.state != HandInState.DRAFT:
        messages.info(request, _("The report has already been submitted."))
        return redirect(done_url)
    problems: list[tuple[str, Any]] = []
    status = 200
    if request.method == "POST":
        try:
            submit(report.pk, request.user)
        except DomainError as error:
            status = 409 if error.kind == DomainError.CONFLICT else 400
            problems = [
                (f"{edit_url}#{anchors[name]}" if name in anchors else edit_url, message)
                for name, messages_ in error.errors.items()
                for message in messages_
            ]
        else:
            messages.success(
                request, _("The report for %(quarter)s is submitted to SIRI.") % {"quarter": report.period}
            )
            return redirect(done_url)
    context = {**context, "problems": problems, "edit_url": edit_url}
    return render_page(request, "monitoring/handin/submit.html", context, status=status)


def return_decision(service: Any, form: type[Any], *, question: Any, done: Any) -> Decision:
    """SIRI returns a hand-in to whoever wrote it, with a reason: the same step for every report.
    `service(report_id, user, reason)` runs it; `question` and `done` name who gets it back."""
    return Decision(
        transition="return_to_draft",
        form=form,
        run=lambda report, user, data: service(report.pk, user, data["reason"]),
        heading=_("Return the report"),
        link=_("Return with a reason"),
        question=question,
        confirm=_("Yes, return it"),
        done=done,
    )
