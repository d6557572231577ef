"""Backup and restore of everything Puljeflow keeps: the database and the files in MEDIA_ROOT
(attachments and generated PDFs), in one archive, byte for byte (`make backup`, `make restore`).

The archive is a .tar.gz holding

- ``database.sqlite3`` (a consistent copy made with SQLite's backup API, while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom``),
- ``media/…``, every file of MEDIA_ROOT under its relative path,
- ``manifest.json``, last: the format, the database's vendor and file, and the size and SHA-256 of
  every file in the archive.

The database is copied before the files: a file is stored before a row names it, so every file
the copied database names is in the archive (a file made meanwhile is there too, harmlessly).

A restore unpacks into a staging folder beside MEDIA_ROOT and checks every checksum before it
touches anything; then it puts the database back (SQLite: replaces the file; PostgreSQL:
``pg_restore --clean --if-exists --no-owner``), makes MEDIA_ROOT hold exactly the archive's files
and checks their checksums once more on disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, connections
from django.utils import timezone

FORMAT = "puljeflow-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
# Rows `migrate` itself makes: a database holding only these holds no data of anyone's.
SEEDED = {("contenttypes", "contenttype"), ("auth", "permission"), ("applications", "municipality")}


class BackupError(Exception):
    """Backup or restore cannot go on; the message says why, and nothing was changed."""


# Checksums -----------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Hashing:
    """A file that hashes what is read from it (tarfile reads each member exactly once)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def media_files(root: Path) -> list[str]:
    """MEDIA_ROOT's regular files as sorted relative POSIX paths (symbolic links are not followed)."""
    if not root.is_dir():
        return []
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def media_checksums(root: Path) -> dict[str, str]:
    return {name: sha256_of(root / name) for name in media_files(root)}


