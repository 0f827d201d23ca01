"""`manage.py restore FILE`: replace the configured database with a `manage.py backup` archive."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from core import backups


class Command(BaseCommand):
    help = ("Restore a `manage.py backup` archive into the configured database: every object in "
            "the archive is dropped and recreated (pg_restore --clean --if-exists) in a single "
            "transaction, so a failed restore changes nothing. Stop the web and worker "
            "processes first.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the file written by `manage.py backup`")
        parser.add_argument("--noinput", "--no-input", "--yes", action="store_false",
                            dest="interactive", help="do not ask for confirmation")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help="the DATABASES alias to restore into (default: default)")

    def handle(self, *args, **options):
        alias, archive = options["database"], options["archive"]
        where = backups.target(alias)
        if options["interactive"]:
            question = (f"This replaces the contents of {where.describe()} with {archive}.\n"
                        "Type 'yes' to continue, or anything else to cancel: ")
            try:
                answer = input(question)
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError(
                    "Restore cancelled: nothing was changed. Confirm with 'yes', or pass --yes "
                    "(--noinput) to restore without asking.")
        try:
            tables = backups.restore(archive, alias=alias)
        except backups.BackupError as error:
            raise CommandError(
                f"{error}\nThe restore was rolled back: {where.describe()} is unchanged."
            ) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored {archive} into {where.describe()} ({len(tables)} tables)."))
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan)
            self.stdout.write(self.style.WARNING(
                f"The backup predates migrations of this code ({names}): run `manage.py migrate`."))
