"""Debrief statistics for the secretariat's scripts: the statement text, CSV, XLSX or PDF.

    python manage.py debrief_statistics jpoa-2015 --format text
    python manage.py debrief_statistics jpoa-2015 --format xlsx --output debrief.xlsx
    python manage.py debrief_statistics jpoa-2015 --format csv --profile public --country THA

Run on the server by its operator, it covers every country (or the one given). Each run is
logged as an export made from the command line.
"""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from countries.models import Country
from operations.models import JointOperation
from reporting import disclosure, export_jobs, exports, statement
from reporting.metrics import HEADLINE_METRICS
from reporting.models import ExportJob


class Command(BaseCommand):
    help = "Write a joint operation's debrief statistics (text, csv, xlsx or pdf)."

    def add_arguments(self, parser):
        parser.add_argument("joint_operation", help="the joint operation's slug, e.g. jpoa-2015")
        parser.add_argument("--format", choices=list(exports.WRITERS), default="text")
        parser.add_argument("--profile", choices=ExportJob.Profile.values,
                            default=ExportJob.Profile.RESTRICTED)
        parser.add_argument("--country", help="one country's ISO code (default: the region)")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--round", action="append", dest="rounded", metavar="METRIC",
            choices=[m.key for m in HEADLINE_METRICS],
            help="say this figure as 'over N' (repeatable; default: enquiries, as in 2015)")
        parser.add_argument("--exact", action="store_true", help="round no figure")

    def handle(self, *args, **options):
        try:
            joint_operation = JointOperation.objects.get(slug=options["joint_operation"])
        except JointOperation.DoesNotExist as missing:
            known = ", ".join(JointOperation.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No joint operation '{options['joint_operation']}' "
                               f"(known: {known}).") from missing
        country = None
        if options["country"]:
            country = Country.objects.filter(code=options["country"].upper()).first()
            if country is None or not joint_operation.operations.filter(country=country).exists():
                raise CommandError(f"--country: {options['country']} did not take part in "
                                   f"{joint_operation.slug}.")
        fmt = options["format"]
        if fmt in ("xlsx", "pdf") and not options["output"] and sys.stdout.isatty():
            raise CommandError(f"--output: give a file for {fmt} (it is not text).")
        rounded = () if options["exact"] else (options["rounded"] or statement.ROUNDED_IN_2015)

        try:
            data = exports.debrief(joint_operation, country=country, profile=options["profile"],
                                   rounded=rounded)
        except disclosure.UnsafeRelease as unsafe:
            raise CommandError(str(unsafe)) from unsafe
        content = exports.render(data, fmt)
        if options["output"]:
            with open(options["output"], "wb") as output:
                output.write(content)
        elif fmt in ("xlsx", "pdf"):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(content.decode(), ending="")
        export_jobs.log_export(user=None, joint_operation=joint_operation, country=country,
                               fmt=fmt, profile=options["profile"], rounded=rounded,
                               source=ExportJob.Source.COMMAND)
        if options["output"]:
            self.stderr.write(f"Wrote {options['output']} ({len(content):,} bytes).")
