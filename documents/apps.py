from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """PDF machinery shared by the domain apps: fonts, the page template, the `Document` record
    and the task that builds it. It imports no domain app; each app registers its renderers."""

    name = "documents"
    verbose_name = _("Documents")
