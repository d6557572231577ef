"""The letters an application's transitions call for, and the submitted application as a PDF.

Receipt on submit (kvittering), grant letter on grant (tilsagnsbrev), rejection letter on reject
(afslagsbrev), and the application as submitted, which the municipal committees approve. They
are built by the documents app's task after the transition commits (see services/decisions.py), always in
Danish, and a municipality files them in its own case system.

Every piece of user text goes through documents.pdf.para/paras (escaped, NFC-normalised, no
markup); only our own labels are put into paragraphs as they are. The one image a letter shows
is an attachment's, as stored after the upload wrote it again without its metadata.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from documents.registry import Kind, register

from ..models import Application
from .application_pdf import render_application_pdf
from .letters import render_grant_letter, render_receipt, render_rejection_letter

# Registration -------------------------------------------------------------------------------------


def may_have(user: Any, application: Any) -> bool:
    """Whoever may see the application may have its letters: its municipalities, their
    committees and SIRI once it is submitted."""
    return isinstance(application, Application) and user.has_perm("applications.view_application", application)


def subjects(user: Any) -> Any:
    """`may_have` for many documents at once."""
    return Application.objects.visible_to(user)


KINDS = [
    Kind("receipt", gettext_lazy("Receipt"), render_receipt, may_have, subjects),
    Kind("grant_letter", gettext_lazy("Grant letter"), render_grant_letter, may_have, subjects),
    Kind("rejection_letter", gettext_lazy("Rejection letter"), render_rejection_letter, may_have, subjects),
    Kind("application_pdf", gettext_lazy("Application (PDF)"), render_application_pdf, may_have, subjects),
]


def register_kinds() -> None:
    for kind in KINDS:
        register(kind)
