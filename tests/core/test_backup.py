"""`make backup` and `make restore` (issue 11): the database and every file of MEDIA_ROOT come back
byte for byte, a restore never overwrites data unasked, and a damaged archive changes nothing.

On SQLite the commands run as `make` runs them, in a subprocess with DATABASE_URL and MEDIA_ROOT
of a throwaway site under tmp_path; on PostgreSQL in-process, against the test database.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from applications import services
from core.backup import media_checksums
from documents.models import Document

from ..conftest import make_complete_draft, make_pool, require_service

MANAGE = Path(django_settings.BASE_DIR) / "manage.py"
ARCHIVE_NAME = re.compile(r"puljeflow-\d{8}-\d{6}(-\d+)?\.tar\.gz")
# An attachment as a person uploads it: a name with æ, ø and å, bytes that do not compress.
ATTACHMENT = "attachments/bilag æøå.pdf"
ATTACHMENT_BYTES = b"%PDF-1.7\n" + os.urandom(200_000)


class Site:
    """A throwaway Puljeflow on SQLite: its database file, MEDIA_ROOT and backup folder."""

    def __init__(self, root: Path) -> None:
        self.database = root / "site.sqlite3"
        self.media = root / "media"
        self.backups = root / "backups"
        self.env = {
            **{key: value for key, value in os.environ.items() if key != "DATABASE_TEST_NAME"},
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MEDIA_ROOT": str(self.media),
            "BACKUP_DIR": str(self.backups),
            "CELERY_BROKER_URL": "",  # tasks in-process: the demo's letters land in MEDIA_ROOT
        }

    def manage(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(MANAGE), *arguments],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def dump(self) -> str:
        """The database's content as SQL, row for row."""
        connection = sqlite3.connect(self.database)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()

    def files(self) -> dict[str, str]:
        return media_checksums(self.media)


# The throwaway SQLite site is the same whichever database the suite runs on: its tests run in the
# SQLite run (CI's part 1) and not again beside PostgreSQL, whose own backup is tested below.
sqlite_site = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the SQLite site's tests ran in the SQLite run (CI's part 1)"
)


def archive_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {member.name: archive.extractfile(member).read() for member in archive if member.isfile()}  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Path, str, dict[str, str]]]:
    """A site with the demo's data and letters and one uploaded attachment, and its backup."""
    site = Site(tmp_path_factory.mktemp("site"))
    site.manage("migrate", "--noinput")
    site.manage("load_demo")
    (site.media / ATTACHMENT).parent.mkdir(parents=True, exist_ok=True)
    (site.media / ATTACHMENT).write_bytes(ATTACHMENT_BYTES)
    dump, files = site.dump(), site.files()
    assert any(name.endswith(".pdf") and name.startswith("documents/") for name in files)  # generated letters

    output = site.manage("backup").stdout.strip().splitlines()[-1]
    archive = Path(output)
    assert archive.parent == site.backups and ARCHIVE_NAME.fullmatch(archive.name), output
    assert archive.stat().st_mode & 0o077 == 0  # personal data: for the owner only
    yield site, archive, dump, files


@sqlite_site
def test_the_archive_holds_the_database_and_every_file_with_checksums(
    site: tuple[Site, Path, str, dict[str, str]],
) -> None:
    instance, archive, _dump, files = site
    members = archive_members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["database"] == {"vendor": "sqlite", "path": "database.sqlite3"}
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert listed == {"database.sqlite3": listed["database.sqlite3"], **{f"media/{n}": s for n, s in files.items()}}
    assert members[f"media/{ATTACHMENT}"] == ATTACHMENT_BYTES
    # The database copy is a whole SQLite database.
    copy = Path(instance.backups) / "check.sqlite3"
    copy.write_bytes(members["database.sqlite3"])
    connection = sqlite3.connect(copy)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    copy.unlink()


@sqlite_site
def test_backup_wipe_restore_gives_back_the_database_and_the_files_byte_for_byte(
    site: tuple[Site, Path, str, dict[str, str]],
) -> None:
    instance, archive, dump, files = site
    database_bytes = archive_members(archive)["database.sqlite3"]

    # A site that holds data is not overwritten unasked.
    refused = instance.manage("restore", str(archive), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert instance.dump() == dump

    # Everything gone: restore needs no --force and brings back every byte.
    instance.database.unlink()
    shutil.rmtree(instance.media)
    result = instance.manage("restore", str(archive))
    assert "every checksum matches" in result.stdout
    assert instance.database.read_bytes() == database_bytes
    assert instance.dump() == dump
    assert instance.files() == files
    assert (instance.media / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES

    # Changed since: --force backs the present state up first, then restores exactly the archive.
    connection = sqlite3.connect(instance.database)
    with connection:
        connection.execute("UPDATE applications_application SET title = 'Ændret efter backup'")
    connection.close()
    (instance.media / "attachments" / "ny.pdf").write_bytes(b"%PDF-1.7 new")
    (instance.media / ATTACHMENT).write_bytes(b"overwritten")
    before = set(instance.backups.glob("*.tar.gz"))
    result = instance.manage("restore", str(archive), "--force")
    safety = set(instance.backups.glob("*.tar.gz")) - before
    assert len(safety) == 1 and str(next(iter(safety))) in result.stdout
    assert "media/attachments/ny.pdf" in archive_members(next(iter(safety)))  # nothing lost
    assert instance.dump() == dump
    assert instance.files() == files
    assert instance.database.read_bytes() == database_bytes


@sqlite_site
def test_a_damaged_archive_is_refused_before_anything_changes(
    site: tuple[Site, Path, str, dict[str, str]], tmp_path: Path
) -> None:
    instance, archive, dump, files = site
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == f"media/{ATTACHMENT}":
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            target.addfile(member, io.BytesIO(data))
    result = instance.manage("restore", str(damaged), "--force", check=False)
    assert result.returncode != 0 and "checksum" in result.stderr
    assert instance.dump() == dump
    assert instance.files() == files
    assert not [path for path in instance.media.parent.iterdir() if path.name.startswith(".puljeflow-restore")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_dump_truncate_restore_gives_back_the_same_rows_and_files(
    postgres: None,
    settings: Any,
    tmp_path: Path,
    slagelse_applicant: Any,
) -> None:
    require_service(
        "pg_dump and pg_restore",
        bool(shutil.which("pg_dump") and shutil.which("pg_restore")),
        "apt-get install postgresql-client",
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    pool = make_pool()
    application = make_complete_draft(pool, slagelse_applicant)
    services.submit(application.pk, slagelse_applicant)  # the receipt and the application as PDF
    default_storage.save(ATTACHMENT, ContentFile(ATTACHMENT_BYTES))
    assert Document.objects.filter(file__gt="").count() >= 2

    def snapshot() -> str:
        out = io.StringIO()
        call_command("dumpdata", "--all", "--indent=1", "--exclude=sessions", stdout=out)
        return out.getvalue()

    rows, files = snapshot(), media_checksums(settings.MEDIA_ROOT)
    assert len(files) >= 3

    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    archive = Path(out.getvalue().strip().splitlines()[-1])
    manifest = json.loads(archive_members(archive)["manifest.json"])
    assert manifest["database"] == {"vendor": "postgresql", "path": "database.pgdump"}

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())

    call_command("flush", "--noinput")  # every table truncated
    shutil.rmtree(settings.MEDIA_ROOT)
    assert snapshot() != rows

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "every checksum matches" in out.getvalue()
    assert snapshot() == rows
    assert media_checksums(settings.MEDIA_ROOT) == files
    assert (Path(settings.MEDIA_ROOT) / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES
