from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and grants")

    def ready(self) -> None:
        # The letters and the application as PDF, made by the documents app on the transitions.
        from . import changes, signals  # noqa: F401 (signals: connected on import)
        from .documents import register_kinds
        from .inbox import register_sections

        register_kinds()
        # The changes its rows do not keep, in the change log (`core.changelog`).
        changes.register_kinds()
        _register_menu()
        # The inbox (`core.inbox`), where each role but the ambassador lands: the drafts to
        # submit, the returns and decisions, the applications to review.
        register_sections()
        # Its part of `manage.py seed_scale` (core/seeding.py).
        from core import seeding

        from .seed import seed_applications

        seeding.register(10, "applications", seed_applications)


def _register_menu() -> None:
    """This app's pages in the header's menu; the other apps register theirs (see `core.menu`),
    placed among these by their order."""
    from core.menu import register
    from core.roles import SIRI_ROLES, Role

    register(Role.APPLICANT, "applications:mine", _("My applications"), order=10)
    register(Role.COMMITTEE, "applications:mine", _("Our applications"), order=10)
    register(SIRI_ROLES, "applications:queue", _("Review queue"), order=10)
    register(SIRI_ROLES, "applications:pools", _("Pools"), order=40)
