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
        from .reminders import send_ambassador_reminders

        if goal_notes not in extensions.GOAL_NOTES:
            extensions.GOAL_NOTES.append(goal_notes)
        briefing_section(section)
        if send_ambassador_reminders not in REMINDER_SOURCES:
            REMINDER_SOURCES.append(send_ambassador_reminders)
