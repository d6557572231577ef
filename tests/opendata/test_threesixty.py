"""Open data on granted funds in the 360Giving standard (issue 17, item 2): one record per grant,
valid against our transcription of the standard's schema, downloadable without login, and
nothing SIRI may not publish."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from celery import current_app
from celery.schedules import crontab
from django.core.management import call_command
from django.test import Client

from applications import services
from applications.models import Application, Municipality, State
from awards import services as award_services
from opendata import threesixty

from ..conftest import application_in_state, make_complete_draft, make_pool

pytestmark = pytest.mark.django_db

URL = "/aabne-data/360giving.{}"
PERSONAL = ["Mette Kontaktperson", "kontakt@example.test", "Tilskudsansvarlig", "ansvarlig@example.test", "Byrådet"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPEN_DATA = {"PREFIX": "360G-siri", "FUNDER_CVR": "", "FUNDER_NAME": "SIRI"}


@pytest.fixture
def granted(slagelse_applicant: Any, reviewer: Any) -> Application:
    """Slagelse's granted project, with Sorø as partner and people on it whose names must stay out."""
    pool = make_pool(name="Beskæftigelsesambassadører 2026")
    application = application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)
    application.partner_municipalities.add(Municipality.objects.get(code="340"))
    Application.objects.filter(pk=application.pk).update(
        contact_name="Mette Kontaktperson", contact_email="kontakt@example.test"
    )
    return application


def _download(fmt: str) -> Any:
    response = Client().get(URL.format(fmt))  # no login
    assert response.status_code == 200, response
    return response


def test_the_file_is_valid_360giving_with_one_record_per_grant(granted: Application) -> None:
    data = json.loads(b"".join(_download("json").streaming_content))

    jsonschema.validate(data, threesixty.schema(), format_checker=jsonschema.FormatChecker())
    [grant] = data["grants"]
    assert grant["id"] == f"360G-siri-{granted.journal_number}"
    assert grant["recipientOrganization"] == [{"id": "DK-CVR-29188505", "name": "Slagelse Kommune"}]
    assert grant["fundingOrganization"] == [{"id": "360G-siri-org-siri", "name": "SIRI"}]
    assert grant["amountAwarded"] == 900000.0
    assert grant["currency"] == "DKK"
    assert (grant["title"], grant["description"]) == (granted.title, granted.purpose)
    assert grant["plannedDates"] == [
        {"startDate": granted.start_date.isoformat(), "endDate": granted.end_date.isoformat()}
    ]
    assert grant["grantProgramme"] == [{"code": f"pulje-{granted.pool_id}", "title": "Beskæftigelsesambassadører 2026"}]
    assert [location["name"] for location in grant["beneficiaryLocation"]] == ["Slagelse Kommune", "Sorø Kommune"]
    assert grant["dataSource"].endswith("/aabne-data/360giving.json")


def test_a_record_that_breaks_the_standard_fails_the_schema(granted: Application) -> None:
    """The schema test can fail: a grant without its recipient, or with an amount as text, is refused."""
    data = threesixty.package()
    jsonschema.validate(data, threesixty.schema())
    for broken in ({"recipientOrganization": None}, {"amountAwarded": "900.000 kr."}, {"id": "SIRI-1"}):
        grant = data["grants"][0] | broken
        grant = {key: value for key, value in grant.items() if value is not None}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"grants": [grant]}, threesixty.schema())


def test_the_csv_has_the_standards_column_titles(granted: Application) -> None:
    response = _download("csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:6] == ["Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date"]
    assert len(rows) == 2
    assert row["Recipient Org:Identifier"] == "DK-CVR-29188505"
    assert row["Amount Awarded"] == "900000.00"
    assert row["Beneficiary Location:Name"] == "Slagelse Kommune; Sorø Kommune"
    assert row["Grant Programme:Title"] == "Beskæftigelsesambassadører 2026"


def test_nothing_but_the_grant_is_published(granted: Application, pool_admin: Any) -> None:
    """No reviews, contacts, grant-responsible person, conditions or budget: only the decision."""
    granted.award.conditions = "Særlige vilkår om afrapportering"
    granted.award.save()
    threesixty.publish()
    for fmt in ("json", "csv"):
        text = b"".join(_download(fmt).streaming_content).decode("utf-8-sig")
        for secret in [*PERSONAL, "Særlige vilkår", "1000000"]:
            assert secret not in text, (fmt, secret)


def test_only_grants_in_force_are_published(
    granted: Application, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    pool = make_pool(name="Anden pulje")
    draft = make_complete_draft(pool, gribskov_applicant, code="270")
    rejected = application_in_state(State.REJECTED, pool, slagelse_applicant, reviewer)
    revoked = application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)
    award_services.revoke(revoked.award.pk, pool_admin, "Projektet er ikke startet.")
    services.submit(draft.pk, gribskov_applicant)

    ids = [grant["id"] for grant in threesixty.package()["grants"]]

    assert ids == [f"360G-siri-{granted.journal_number}"]
    assert rejected.journal_number and revoked.journal_number


def test_the_file_is_regenerated_daily_not_per_request(
    granted: Application, slagelse_applicant: Any, reviewer: Any
) -> None:
    assert len(json.loads(b"".join(_download("json").streaming_content))["grants"]) == 1
    application_in_state(State.GRANTED, make_pool(name="Ny pulje"), slagelse_applicant, reviewer)
    # The download is yesterday's file until the daily job runs ...
    assert len(json.loads(b"".join(_download("json").streaming_content))["grants"]) == 1
    call_command("publish_open_data", stdout=io.StringIO())
    assert len(json.loads(b"".join(_download("json").streaming_content))["grants"]) == 2
    # ... which beat runs every morning.
    entry = current_app.conf.beat_schedule["opendata-publish"]
    assert entry["task"] == "opendata.tasks.publish_open_data"
    assert entry["schedule"] == crontab(hour=5, minute=30)


def test_the_funder_is_named_by_its_cvr_when_configured(settings: Any, granted: Application) -> None:
    settings.OPEN_DATA = {"PREFIX": "360G-siri", "FUNDER_CVR": "12345678", "FUNDER_NAME": "SIRI"}
    [grant] = threesixty.package(today=datetime.date(2027, 3, 31))["grants"]
    assert grant["fundingOrganization"] == [{"id": "DK-CVR-12345678", "name": "SIRI"}]
    assert grant["dateModified"] == "2027-03-31"
    assert Decimal(str(grant["amountAwarded"])) == granted.award.amount


@pytest.mark.parametrize(("method", "path", "status"), [("get", "xml", 404), ("post", "json", 405)])
def test_other_formats_and_methods_are_refused(granted: Application, method: str, path: str, status: int) -> None:
    assert getattr(Client(), method)(URL.format(path)).status_code == status


def test_the_download_is_public_and_cacheable(granted: Application, slagelse_applicant: Any) -> None:
    client = Client()
    client.force_login(slagelse_applicant)
    response = client.get(URL.format("json"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "private" not in response["Cache-Control"]
