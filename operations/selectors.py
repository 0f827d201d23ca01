"""Reads of joint operations and their participants, shaped for pages."""
from __future__ import annotations

from django.db.models import Prefetch

from .models import JointOperation, Participation


def joint_operation_current() -> JointOperation | None:
    """The joint operation a user lands on: the most recent one that is not still being planned."""
    queryset = JointOperation.objects.prefetch_related(
        "co_chairs",
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("country").order_by("country__name"),
        ),
    )
    return (
        queryset.exclude(status=JointOperation.Status.PLANNING).first()
        or queryset.first()
    )
