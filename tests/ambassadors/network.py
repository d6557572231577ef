"""The ambassador network the API's tests work on, built once per module (`built_network` and
`network` in conftest.py): Slagelse's and Gribskov's ambassadors on their granted projects, their
reports, the catalogue's entries and a meeting; and the API client and request bodies they use."""

from __future__ import annotations

import datetime
from typing import Any

from ambassadors import services
from ambassadors.models import Ambassador, AmbassadorReport, Theme
from applications.accounts import set_person
from monitoring.quarters import Quarter

from ..conftest import client_for as persona_client
from ..conftest import make_personas
from ..monitoring.conftest import gribskov_project_of, slagelse_project
from .conftest import gribskov_ambassador_on, make_ambassador

API = "/api/v1"


def client_for(user: Any) -> Any:
    """A persona's API client, reading English (the messages asserted are the source strings)."""
    client = persona_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def quarters_of(ambassador: Ambassador) -> list[Quarter]:
    """The project's first four quarters: three that have ended and the current one."""
    first = Quarter.of(ambassador.grant.start_date)
    return [first, first.next(), first.next().next(), first.next().next().next()]


def write_report(ambassador: Ambassador, quarter: Quarter, submit: bool = False) -> AmbassadorReport:
    report = services.create_report(
        ambassador.user,
        {"year": quarter.year, "quarter": quarter.quarter, "company_contacts": 4, "narrative": "Fire virksomheder."},
    )
    if submit:
        services.submit_report(report.pk, ambassador.user)
    return report


def build_network() -> dict[str, Any]:
    """Slagelse: a draft (first quarter) and a handed-in report (second); Gribskov: a handed-in
    report; a published entry and Slagelse's ambassador's proposal; a meeting Slagelse's attended."""
    personas = make_personas()
    reviewer = personas["reviewer"]
    slagelse_ambassador = make_ambassador(
        personas["ambassador"], slagelse_project(personas["slagelse_applicant"], reviewer), "330"
    )
    gribskov_ambassador = gribskov_ambassador_on(gribskov_project_of(personas["gribskov_applicant"], reviewer))
    first, second, _third, _current = quarters_of(slagelse_ambassador)
    draft = write_report(slagelse_ambassador, first)
    submitted = write_report(slagelse_ambassador, second, submit=True)
    gribskov_report = write_report(gribskov_ambassador, quarters_of(gribskov_ambassador)[1], submit=True)
    published = services.propose_practice(
        reviewer,
        {"municipality": "316", "theme": Theme.COMPANY_COOPERATION, "title": "Virksomhedsnetværk", "summary": "Net."},
    )
    services.publish_practice(published.pk, reviewer)
    proposed = services.propose_practice(
        slagelse_ambassador.user,
        {
            "municipality": "330",
            "theme": Theme.IGU,
            "title": "IGU i rengøring",
            "summary": "Tre forløb.",
            "source_reports": [submitted.pk],
        },
    )
    meeting = services.save_meeting(
        reviewer,
        {"held_on": datetime.date(2026, 9, 1), "place": "SIRI, Odense", "attended": [slagelse_ambassador.pk]},
    )
    new_user, _created = set_person("ny_ambassador", "ambassador", ["330"], "ny@example.test", "pw")
    return {
        **personas,
        "gribskov_ambassador": gribskov_ambassador.user,
        "slagelse": slagelse_ambassador,
        "gribskov": gribskov_ambassador,
        "draft": draft,
        "submitted": submitted,
        "gribskov_report": gribskov_report,
        "published": published,
        "proposed": proposed,
        "meeting": meeting,
        "new_user": new_user,
    }


def body_for(name: str, net: dict[str, Any]) -> dict[str, Any]:
    slagelse: Ambassador = net["slagelse"]
    if name == "new ambassador":
        return {
            "user": net["new_user"].username,
            "municipality": "330",
            "grant": slagelse.grant_id,
            "started_on": str(slagelse.grant.start_date),
            "focus_areas": ["youth"],
        }
    if name == "new report":  # the third quarter is free for both ambassadors
        third = quarters_of(slagelse)[2]
        return {"year": third.year, "quarter": third.quarter, "narrative": "Netværk."}
    if name == "practice":
        return {"municipality": "330", "theme": "other", "title": "Sprogmakkere", "summary": "Frivillige."}
    if name == "meeting":
        return {"held_on": "2026-11-03", "place": "Slagelse", "attended": [slagelse.pk]}
    return {
        "draft": {"obstacles": "Sygdom"},
        "phone": {"phone": "58 57 36 00"},
        "reason": {"reason": "Beskriv IGU-forløbet."},
    }.get(name, {})
