"""Reads that add records up for pages (direct aggregates until the roll-up lands)."""
from __future__ import annotations

from dataclasses import dataclass

from operations.models import JointOperation

from .metrics import HEADLINE_METRICS, Metric


@dataclass(frozen=True)
class Figure:
    metric: Metric
    value: int


def headline_figures(*, joint_operation: JointOperation) -> list[Figure]:
    """The nine paragraph-8 figures of a joint operation, summed over every country."""
    return [
        Figure(
            metric=metric,
            value=metric.aggregate(
                metric.model.objects.filter(operation__joint_operation=joint_operation)
            ),
        )
        for metric in HEADLINE_METRICS
    ]
