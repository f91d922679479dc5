"""`make restore FROM=...`: a backup made by backup_create put back into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder (from backup_create) into the configured, empty, database and file folders."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup folder (backups/pem-backup-...)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="restore over a database that is not empty (its tables are dropped) and over existing files "
            "(their folder is renamed *.before-restore-<time>)",
        )

    def handle(self, *args, source: Path, replace: bool, **options):
        try:
            report = backup_restore(source=source, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Rows restored: {sum(report.rows.values())}; files: {report.files}")
        if report.mismatched_counts:
            raise CommandError(f"Row counts differ from the backup's manifest (backup, now): {report.mismatched_counts}")
        if report.unreadable_secrets or not report.keys_match:
            raise CommandError(
                f"Restored, but the configured FIELD_ENCRYPTION_KEYS are not those of the backup "
                f"({report.unreadable_secrets} encrypted values unreadable): set the keys in use when the backup was made."
            )
        self.stdout.write(self.style.SUCCESS(f"Backup {source} restored; the encryption keys read its passport numbers."))
