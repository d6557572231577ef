from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import validate_no_cpr

from ..validators import ATTACHMENT_KINDS, validate_attachment
from .application import Application


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the stored file's path reveals nothing and two uploads never collide.
    # Files are only ever served through the permission-checked download view, never MEDIA_URL.
    suffix = next((kind.suffix for kind in ATTACHMENT_KINDS if kind.content_type == instance.content_type), ".pdf")
    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to an application: a PDF (the political decision, a letter of support) or
    an image (the organisation chart, PNG or JPEG, stored without its metadata)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, validators=[validate_attachment])
    content_type = models.CharField(_("type"), max_length=50, default="application/pdf", editable=False)
    name = models.CharField(_("file name"), max_length=255, validators=[validate_no_cpr])
    size = models.PositiveIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=200, blank=True, validators=[validate_no_cpr])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        # By the parent's id: by the parent itself, Django joined it to sort by its ordering (issue 16).
        ordering = ["application_id", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
