"""Celery tasks of the reporting app."""
from celery import shared_task

from operations.models import JointOperation

from .selectors import headline_figures


@shared_task(name="reporting.regional_totals")
def regional_totals(joint_operation_id: int) -> dict[str, int]:
    """The headline figures of a joint operation, aggregated from its records."""
    joint_operation = JointOperation.objects.get(pk=joint_operation_id)
    return {f.metric.key: f.value for f in headline_figures(joint_operation=joint_operation)}
