"""Business operations of the ambassador network: reports, meetings and the catalogue. Each runs
in one transaction, checks `rules`, and raises DomainError (400/409) with every problem named."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import GoalKind, Municipality
from applications.validators import validate_pdf
from core import lifecycle
from core.errors import DomainError, validator_messages
from core.validators import validate_no_cpr
from monitoring.quarters import Quarter, quarters_between
from monitoring.services import change_draft, return_to_writer
from monitoring.validators import count_validators

from .models import (
    COUNT_FIELDS,
    Ambassador,
    AmbassadorReport,
    Attendance,
    BestPractice,
    GoalContribution,
    NetworkMeeting,
    PracticeAttachment,
    PracticeContact,
    PracticeState,
    Theme,
)
from .search import refresh_vectors

TEXT_FIELDS = ("best_practices", "obstacles", "narrative")
SOURCE_LIMIT = 300
DESCRIPTION_LIMIT = 200


def ambassador_of(user: Any) -> Ambassador:
    """The user's ambassador record; a person with the role but no record cannot report yet."""
    ambassador = Ambassador.objects.select_related("grant__application", "municipality").filter(user=user).first()
    if ambassador is None:
        raise DomainError.conflict(_("You are not registered as an ambassador of a project yet; ask SIRI."))
    return ambassador


def _int_problems(name: str, value: Any) -> list[Any]:
    if not isinstance(value, int) or isinstance(value, bool):
        return [_("%(field)s must be a whole number.") % {"field": name}]
    return validator_messages(count_validators, value)


