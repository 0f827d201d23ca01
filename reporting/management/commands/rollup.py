"""Rebuild the totals from the records now, and optionally verify them."""
from django.core.management.base import BaseCommand, CommandError

from operations.models import JointOperation
from reporting import rollups


class Command(BaseCommand):
    help = "Recompute CountryTotal from the records (all, or one joint operation); --verify checks."

    def add_arguments(self, parser):
        parser.add_argument("--joint-operation", metavar="SLUG", help="only this joint operation")
        parser.add_argument("--verify", action="store_true",
                            help="after the rebuild, compare the totals with the records")
        parser.add_argument("--verify-only", action="store_true", help="compare without rebuilding")

    def handle(self, *args, joint_operation=None, verify=False, verify_only=False, **options):
        joint_operation_id = None
        if joint_operation:
            try:
                joint_operation_id = JointOperation.objects.get(slug=joint_operation).pk
            except JointOperation.DoesNotExist as error:
                raise CommandError(f"No joint operation with the slug {joint_operation!r}.") from error
        if not verify_only:
            run = rollups.rollup(joint_operation_id=joint_operation_id)
            self.stdout.write(f"Roll-up {run.scope}: {run.rows} rows in {run.duration_ms} ms.")
        if verify or verify_only:
            problems = rollups.verify(joint_operation_id=joint_operation_id)
            if problems:
                for problem in problems:
                    self.stderr.write(problem)
                raise CommandError(f"{len(problems)} totals differ from the records.")
            self.stdout.write(self.style.SUCCESS("Verified: every total matches the records."))
