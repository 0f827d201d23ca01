"""Completeness and timeliness of the countries' reporting in one joint operation.

Per country whose return the user follows: the records it holds for each week of the period
(the week the results happened in), when it last entered one, its return's due date and
whether it was submitted on time. Read from ``CountryActivity`` (written by the roll-up beside
the totals) and the returns: three queries whatever the number of records.

"Late": submitted after the due date, or not submitted and the due date has passed.
"Silent": the return is still open and the country has entered nothing for
``SILENT_AFTER_DAYS`` days (or nothing at all) since the period began.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.models import Country
from operations.models import CountryReturn, JointOperation

from . import selectors
from .models import CountryActivity

SILENT_AFTER_DAYS = 7

ON_TIME, LATE, OVERDUE, DUE, NO_DUE_DATE = "on_time", "late", "overdue", "due", "no_due_date"
TIMELINESS_LABELS = {
    ON_TIME: _("On time"),
    LATE: _("Submitted late"),
    OVERDUE: _("Overdue"),
    DUE: _("Not due yet"),
    NO_DUE_DATE: _("No due date"),
}


@dataclass(frozen=True)
class CountryCompleteness:
    country: Country
    country_return: CountryReturn
    weeks: tuple[int, ...]  # records per week of the period, in ``Completeness.weeks`` order
    records: int  # every record of the joint operation, weeks outside the period included
    last_entry_at: dt.datetime | None
    days_since_last_entry: int | None
    timeliness: str
    silent: bool

    @property
    def timeliness_label(self) -> str:
        return TIMELINESS_LABELS[self.timeliness]

    @property
    def late(self) -> bool:
        return self.timeliness in (LATE, OVERDUE)

    @property
    def needs_attention(self) -> bool:
        return self.late or self.silent


@dataclass(frozen=True)
class Completeness:
    joint_operation: JointOperation
    weeks: list[dt.date]  # the Mondays of the period's weeks
    rows: list[CountryCompleteness] = field(default_factory=list)
    silent_after_days: int = SILENT_AFTER_DAYS

    @property
    def late_or_silent(self) -> list[CountryCompleteness]:
        return [row for row in self.rows if row.needs_attention]


def period_weeks(joint_operation: JointOperation) -> list[dt.date]:
    """The Monday of each week the period touches, first to last."""
    monday = joint_operation.starts_on - dt.timedelta(days=joint_operation.starts_on.weekday())
    weeks = []
    while monday <= joint_operation.ends_on:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def timeliness(country_return: CountryReturn, due_on: dt.date | None, today: dt.date) -> str:
    if due_on is None:
        return NO_DUE_DATE
    if country_return.state != CountryReturn.State.OPEN and country_return.submitted_at:
        return ON_TIME if timezone.localdate(country_return.submitted_at) <= due_on else LATE
    return OVERDUE if today > due_on else DUE


def build(*, user, joint_operation: JointOperation, today: dt.date | None = None,
          returns: list[CountryReturn] | None = None) -> Completeness:
    """The report for the countries whose returns ``user`` follows (``returns_visible``);
    ``returns``: those already read for the page (``selectors.return_list``)."""
    today = today or timezone.localdate()
    weeks = period_weeks(joint_operation)
    if returns is None:
        returns = selectors.return_list(user=user, joint_operation=joint_operation)
    activity: dict[int, list[CountryActivity]] = {}
    for row in CountryActivity.objects.filter(
            joint_operation=joint_operation,
            country_id__in=[r.country_id for r in returns]).order_by("week"):
        activity.setdefault(row.country_id, []).append(row)
    started = today >= joint_operation.starts_on
    rows = []
    for country_return in returns:
        entries = activity.get(country_return.country_id, [])
        per_week = {row.week: row.records for row in entries}
        last = max((row.last_entry_at for row in entries), default=None)
        days = (today - timezone.localdate(last)).days if last else None
        silent = (started and country_return.state == CountryReturn.State.OPEN
                  and (days is None or days >= SILENT_AFTER_DAYS))
        rows.append(CountryCompleteness(
            country=country_return.country, country_return=country_return,
            weeks=tuple(per_week.get(week, 0) for week in weeks),
            records=sum(row.records for row in entries), last_entry_at=last,
            days_since_last_entry=days,
            timeliness=timeliness(country_return, joint_operation.returns_due_on, today),
            silent=silent))
    return Completeness(joint_operation=joint_operation, weeks=weeks, rows=rows)
