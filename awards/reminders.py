"""The grant administration's part of monitoring's daily job (registered in REMINDER_SOURCES):

- a reminder to accept, three days before the acceptance deadline;
- a grant not accepted by its deadline lapses (its money is back in the pool), and the
  municipality and SIRI are told;
- payments are held while a report is more than the pool's grace days late, and released
  when none is (also done at once when a report is handed in, see signals.py);
- the notice of a change request decided, should its task not have sent it;
- the reminder that an ended project's final report and accounts are due (before, on the day,
  then weekly while late).

Each step is idempotent: transitions happen once (the state is re-checked under the lock) and
every e-mail is recorded under a unique key, so the job can run any number of times a day."""

from __future__ import annotations

import datetime

from django.utils import timezone

from applications.models import Grant, GrantState
from monitoring.reminders import TRANSIENT_ERRORS, ReminderRun

from . import end_notices, notices, services
from .models import ChangeRequest, ChangeState
from .services.payments import grants_to_check

# Decisions older than this are not caught up: the task sent their notice, or it is too late.
CATCH_UP_DAYS = 14


def send_award_notices(today: datetime.date) -> ReminderRun:
    run = ReminderRun()

    def attempt(send: object) -> None:
        try:
            if send():  # type: ignore[operator]
                run.sent += 1
        except TRANSIENT_ERRORS as error:
            run.failed.append(error)

    soon = today + datetime.timedelta(days=notices.ACCEPT_REMINDER_DAYS)
    awaiting = Grant.objects.filter(
        state=GrantState.AWAITING_ACCEPTANCE, terms__accept_by__gte=today, terms__accept_by__lte=soon
    ).select_related("application__lead_municipality", "terms")
    for grant in awaiting:
        attempt(lambda grant=grant: notices.acceptance_due(grant, grant.terms.accept_by))

    for grant_id in services.overdue_acceptances(today):
        lapsed = services.lapse(grant_id, today)
        if lapsed is not None:
            attempt(lambda lapsed=lapsed: notices.lapsed(lapsed, services.terms_of(lapsed).accept_by))

    for grant_id in grants_to_check(today).values_list("pk", flat=True):
        services.refresh_holds(grant_id, today)  # its notice goes through the outbox

    for grant in end_notices.grants_owing_the_end(today):
        attempt(lambda grant=grant: end_notices.end_due(grant, today))

    since = timezone.now() - datetime.timedelta(days=CATCH_UP_DAYS)
    decided = ChangeRequest.objects.filter(
        state__in=[ChangeState.APPROVED, ChangeState.REFUSED], decided_at__gte=since
    ).values_list("pk", flat=True)
    for change_id in decided:
        attempt(lambda change_id=change_id: notices.change_decided(change_id))
    return run
