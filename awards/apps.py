from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Grant administration")

    def ready(self) -> None:
        # The apps below show what this one registers; none of them imports it.
        from . import signals  # noqa: F401  (connects the receivers)
        from .extensions import register
        from .inbox import register_sections

        register()
        register_sections()
        # Its part of `manage.py seed_scale` (core/seeding.py).
        from core import seeding

        from .seed import seed_awards

        seeding.register(30, "awards", seed_awards)
