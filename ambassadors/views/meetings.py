"""Network meetings: SIRI plans them and records attendance and minutes; ambassadors see the list
with what they attended and read the minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.tables import Column, columns
from core.views import render_page, require_perm, save_form

from .. import services
from ..forms import MeetingForm
from ..models import Ambassador, Attendance, NetworkMeeting
from .common import (
    CHANGE_MEETING,
    VIEW_MEETING,
    ambassador_for,
)

# The past meetings' table; "You" only for an ambassador.
PAST_COLUMNS = columns(gettext_lazy("Date"), gettext_lazy("Place"), Column(gettext_lazy("Attended"), numeric=True))
YOU_COLUMN = Column(gettext_lazy("You"))
MINUTES_COLUMN = Column(gettext_lazy("Minutes"))


def _meetings() -> QuerySet[NetworkMeeting]:
    present = Attendance.objects.filter(attended=True).select_related("ambassador__user", "ambassador__municipality")
    return NetworkMeeting.objects.prefetch_related(Prefetch("attendance", queryset=present, to_attr="present"))


@require_perm(VIEW_MEETING)
@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    ambassador = ambassador_for(request.user)
    meetings = list(_meetings().order_by("-held_on", "-id"))
    for meeting in meetings:
        meeting.attended_by_me = ambassador is not None and any(
            a.ambassador_id == ambassador.pk for a in meeting.present
        )
    context = {
        "upcoming": [m for m in reversed(meetings) if m.held_on >= today],
        "past": [m for m in meetings if m.held_on < today],
        "ambassador": ambassador,
        "columns": [*PAST_COLUMNS, *([YOU_COLUMN] if ambassador else []), MINUTES_COLUMN],
        "can_change": request.user.has_perm(CHANGE_MEETING),
    }
    return render_page(request, "ambassadors/meetings.html", context)


@require_perm(VIEW_MEETING)
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(_meetings(), pk=pk)
    ambassador = ambassador_for(request.user)
    context = {
        "meeting": meeting,
        "attended_by_me": ambassador is not None and any(a.ambassador_id == ambassador.pk for a in meeting.present),
        "ambassador": ambassador,
        "can_change": request.user.has_perm(CHANGE_MEETING),
        "held": meeting.held_on <= timezone.localdate(),
    }
    return render_page(request, "ambassadors/meeting_detail.html", context)


def _choices(meeting: NetworkMeeting | None) -> QuerySet[Ambassador]:
    """The active ambassadors, and whoever already attended this meeting even if no longer active."""
    ambassadors = Ambassador.objects.select_related("user", "municipality")
    if meeting is None:
        return ambassadors.filter(active=True)
    return ambassadors.filter(Q(active=True) | Q(attendance__meeting=meeting)).distinct()


def _save(request: HttpRequest, meeting: NetworkMeeting | None) -> HttpResponse:
    ambassadors = _choices(meeting)
    status = 200
    if request.method == "POST":
        form = MeetingForm(request.POST, ambassadors=ambassadors)
        if form.is_valid():
            outcome = save_form(
                form, lambda: services.save_meeting(request.user, form.service_data(), meeting.pk if meeting else None)
            )
            if outcome.ok:
                saved = outcome.value
                messages.success(
                    request,
                    _("The meeting on %(date)s is saved.") % {"date": date_format(saved.held_on, "SHORT_DATE_FORMAT")},
                )
                return redirect("ambassadors:meeting", pk=saved.pk)
            status = outcome.status
    elif meeting is not None:
        initial: dict[str, Any] = {
            "held_on": meeting.held_on,
            "place": meeting.place,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "attended": [a.ambassador_id for a in meeting.present],
        }
        form = MeetingForm(initial=initial, ambassadors=ambassadors)
    else:
        form = MeetingForm(ambassadors=ambassadors)
    return render_page(request, "ambassadors/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


@require_perm(CHANGE_MEETING)
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_perm(CHANGE_MEETING)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, get_object_or_404(_meetings(), pk=pk))
