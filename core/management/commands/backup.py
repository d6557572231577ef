from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import backup


class Command(BaseCommand):
    help = (
        "Write one archive (var/backups/puljeflow-YYYYMMDD-HHMMSS.tar.gz) of the database and every file "
        "of MEDIA_ROOT, with their SHA-256 checksums; prints its path. Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="the folder of the archive (default: BACKUP_DIR or var/backups)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup.backup(options["output"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
