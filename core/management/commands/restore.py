from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import backup


class Command(BaseCommand):
    help = (
        "Put the database and MEDIA_ROOT back as a `backup` archive holds them, checking every checksum. "
        "Refused when the site holds data unless --force (a backup of the present state is made first). "
        "Stop the site and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive that `backup` wrote")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database and files that hold data (backed up first)"
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="the folder of the backup made first with --force (default: BACKUP_DIR or var/backups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup.restore(options["archive"], force=options["force"], safety_folder=options["output"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if restored.safety_backup is not None:
            self.stdout.write(f"What was there before is backed up in {restored.safety_backup}")
        self.stdout.write(
            f"Restored the {restored.vendor} database and {restored.files} file(s) of the backup made "
            f"{restored.created}; every checksum matches."
        )
        self.stdout.write("If the backup is older than the code, run `make migrate` now.")
