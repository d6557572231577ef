from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring of granted projects")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
        from .inbox import register_sections
        from .pdf import register_kinds

        register_kinds()
        _register_menu()
        register_sections()
        # The project's economics and the demo's illustrative labels in the committee briefing,
        # through the briefing's own hook.
        from .pdf import briefing_section
        from .pdf.economics import economics_section
        from .pdf.illustrative import illustrative_section

        briefing_section(economics_section)
        briefing_section(illustrative_section)
        # The follow-ups after the end are reminded by the same daily job as the reports.
        from .followups import follow_up_reminders
        from .reminders import REMINDER_SOURCES

        if follow_up_reminders not in REMINDER_SOURCES:
            REMINDER_SOURCES.append(follow_up_reminders)
        # Its part of `manage.py seed_scale` (core/seeding.py).
        from core import seeding

        from .seed import seed_monitoring

        seeding.register(20, "monitoring", seed_monitoring)
        # Last, once every app has written its rows in bulk: the dashboard's progress summaries,
        # and the pools' figures a cache may keep from before are computed anew.
        seeding.register(90, "monitoring progress", _rebuild_progress)
        # A deployment migrates: the pools' figures a cache kept for the code before are not read.
        from django.db.models.signals import post_migrate

        post_migrate.connect(_renew_pool_figures, sender=self, dispatch_uid="monitoring_pool_figures")


def _register_menu() -> None:
    from core.menu import register
    from core.roles import SIRI_ROLES, Role

    register(Role.APPLICANT, "monitoring:projects", _("My projects"), order=20)
    register(Role.COMMITTEE, "monitoring:projects", _("Our projects"), order=20)
    register(SIRI_ROLES, "monitoring:overview", _("Monitoring"), order=20)


def _rebuild_progress(seed: object) -> None:
    from .pool_snapshot import rebuild_progress

    rebuild_progress()


def _renew_pool_figures(using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from .models import PoolStamp
    from .pool_snapshot import renew

    # Not on a database migrated back to before the stamps (or to a test's older state).
    if PoolStamp._meta.db_table in connections[using].introspection.table_names():
        renew(every=True, using=using)
