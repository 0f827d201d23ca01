"""Try to undo a joint operation's public release: every hidden figure, and what a reader of
every public product together can work out about it.

    python manage.py disclosure_audit jpoa-2015
    python manage.py disclosure_audit jpoa-2015 --threshold 11    # as CTDC publishes

Exits 1 when a hidden figure can be worked out (the export then refuses the public profile).
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from operations.models import JointOperation
from reporting import disclosure, exports
from reporting.metrics import METRICS_BY_KEY


class Command(BaseCommand):
    help = "Audit a joint operation's public release: can any hidden figure be worked out?"

    def add_arguments(self, parser):
        parser.add_argument("joint_operation", help="the joint operation's slug, e.g. jpoa-2015")
        parser.add_argument("--threshold", type=int,
                            help="audit the release this threshold would make (default: the "
                                 "joint operation's public threshold)")

    def handle(self, *args, **options):
        joint_operation = JointOperation.objects.filter(slug=options["joint_operation"]).first()
        if joint_operation is None:
            known = ", ".join(JointOperation.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No joint operation '{options['joint_operation']}' "
                               f"(known: {known}).")
        if options["threshold"] is not None and options["threshold"] < 2:
            raise CommandError("--threshold: give 2 or more.")
        release = exports.release_of(joint_operation, threshold=options["threshold"])
        names = {c.pk: c.name for c in release.products[0].countries}
        findings = release.findings()
        self.stdout.write(
            f"{joint_operation.name}: public release with threshold {release.pattern.threshold}, "
            f"{len(release.products)} products (the region and each country), "
            f"{len(findings)} hidden figures.")
        for finding in sorted(findings, key=lambda f: (f.metric, -len(f.country_ids),
                                                       sorted(names[i] for i in f.country_ids))):
            where = ("the region" if len(finding.country_ids) == len(names) and len(names) > 1
                     else ", ".join(sorted(names[i] for i in finding.country_ids)))
            high = "no limit" if finding.high == disclosure.INFINITY else f"{finding.high:.0f}"
            verdict = "WORKED OUT" if finding.derivable else "safe"
            self.stdout.write(f"  {verdict:10} {METRICS_BY_KEY[finding.metric].label}, {where}: "
                              f"between {finding.low:.0f} and {high}")
        derivable = [f for f in findings if f.derivable]
        if derivable:
            self.stdout.write(self.style.ERROR(
                f"{len(derivable)} hidden figures can be worked out: the public profile is "
                "refused for this joint operation."))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(
            "No hidden figure can be worked out from the published ones: safe to release."))
