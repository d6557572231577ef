"""Attachments: PDF, PNG or JPEG, uploaded while the application is a draft, downloaded only through a
view that asks the same permission as the application itself (another municipality gets 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError

from .. import services
from ..forms import steps
from ..forms.application import AttachmentForm
from .common import get_application
from .editor import _render_step

# The step of the form the attachments are on, and where an upload or a delete returns to.
ATTACHMENTS_STEP = steps.step_of("attachments")


def _attachments_url(pk: int) -> str:
    return steps.problem_link(pk, "attachments")


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, "applications.change_application")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.add_attachment(
                pk, request.user, form.cleaned_data["file"], form.cleaned_data["description"]
            )
        except DomainError as error:
            if error.kind == DomainError.CONFLICT:  # no longer a draft: nothing to attach to
                messages.error(request, error.message)
                return redirect(application)
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(name)s is attached.") % {"name": attachment.name})
            return redirect(_attachments_url(pk))
    return _render_step(request, application, ATTACHMENTS_STEP, attachment_form=form, status=400)


@login_required
def download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    application = get_application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    if not request.user.has_perm("applications.view_attachment", attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type=attachment.content_type, filename=attachment.name, as_attachment=False)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = get_application(request, pk, "applications.change_application")
    get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        services.delete_attachment(pk, attachment_pk, request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("The attachment is deleted."))
    return redirect(_attachments_url(pk))