# The database --------------------------------------------------------------------------------------


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError(f"The SQLite database {name!r} lives in memory; there is no file to back up.")
    return Path(name)


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """A PostgreSQL client with the connection settings of Django's, the password in the environment."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is needed for a PostgreSQL database: apt-get install postgresql-client")
    settings_dict = connection.settings_dict
    options = settings_dict.get("OPTIONS") or {}
    arguments = [executable, "--no-password"]
    for flag, value in (
        ("--host", settings_dict.get("HOST")),
        ("--port", settings_dict.get("PORT")),
        ("--username", settings_dict.get("USER")),
        ("--dbname", settings_dict.get("NAME")),
    ):
        if value:
            arguments += [flag, str(value)]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            environment[variable] = str(options[option])
    return arguments, environment


def _run(arguments: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        program = Path(arguments[0]).name
        raise BackupError(f"{program} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")


def dump_database(target: Path) -> str:
    """Copy the database into `target`; returns the vendor."""
    vendor = _vendor()
    if vendor == "sqlite":
        source_path = _sqlite_path()
        if not source_path.is_file():
            raise BackupError(f"The SQLite database {source_path} does not exist.")
        # The backup API copies a consistent snapshot even while the site writes.
        source = sqlite3.connect(source_path)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        arguments, environment = _pg_command("pg_dump")
        _run([*arguments, "--format=custom", "--file", str(target)], environment)
    return vendor


def holds_data() -> list[str]:
    """The tables that hold rows beyond what `migrate` makes ("app.model: n rows"); empty when none."""
    existing = set(connection.introspection.table_names())
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy or (meta.app_label, meta.model_name) in SEEDED:
                continue
            if meta.db_table not in existing:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(meta.db_table)}")  # noqa: S608
            (count,) = cursor.fetchone()
            if count:
                found.append(f"{meta.label}: {count}")
    return found


def _sqlite_exists() -> bool:
    return _sqlite_path().is_file()


def restore_database(vendor: str, source: Path) -> None:
    if vendor != _vendor():
        raise BackupError(f"The archive holds a {vendor} database; this site runs on {_vendor()}.")
    connections.close_all()
    if vendor == "sqlite":
        target = _sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source, staged)
        # A journal of the old database must not be replayed into the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(staged, target)
    else:
        arguments, environment = _pg_command("pg_restore")
        _run(
            [
                *arguments,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(source),
            ],
            environment,
        )


# The archive ---------------------------------------------------------------------------------------


def media_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError(
            "The files are not in MEDIA_ROOT but in object storage (S3_BUCKET): back up the bucket "
            "with its own tools (versioning or replication)."
        )
    return Path(settings.MEDIA_ROOT)


def default_folder() -> Path:
    """var/backups of the checkout, or BACKUP_DIR."""
    return Path(os.environ.get("BACKUP_DIR") or Path(settings.BASE_DIR) / "var" / "backups")


def _new_archive(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        path = folder / (f"puljeflow-{stamp}.tar.gz" if attempt == 0 else f"puljeflow-{stamp}-{attempt}.tar.gz")
        try:
            path.touch(mode=0o600, exist_ok=False)
        except FileExistsError:
            continue
        return path
    raise BackupError(f"No free archive name in {folder}.")


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    """Add a file, hashing the bytes as they go in; its manifest entry."""
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        hashing = _Hashing(handle)
        archive.addfile(info, hashing)  # type: ignore[arg-type]
    if hashing.size != info.size:
        raise BackupError(f"{path} changed while it was backed up; run the backup again.")
    return {"path": name, "size": info.size, "sha256": hashing.digest.hexdigest()}


def backup(folder: Path | None = None) -> Path:
    """Write one archive of the database and MEDIA_ROOT into `folder`; returns its path."""
    root = media_root()
    vendor = _vendor()
    path = _new_archive(folder or default_folder())
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix="puljeflow-backup-") as scratch:
            database = Path(scratch) / DATABASE_FILES[vendor]
            dump_database(database)
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                entries = [_add(archive, database, DATABASE_FILES[vendor])]
                database.unlink()
                entries += [_add(archive, root / name, f"{MEDIA}/{name}") for name in media_files(root)]
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": timezone.now().isoformat(),
                    "database": {"vendor": vendor, "path": DATABASE_FILES[vendor]},
                    "files": entries,
                }
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
                archive.addfile(info, io.BytesIO(data))
        partial.chmod(0o600)  # the archive holds personal data
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise
    return path


@dataclass
class Unpacked:
    folder: Path
    vendor: str
    database: Path
    digest: str  # the database file's SHA-256
    files: dict[str, dict[str, Any]]  # relative media path -> manifest entry
    created: str


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


@contextmanager
def unpacked(archive_path: Path, beside: Path) -> Iterator[Unpacked]:
    """Unpack the archive into a staging folder beside `beside` and check every file against the
    manifest; the folder goes away afterwards (what was moved out of it stays where it went)."""
    if not archive_path.is_file():
        raise BackupError(f"No archive at {archive_path}.")
    beside.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".puljeflow-restore-", dir=beside))
    try:
        digests: dict[str, tuple[int, str]] = {}
        manifest_data = None
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                for member in archive:
                    if not _safe(member.name) or not member.isfile():
                        raise BackupError(f"The archive holds an unexpected entry: {member.name!r}.")
                    source = archive.extractfile(member)
                    if source is None:  # pragma: no cover - a regular file always has data
                        raise BackupError(f"Cannot read {member.name!r} from the archive.")
                    if member.name == MANIFEST:
                        manifest_data = source.read()
                        continue
                    target = folder / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha256()
                    with target.open("xb") as handle:
                        while chunk := source.read(CHUNK):
                            digest.update(chunk)
                            handle.write(chunk)
                    os.utime(target, (member.mtime, member.mtime))
                    digests[member.name] = (member.size, digest.hexdigest())
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(f"{archive_path} is not a readable backup archive: {error}") from error
        if manifest_data is None:
            raise BackupError(f"{archive_path} has no {MANIFEST}: not a Puljeflow backup.")
        manifest = json.loads(manifest_data)
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"{archive_path} is not a Puljeflow backup of version {VERSION}.")
        expected = {entry["path"]: entry for entry in manifest["files"]}
        if set(expected) != set(digests):
            missing = sorted(set(expected) - set(digests))
            extra = sorted(set(digests) - set(expected))
            raise BackupError(f"The archive does not match its manifest (missing {missing}, unlisted {extra}).")
        for name, (size, digest) in digests.items():
            if (size, digest) != (expected[name]["size"], expected[name]["sha256"]):
                raise BackupError(f"{name} in the archive does not match its checksum: the archive is damaged.")
        vendor = manifest["database"]["vendor"]
        database_name = manifest["database"]["path"]
        if database_name not in digests:
            raise BackupError("The archive holds no database.")
        prefix = f"{MEDIA}/"
        files = {name[len(prefix) :]: entry for name, entry in expected.items() if name.startswith(prefix)}
        yield Unpacked(
            folder, vendor, folder / database_name, digests[database_name][1], files, manifest.get("created", "")
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def target_holds_data() -> list[str]:
    """What a restore would overwrite: tables with rows and files in MEDIA_ROOT."""
    found: list[str] = []
    if _vendor() != "sqlite" or _sqlite_exists():
        found += holds_data()
    files = media_files(media_root())
    if files:
        found.append(f"MEDIA_ROOT: {len(files)} file(s)")
    return found


def _place_media(staged: Path, root: Path, files: dict[str, dict[str, Any]]) -> None:
    """Make MEDIA_ROOT hold exactly the archive's files, then check them on disk."""
    root.mkdir(parents=True, exist_ok=True)
    for name in media_files(root):
        if name not in files:
            (root / name).unlink()
    for name in files:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.is_dir():
            raise BackupError(f"{target} is in the way of a restored file.")
        shutil.move(str(staged / name), str(target))
    for folder, dirs, names in os.walk(root, topdown=False):  # folders emptied above
        if not dirs and not names and Path(folder) != root:
            Path(folder).rmdir()
    on_disk = media_checksums(root)
    wrong = sorted(name for name, entry in files.items() if on_disk.get(name) != entry["sha256"])
    if wrong or set(on_disk) != set(files):
        raise BackupError(f"The restored files do not match the archive's checksums: {wrong[:10]}")


@dataclass
class Restored:
    created: str
    vendor: str
    files: int
    safety_backup: Path | None


def restore(archive_path: Path, *, force: bool = False, safety_folder: Path | None = None) -> Restored:
    """Put the database and MEDIA_ROOT back as the archive holds them. Refused when the site holds
    data, unless `force`; then a backup of what is there is made first (nothing is lost)."""
    root = media_root()
    vendor = _vendor()
    with unpacked(archive_path, root.parent) as staged:
        if staged.vendor != vendor:
            raise BackupError(f"The archive holds a {staged.vendor} database; this site runs on {vendor}.")
        present = target_holds_data()
        safety = None
        if present:
            if not force:
                raise BackupError(
                    "The site holds data, which a restore would overwrite ("
                    + "; ".join(present[:8])
                    + (" …" if len(present) > 8 else "")
                    + "). Run it again with --force; a backup of the present state is made first."
                )
            safety = backup(safety_folder)
        restore_database(staged.vendor, staged.database)
        if staged.vendor == "sqlite" and sha256_of(_sqlite_path()) != staged.digest:
            raise BackupError("The restored database file does not match the archive's checksum.")
        _place_media(staged.folder / MEDIA, root, staged.files)
        return Restored(staged.created, staged.vendor, len(staged.files), safety)