def report_problems(ambassador: Ambassador, data: dict[str, Any]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    for name in COUNT_FIELDS:
        if name in data:
            problems = _int_problems(name, data[name])
            if problems:
                errors[name] = problems
    if "contributions" in data:
        goals = {goal.pk: goal for goal in ambassador.grant.application.goals.all()}
        problems: list[Any] = []
        seen: set[int] = set()
        for row in data["contributions"] or []:
            ref = row.get("goal")
            goal = goals.get(getattr(ref, "pk", ref))
            if goal is None:
                problems.append(_("Goal %(goal)s is not a goal of your project.") % {"goal": getattr(ref, "pk", ref)})
                continue
            if goal.pk in seen:
                problems.append(_("“%(goal)s” is given twice.") % {"goal": goal.title})
            seen.add(goal.pk)
            if not goal.takes_contributions:
                problems.append(
                    _(
                        "“%(goal)s” is not counted in people added up over the project: a contribution counts "
                        "only toward a count goal (e.g. 35 women into work), never toward a share or an average."
                    )
                    % {"goal": goal.title}
                )
                continue
            value = row.get("value")
            if not isinstance(value, Decimal | int) or value < 0 or value != int(value):
                problems.append(
                    _("The contribution to “%(goal)s” is a number of people: a whole number, 0 or more.")
                    % {"goal": goal.title}
                )
        if problems:
            errors["contributions"] = problems
    return errors


def _write(report: AmbassadorReport, data: dict[str, Any]) -> None:
    for name in (*COUNT_FIELDS, *TEXT_FIELDS):
        if name in data:
            setattr(report, name, data[name] if name in COUNT_FIELDS else (data[name] or ""))
    report.save()
    if "contributions" in data:
        report.contributions.all().delete()
        GoalContribution.objects.bulk_create(
            [
                GoalContribution(
                    report=report,
                    goal_id=getattr(row["goal"], "pk", row["goal"]),
                    value=row["value"],
                    comment=row.get("comment") or "",
                )
                for row in data["contributions"] or []
            ]
        )


def create_report(user: Any, data: dict[str, Any], today: datetime.date | None = None) -> AmbassadorReport:
    """A new draft for one quarter of the ambassador's project that has begun; one per quarter."""
    today = today or timezone.localdate()
    if not user.has_perm("ambassadors.add_report"):
        raise PermissionDenied
    with transaction.atomic():
        ambassador = ambassador_of(user)
        Ambassador.objects.select_for_update().get(pk=ambassador.pk)  # first saves of a quarter take turns
        year, quarter = data.get("year"), data.get("quarter")
        errors: dict[str, list[Any]] = {}
        if not isinstance(quarter, int) or not 1 <= quarter <= 4 or not isinstance(year, int):
            errors["quarter"] = [_("Give the year and a quarter 1, 2, 3 or 4.")]
        else:
            period = Quarter(year, quarter)
            grant = ambassador.grant
            if period not in quarters_between(grant.start_date, grant.end_date):
                errors["quarter"] = [_("%(quarter)s is outside the project period.") % {"quarter": period}]
            elif period.start > today:
                errors["quarter"] = [_("%(quarter)s has not begun yet.") % {"quarter": period}]
            elif AmbassadorReport.objects.filter(ambassador=ambassador, year=year, quarter=quarter).exists():
                errors["quarter"] = [_("There is a report for %(quarter)s already.") % {"quarter": period}]
        errors.update(report_problems(ambassador, data))
        if errors:
            raise DomainError.invalid(errors)
        report = AmbassadorReport(ambassador=ambassador, year=year, quarter=quarter)
        _write(report, data)
        return report


def update_report(
    report_id: int, user: Any, data: dict[str, Any], *, precondition: Callable[[Any], None] | None = None
) -> AmbassadorReport:
    def problems(report: Any) -> dict[str, list[Any]]:
        return report_problems(report.ambassador, data)

    return change_draft(
        _reports(),
        report_id,
        user,
        "ambassadors.change_report",
        data,
        problems=problems,
        write=_write,
        precondition=precondition,
    )


def _reports() -> Any:
    return AmbassadorReport.objects.select_related("ambassador__grant__application")


def submit_report(report_id: int, user: Any) -> AmbassadorReport:
    def prepare(report: AmbassadorReport) -> None:
        if not report.narrative.strip():
            raise DomainError.invalid({"narrative": [_("Describe what you did in the quarter.")]})
        report.stamp_submitted()

    return lifecycle.run(_reports(), report_id, user, "submit", prepare=prepare)


def acknowledge_report(report_id: int, user: Any) -> AmbassadorReport:
    return lifecycle.run(_reports(), report_id, user, "acknowledge")


def return_report(report_id: int, user: Any, reason: str) -> AmbassadorReport:
    return return_to_writer(
        _reports(), report_id, user, reason, required=_("Give a reason; the ambassador will see it.")
    )


def counting_reports(grant_id: int) -> Any:
    """The ambassador reports of a project whose figures count (handed in, not back in draft):
    both the contributions' totals and the number of reports they come from are taken here."""
    return AmbassadorReport.objects.counting().filter(ambassador__grant_id=grant_id)


def contributions_by_goal(grant_id: int) -> dict[int, Decimal]:
    """The ambassadors' counting contributions, in people, to each count goal of a project (the
    only goals people add up on), summed over quarters. One given to a level goal before that
    rule is left out."""
    return contributions_of(counting_reports(grant_id))


def contributions_of(reports: QuerySet[AmbassadorReport]) -> dict[int, Decimal]:
    """The contributions of `reports` to each count goal, added up: a project's (above) or one
    ambassador's own (their page)."""
    totals: dict[int, Decimal] = {}
    # Unordered: the model's ordering joined the report, the ambassador, its user and municipality
    # and the goal's application only to sort rows that are added up (1,8 ms of planning a page).
    rows = GoalContribution.objects.filter(
        report__in=reports, goal__kind=GoalKind.COUNT, goal__cumulative=True
    ).order_by()
    for goal_id, value in rows.values_list("goal_id", "value"):
        totals[goal_id] = totals.get(goal_id, Decimal(0)) + value
    return totals


# Network meetings -------------------------------------------------------------------------------


def save_meeting(user: Any, data: dict[str, Any], meeting_id: int | None = None) -> NetworkMeeting:
    """Plan or update a meeting; `attended` is the list of ambassador ids who came."""
    if not user.has_perm("ambassadors.change_meeting"):
        raise PermissionDenied
    errors: dict[str, list[Any]] = {}
    if meeting_id is None and not data.get("held_on"):
        errors["held_on"] = [_("Give the date of the meeting.")]
    if meeting_id is None and not (data.get("place") or "").strip():
        errors["place"] = [_("Give the place of the meeting.")]
    attended = data.get("attended")
    if attended is not None:
        known = set(Ambassador.objects.filter(pk__in=list(attended)).values_list("pk", flat=True))
        unknown = [str(a) for a in attended if a not in known]
        if unknown:
            errors["attended"] = [_("Not ambassadors: %(ids)s.") % {"ids": ", ".join(unknown)}]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic():
        meeting = (
            NetworkMeeting.objects.select_for_update().get(pk=meeting_id)
            if meeting_id
            else NetworkMeeting(created_by=user)
        )
        for name in ("held_on", "place", "agenda", "minutes"):
            if name in data:
                setattr(meeting, name, data[name] if name == "held_on" else (data[name] or ""))
        meeting.save()
        if attended is not None:
            meeting.attendance.exclude(ambassador_id__in=attended).delete()
            Attendance.objects.bulk_create(
                [Attendance(meeting=meeting, ambassador_id=pk) for pk in attended], ignore_conflicts=True
            )
        return meeting


# The best-practice catalogue -----------------------------------------------------------------------


CONTACT_FIELDS = ("name", "role", "email", "phone")
CONTACT_LIMITS = {"name": 200, "role": 200, "phone": 30}


def _municipalities(codes: Any) -> tuple[list[Municipality], list[Any]]:
    """The municipalities named by code (or given as objects), and the problems."""
    if not isinstance(codes, list | tuple):
        return [], [_("Give the municipalities as a list of 3-digit codes.")]
    wanted = [getattr(code, "code", code) for code in codes]
    found = {m.code: m for m in Municipality.objects.filter(code__in=[str(code) for code in wanted])}
    unknown = [str(code) for code in wanted if str(code) not in found]
    if unknown:
        return [], [_("Unknown municipality codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    return list(dict.fromkeys(found[str(code)] for code in wanted)), []


def _contacts(data: dict[str, Any]) -> tuple[list[dict[str, str]], list[Any]]:
    """The entry's contacts: `contacts` as a list of {name, role, email, phone}, or the single
    `contact_name`, `contact_role`, `contact_email`, `contact_phone` of the older API."""
    rows = data.get("contacts")
    if rows is None:
        rows = [{name: data.get(f"contact_{name}") or "" for name in CONTACT_FIELDS}]
    if not isinstance(rows, list | tuple):
        return [], [_("Give the contacts as a list of {name, role, email, phone}.")]
    contacts: list[dict[str, str]] = []
    problems: list[Any] = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            problems.append(_("Contact %(number)s is not a {name, role, email, phone}.") % {"number": number})
            continue
        contact = {name: str(row.get(name) or "").strip() for name in CONTACT_FIELDS}
        if not any(contact.values()):
            continue  # an empty row of the form
        if not contact["name"]:
            problems.append(_("Contact %(number)s needs a name.") % {"number": number})
        for name, limit in CONTACT_LIMITS.items():
            if len(contact[name]) > limit:
                problems.append(
                    _("The %(field)s of contact %(number)s is longer than %(limit)s characters.")
                    % {"field": name, "number": number, "limit": limit}
                )
        found = validator_messages([validate_no_cpr], [contact["name"], contact["role"]])
        found += validator_messages([validate_email], contact["email"]) if contact["email"] else []
        problems.extend(found)
        contacts.append(contact)
    return contacts, problems


def propose_practice(user: Any, data: dict[str, Any]) -> BestPractice:
    """An ambassador proposes an entry (SIRI may enter one directly); SIRI publishes it. The
    entry is of `municipality` (it leads) and of any other `municipalities` sharing it."""
    if not user.has_perm("ambassadors.add_bestpractice"):
        raise PermissionDenied
    errors: dict[str, list[Any]] = {}
    for name in ("title", "summary"):
        if not (data.get(name) or "").strip():
            errors[name] = [_("This field is required.")]
    if data.get("theme") not in Theme.values:
        errors["theme"] = [_("Choose one of the themes: %(themes)s.") % {"themes": ", ".join(Theme.values)}]
    municipality = data.get("municipality")
    if not isinstance(municipality, Municipality):
        municipality = Municipality.objects.filter(code=municipality).first()
        if municipality is None:
            errors["municipality"] = [_("Give the municipality by its 3-digit code.")]
    others, problems = _municipalities(data.get("municipalities") or [])
    if problems:
        errors["municipalities"] = problems
    contacts, problems = _contacts(data)
    if problems:
        errors["contacts"] = problems
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        errors["tags"] = [_("Tags are a list of words.")]
    source = (data.get("source") or "").strip()
    problems = validator_messages([validate_no_cpr], source)
    if len(source) > SOURCE_LIMIT:
        problems.append(_("The source is longer than %(limit)s characters.") % {"limit": SOURCE_LIMIT})
    if problems:
        errors["source"] = problems
    source_url = (data.get("source_url") or "").strip()
    if source_url:
        problems = validator_messages([URLValidator(schemes=["http", "https"])], source_url)
        if problems:
            errors["source_url"] = problems
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic():
        practice = BestPractice.objects.create(
            municipality=municipality,
            theme=data["theme"],
            title=data["title"].strip(),
            summary=data["summary"].strip(),
            tags=[tag.strip() for tag in tags if tag.strip()],
            source=source,
            source_url=source_url,
            proposed_by=user,
        )
        # The lead is one of the entry's municipalities too: the filters search only these.
        practice.municipalities.set([municipality, *(m for m in others if m.pk != municipality.pk)])
        PracticeContact.objects.bulk_create(
            PracticeContact(practice=practice, order=order, **contact) for order, contact in enumerate(contacts)
        )
        if data.get("source_reports"):
            practice.source_reports.set(data["source_reports"])
        refresh_vectors(BestPractice.objects.filter(pk=practice.pk))
        return practice


def add_practice_attachment(practice_id: int, user: Any, upload: Any, description: str = "") -> PracticeAttachment:
    """Attach a PDF (a tool the entry mentions) to an entry; checked again here, whoever called."""
    practice = BestPractice.objects.filter(pk=practice_id).first()
    if practice is None or not user.has_perm("ambassadors.view_bestpractice", practice):
        raise Http404
    if not user.has_perm("ambassadors.add_practice_attachment", practice):
        raise PermissionDenied
    errors: dict[str, list[Any]] = {}
    try:
        validate_pdf(upload)
    except ValidationError as error:
        errors["file"] = list(error.messages)
    else:
        errors["file"] = validator_messages([validate_no_cpr], upload.name)  # the name is shown too
    problems = validator_messages([validate_no_cpr], description or "")
    if len(description or "") > DESCRIPTION_LIMIT:
        problems.append(_("The description is longer than %(limit)s characters.") % {"limit": DESCRIPTION_LIMIT})
    if problems:
        errors["description"] = problems
    errors = {name: found for name, found in errors.items() if found}
    if errors:
        raise DomainError.invalid(errors)
    return PracticeAttachment.objects.create(
        practice=practice,
        file=upload,
        name=upload.name[:255],
        size=upload.size,
        description=(description or "").strip(),
        uploaded_by=user,
    )


def publish_practice(practice_id: int, user: Any) -> BestPractice:
    with transaction.atomic():
        practice = BestPractice.objects.select_for_update().get(pk=practice_id)
        if not user.has_perm("ambassadors.publish_bestpractice", practice):
            raise PermissionDenied
        if practice.state == PracticeState.PUBLISHED:
            raise DomainError.conflict(_("The entry is published already."))
        practice.state = PracticeState.PUBLISHED
        practice.published_at = timezone.now()
        practice.save(update_fields=["state", "published_at"])
        return practice


# Ambassadors ------------------------------------------------------------------------------------

AMBASSADOR_FIELDS = ("user", "municipality", "grant", "started_on", "focus_areas", "phone", "email", "active")
ALREADY_AMBASSADOR = _("This user is an ambassador already.")


def _save_ambassador(ambassador: Ambassador, data: dict[str, Any]) -> Ambassador:
    for name in AMBASSADOR_FIELDS:
        if name in data:
            setattr(ambassador, name, data[name])
    try:
        with transaction.atomic():
            ambassador.save()
    except IntegrityError as error:  # two requests registering the same user at once
        raise DomainError.invalid({"user": [ALREADY_AMBASSADOR]}) from error
    return ambassador


def register_ambassador(user: Any, data: dict[str, Any]) -> Ambassador:
    """SIRI registers a person with the ambassador role as an ambassador of a municipality's
    project. `data` is checked already (the API's serializer): the user, the municipality, a
    grant of that municipality, the start date, and optionally focus areas, phone and e-mail."""
    if not user.has_perm("ambassadors.add_ambassador"):
        raise PermissionDenied
    return _save_ambassador(Ambassador(), data)


def update_ambassador(ambassador_id: int, user: Any, data: dict[str, Any]) -> Ambassador:
    """SIRI changes what `data` names of an ambassador (checked already, as for registering)."""
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().get(pk=ambassador_id)
        if not user.has_perm("ambassadors.change_ambassador", ambassador):
            raise PermissionDenied
        return _save_ambassador(ambassador, data)
