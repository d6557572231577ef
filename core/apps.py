from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel under the domain apps: errors, roles, the transition runner, the append-only
    log and the page, form, API and admin helpers. It imports no domain app."""

    name = "core"
    verbose_name = _("Kernel")

    def ready(self) -> None:
        # The checks register themselves; tokens connects what revokes a person's tokens when
        # their password changes.
        from . import checks, tokens  # noqa: F401
