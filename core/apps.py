from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel under the domain apps: errors, roles, the transition runner, the append-only
    log and the page, form, API and admin helpers. It imports no domain app."""

    name = "core"
    verbose_name = _("Kernel")

    def ready(self) -> None:
        # The checks register themselves; tokens connects what revokes a person's tokens when
        # their password changes, middleware what stamps a session saved at login (before the
        # first request loads the middleware).
        from . import checks, middleware, tokens  # noqa: F401

        _register_menu()


def _register_menu() -> None:
    """The inbox (`core.inbox`) is first in every menu and where the case workers, SIRI and the
    committee land: what needs them now. The ambassador lands on their own page (registered by
    the ambassador network), which leads with their reports."""
    from .menu import register, register_landing
    from .roles import SIRI_ROLES, Role

    register(Role, "inbox", _("Inbox"), order=5)
    register_landing((Role.APPLICANT, Role.COMMITTEE, *SIRI_ROLES), "inbox")
