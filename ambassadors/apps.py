from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Ambassador network")

    def ready(self) -> None:
        # Monitoring shows what other apps register; it does not import the ambassador network.
        from monitoring import extensions
        from monitoring.pdf import briefing_section
        from monitoring.reminders import REMINDER_SOURCES

        from .briefing import section
        from .contributions import goal_notes
        from .inbox import register_sections
        from .reminders import send_ambassador_reminders

        if goal_notes not in extensions.GOAL_NOTES:
            extensions.GOAL_NOTES.append(goal_notes)
        briefing_section(section)
        if send_ambassador_reminders not in REMINDER_SOURCES:
            REMINDER_SOURCES.append(send_ambassador_reminders)
        _register_menu()
        register_sections()
        # Its part of `manage.py seed_scale` (core/seeding.py).
        from core import seeding

        from .seed import seed_ambassadors

        seeding.register(40, "ambassadors", seed_ambassadors)


def _register_menu() -> None:
    from core.menu import register, register_landing
    from core.roles import SIRI_ROLES, Role

    register(SIRI_ROLES, "ambassadors:network", _("Ambassadors"), order=30)
    register(Role.AMBASSADOR, "ambassadors:home", _("My ambassador page"), order=10)
    register(Role.AMBASSADOR, "ambassadors:meetings", _("Network meetings"), order=20)
    # The catalogue of best practices is everyone's, last in each menu.
    register(Role, "ambassadors:catalogue", _("Best practices"), order=90)
    register_landing(Role.AMBASSADOR, "ambassadors:home")
