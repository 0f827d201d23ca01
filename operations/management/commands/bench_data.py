"""Generate benchmark data at scale (see bench/generate.py): use a database of its own."""
from django.core.management.base import BaseCommand

from bench.generate import PASSWORD, BenchConfig, generate


class Command(BaseCommand):
    help = ("Generate outcome records at scale with COPY, plus countries, agencies, joint "
            "operations and users of every role, for the benchmark suite (make bench). "
            "Use a database of its own: a second run replaces the benchmark records.")

    def add_arguments(self, parser):
        defaults = BenchConfig()
        parser.add_argument("--records", type=int, default=defaults.records)
        parser.add_argument("--countries", type=int, default=defaults.countries)
        parser.add_argument("--joint-operations", type=int, default=defaults.joint_operations)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--reuse", action="store_true",
                            help="keep the records if they already have the requested size")

    def handle(self, *args, **options):
        config = BenchConfig(records=options["records"], countries=options["countries"],
                             joint_operations=options["joint_operations"], seed=options["seed"])
        data = generate(config, reuse=options["reuse"], log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"{data.total_records:,} outcome records in {len(data.joint_operation_ids)} joint "
            f"operations of {len(data.country_ids)} countries "
            f"({'reused' if data.reused else 'generated'} in {data.seconds:.1f} s); "
            f"guardian rows added: {data.guardian_rows_added}."))
        for role, username in data.usernames.items():
            self.stdout.write(f"  {role:<14} {username}")
        self.stdout.write(f"Password for every benchmark user: {PASSWORD}")
