"""Cooperation's reads that its pages share."""
from __future__ import annotations

from countries import access

from . import policies
from .models import JointInvestigation


def attributable_investigations(*, user, record) -> list | None:
    """Open joint investigations the record's country is a member of, to attribute the record
    to; None when the user may not change the record or there is nothing to choose."""
    if not access.can_change_record(user, record):
        return None
    choices = list(policies.investigations_visible(user, JointInvestigation.objects.filter(
        members__country_id=record.country_id, members__state="accepted",
    ).exclude(status=JointInvestigation.Status.CLOSED)).order_by("title"))
    return choices if choices or record.joint_investigation_id else None


# The record page's panels (operations.panels): each a context, or None to leave it out.

def investigation_panel(user, record) -> dict | None:
    investigations = attributable_investigations(user=user, record=record)
    return None if investigations is None else {"investigations": investigations}


def answer_panel(user, record) -> dict | None:
    return {"can_answer": True} if access.is_addressee(user, record) else None
