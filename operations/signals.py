"""What operations announces: the records of a (joint operation, country) changed.

Every committed save or delete of an outcome record, whatever the write path, ends in one
``records_changed`` per (joint operation, country) and transaction, sent after the commit.
Listeners (the roll-up) live in apps that depend on operations, never the other way round.
"""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from .models import OUTCOME_MODELS, Operation

records_changed = Signal()  # kwargs: joint_operation_id, country_id


def _send(operation_ids: set[int]) -> None:
    pairs = set(Operation.objects.filter(pk__in=operation_ids).values_list(
        "joint_operation_id", "country_id"))
    for joint_operation_id, country_id in sorted(pairs):
        records_changed.send(sender=Operation, joint_operation_id=joint_operation_id,
                             country_id=country_id)


def announce_records_changed(*, operation_id: int) -> None:
    """Send ``records_changed`` for the operation's (joint operation, country) after the commit.

    Once per operation and transaction: a 2,000-row import announces one change, not 2,000.
    The transaction's pending set lives as long as its commit hook: a rollback drops both.
    """
    connection = transaction.get_connection()
    pending = connection.__dict__.get("_jpoa_records_changed")
    if (pending is not None and not pending["sent"]
            and any(hook[1] is pending["flush"] for hook in connection.run_on_commit)):
        pending["operation_ids"].add(operation_id)
        return
    operation_ids = {operation_id}

    def flush():
        state["sent"] = True
        _send(operation_ids)

    state = {"operation_ids": operation_ids, "flush": flush, "sent": False}
    connection.__dict__["_jpoa_records_changed"] = state
    transaction.on_commit(flush)  # outside a transaction this runs at once


def _record_written(sender, instance, **kwargs):
    announce_records_changed(operation_id=instance.operation_id)


for _model in OUTCOME_MODELS:
    post_save.connect(_record_written, sender=_model,
                      dispatch_uid=f"records-changed-save-{_model.__name__}")
    post_delete.connect(_record_written, sender=_model,
                        dispatch_uid=f"records-changed-delete-{_model.__name__}")
