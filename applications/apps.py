from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and grants")

    def ready(self) -> None:
        # The letters and the application as PDF, made by the documents app on the transitions.
        from .documents import register_kinds

        register_kinds()
