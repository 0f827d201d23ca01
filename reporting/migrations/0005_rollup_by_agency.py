"""The roll-up now also adds figures up by agency (the return page's breakdown, ``AGENCY`` in
reporting/metrics.py): ``CountryTotal`` needs no new column (the dimension is a value), but the
totals already stored have no agency rows. Every (joint operation, country) with an operation
is marked pending, so the catch-up task (when a worker starts, and every five minutes) redoes
its totals; until then the pages say the figures are being added up."""

from django.db import migrations


def request_rollups(apps, schema_editor):
    Operation = apps.get_model("operations", "Operation")
    PendingRollup = apps.get_model("reporting", "PendingRollup")
    pairs = set(Operation.objects.values_list("joint_operation_id", "country_id"))
    have = set(PendingRollup.objects.values_list("joint_operation_id", "country_id"))
    PendingRollup.objects.bulk_create(
        [PendingRollup(joint_operation_id=jo, country_id=country)
         for jo, country in sorted(pairs - have)])


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_debrief_from_operations'),
    ]

    operations = [
        migrations.RunPython(request_rollups, migrations.RunPython.noop),
    ]
