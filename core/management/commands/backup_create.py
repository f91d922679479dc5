"""`make backup`: the database, the private and public files, and a manifest, in a new folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import KEYS_REMINDER, BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite copy) and the local file folders into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None, help="folder that receives the backup (BACKUP_DIR)")

    def handle(self, *args, output: Path | None, **options):
        try:
            folder = backup_create(output=output or Path(settings.BACKUP_DIR))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
        self.stdout.write(self.style.WARNING(KEYS_REMINDER))
