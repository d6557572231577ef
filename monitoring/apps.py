from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring of granted projects")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
        from .pdf import register_kinds

        register_kinds()
