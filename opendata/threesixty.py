"""Open data on granted funds in the 360Giving Data Standard (issue 17): one record per grant SIRI
has given, as JSON (the standard's package, ``{"grants": [...]}``) and as CSV (the standard's
spreadsheet column titles), published without login.

Only what SIRI may publish: the decision (amount, award date, planned period), the pool, the
project's title and purpose, the recipient municipality by its CVR (``DK-CVR-…``) and the
municipalities the project serves. Never reviews, scores, reports, conditions, budgets or the
names and addresses of the people on an application.

The files are regenerated daily (Celery beat, or ``manage.py publish_open_data`` from cron) and
stored in the default storage, so the public download reads a file and never queries the grants.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from applications.models import Grant

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "360giving-grants-transcription.schema.json"
JSON_NAME = "open-data/360giving-grants.json"
CSV_NAME = "open-data/360giving-grants.csv"
FILES = {"json": JSON_NAME, "csv": CSV_NAME}
CURRENCY = "DKK"

# The standard's spreadsheet column titles, in the order of its template, and where each comes from.
CSV_COLUMNS: list[tuple[str, tuple[Any, ...]]] = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("Beneficiary Location:Name", ("beneficiaryLocation", "names")),
    ("Beneficiary Location:Country Code", ("beneficiaryLocation", 0, "countryCode")),
    ("Last Modified", ("dateModified",)),
    ("Data Source", ("dataSource",)),
]


def _setting(name: str) -> str:
    return str(getattr(settings, "OPEN_DATA", {}).get(name) or "")


def prefix() -> str:
    """The publisher's identifier prefix, which 360Giving assigns on registration (``360G-…``)."""
    return _setting("PREFIX") or "360G-siri"


def funder() -> dict[str, str]:
    """SIRI as the funding organisation: by its CVR when configured, else by a 360G identifier
    under our own prefix, which the standard allows for an organisation without a listed one."""
    cvr = _setting("FUNDER_CVR")
    name = _setting("FUNDER_NAME") or "Styrelsen for International Rekruttering og Integration"
    return {"id": f"DK-CVR-{cvr}" if cvr else f"{prefix()}-org-siri", "name": name}


def municipality_name(municipality: Any) -> str:
    # Bornholm is the one regional municipality; the others are "<name> Kommune".
    return "Bornholms Regionskommune" if municipality.code == "400" else f"{municipality.name} Kommune"


def published_grants() -> Any:
    """The grants SIRI has decided and that hold their money: a lapsed or revoked grant was
    never paid out and leaves the file. Ordered by award, oldest first, so the file diffs well."""
    return (
        Grant.objects.holding_money()
        .filter(application__journal_number__isnull=False)
        .select_related("application__pool", "application__lead_municipality")
        .prefetch_related("application__partner_municipalities")
        .order_by("granted_at", "pk")
    )


def record(grant: Grant, source: str = "") -> dict[str, Any]:
    """One grant in the standard's shape. Built from named fields only, so nothing else of the
    application (reviews, contacts, budgets) can slip into the file."""
    application = grant.application
    lead = application.lead_municipality
    cvr = application.cvr or lead.cvr
    served = [lead, *sorted(application.partner_municipalities.all(), key=lambda m: m.code)]
    item: dict[str, Any] = {
        "id": f"{prefix()}-{application.journal_number}",
        "title": application.title,
        "description": application.purpose or application.title,
        "currency": CURRENCY,
        "amountAwarded": float(grant.amount),
        "awardDate": timezone.localtime(grant.granted_at).date().isoformat(),
        "plannedDates": [{"startDate": grant.start_date.isoformat(), "endDate": grant.end_date.isoformat()}],
        "recipientOrganization": [
            {"id": f"DK-CVR-{cvr}" if cvr else f"{prefix()}-org-kommune-{lead.code}", "name": municipality_name(lead)}
        ],
        "fundingOrganization": [funder()],
        "grantProgramme": [{"code": f"pulje-{application.pool_id}", "title": application.pool.name}],
        "beneficiaryLocation": [{"name": municipality_name(m), "countryCode": "DK"} for m in served],
    }
    if source:
        item["dataSource"] = source
    return item


def package(source: str = "", today: datetime.date | None = None) -> dict[str, Any]:
    modified = (today or timezone.localdate()).isoformat()
    grants = [record(grant, source) | {"dateModified": modified} for grant in published_grants().iterator(500)]
    return {"grants": grants}


def _cell(item: dict[str, Any], path: tuple[Any, ...]) -> str:
    if path == ("beneficiaryLocation", "names"):
        return "; ".join(location["name"] for location in item.get("beneficiaryLocation", []))
    value: Any = item
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError):
            return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def csv_rows(data: dict[str, Any]) -> Iterator[list[str]]:
    yield [title for title, _path in CSV_COLUMNS]
    for item in data["grants"]:
        yield [_cell(item, path) for _title, path in CSV_COLUMNS]


def as_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(data))
    # With a byte-order mark, so that Excel opens the Danish letters right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _replace(name: str, content: bytes) -> None:
    # The storage may keep a clashing name beside the old file (S3 with file_overwrite off):
    # the old one goes first, so the public name always holds the latest.
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


def publish() -> int:
    """Write both files; the number of grants published."""
    source = settings.SITE_URL.rstrip("/") + "/aabne-data/360giving.json"
    data = package(source)
    _replace(JSON_NAME, as_json(data))
    _replace(CSV_NAME, as_csv(data))
    return len(data["grants"])


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
