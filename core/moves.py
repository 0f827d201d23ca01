"""Moving a model to another app without moving its table (issue 19): the migration helper that
relabels its content type, so that permissions, guardian grants and generic foreign keys that
point at the model keep pointing at it."""
from __future__ import annotations


def relabel(apps, old_label: str, new_label: str, models: list[str]) -> None:
    """Relabel the content types of ``models`` from ``old_label`` to ``new_label`` (a migration's
    RunPython). A model whose content type already exists under the new label is left alone."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new_label, model__in=models).order_by()
                .values_list("model", flat=True))
    ContentType.objects.filter(app_label=old_label, model__in=models).exclude(
        model__in=taken).update(app_label=new_label)
