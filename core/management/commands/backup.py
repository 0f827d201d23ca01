"""`manage.py backup`: dump the configured database with pg_dump in custom format."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core import backups


class Command(BaseCommand):
    help = ("Dump the configured database (DATABASE_URL or the embedded server) with pg_dump in "
            "custom format (-Fc). Restore it with `manage.py restore FILE`.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path,
                            help="file to write (default: BACKUP_DIR/<database>-<UTC time>.dump)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help="the DATABASES alias to dump (default: default)")

    def handle(self, *args, **options):
        alias = options["database"]
        where = backups.target(alias)
        output = options["output"] or backups.default_backup_path(where.name)
        try:
            tables = backups.backup(output, alias=alias)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        size = Path(output).stat().st_size
        self.stdout.write(self.style.SUCCESS(
            f"Backed up {where.describe()} to {output} ({size:,} bytes, {len(tables)} tables)."))
