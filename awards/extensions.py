"""What the grant administration adds to the apps below it, through their hooks (none of them
imports this app): the daily job's notices, the letters, the grant's fields in the API, the
panels of the project page, the menu."""

from __future__ import annotations


def register() -> None:
    from monitoring.reminders import REMINDER_SOURCES

    from .documents import register_letters
    from .reminders import send_award_notices

    register_letters()

    if send_award_notices not in REMINDER_SOURCES:
        REMINDER_SOURCES.append(send_award_notices)
