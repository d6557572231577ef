from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import validate_no_cpr

from ..validators import validate_pdf
from .application import Application


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the stored file's path reveals nothing and two uploads never collide.
    # Files are only ever served through the permission-checked download view, never MEDIA_URL.
    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    """A PDF attached to an application (e.g. the political decision or a letter of support)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, validators=[validate_pdf])
    name = models.CharField(_("file name"), max_length=255, validators=[validate_no_cpr])
    size = models.PositiveIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=200, blank=True, validators=[validate_no_cpr])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
