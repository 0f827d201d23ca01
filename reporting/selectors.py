"""Reads that add records up for pages, and the country returns shaped for their pages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core import rls
from countries import access
from countries.models import Agency, Country
from countries.selectors import usernames
from operations.models import CountryReturn, CountryReturnEvent, JointOperation, Operation
from operations.records import KINDS, RecordKind

from .metrics import HEADLINE_METRICS, Metric
from .models import CountryTotal, PendingRollup, RollupRun


@dataclass(frozen=True)
class Figure:
    metric: Metric
    value: int


def headline_figures(*, joint_operation: JointOperation) -> list[Figure]:
    """The nine paragraph-8 figures of a joint operation, summed over every country (a total
    everyone with a membership sees: read past row-level security, ``rls.all_records``)."""
    with rls.all_records():
        return [
            Figure(
                metric=metric,
                value=metric.aggregate(
                    metric.model.objects.filter(operation__joint_operation=joint_operation)
                ),
            )
            for metric in HEADLINE_METRICS
        ]


def country_figures(*, joint_operation: JointOperation, country_id: int) -> list[Figure]:
    """The nine headline figures of one country's operation: one aggregate query per metric
    (its return's totals, for whoever follows the return: past row-level security)."""
    with rls.all_records():
        return [
            Figure(
                metric=metric,
                value=metric.aggregate(
                    metric.model.objects.filter(
                        operation__joint_operation=joint_operation, country_id=country_id
                    )
                ),
            )
            for metric in HEADLINE_METRICS
        ]


@dataclass(frozen=True)
class AgencyFigures:
    agency: Agency
    figures: list[Figure]  # in HEADLINE_METRICS order


def agency_figures(*, joint_operation: JointOperation, country_id: int) -> list[AgencyFigures]:
    """The nine figures per agency of one country's operation, zeros included.

    Rows are the operation's lead and other agencies, plus any agency of the country that has
    records without being listed, so the rows always add up to the country's figures.
    One query for the agencies, one grouped query per metric.
    """
    agencies = {
        agency.pk: agency
        for agency in Agency.objects.filter(
            Q(led_operations__joint_operation=joint_operation,
              led_operations__country_id=country_id)
            | Q(operations__joint_operation=joint_operation, operations__country_id=country_id)
        ).distinct()
    }
    values: dict[str, dict[int, int]] = {}
    with rls.all_records():  # the return's totals, past row-level security
        for metric in HEADLINE_METRICS:
            rows = (
                metric.model.objects.filter(
                    operation__joint_operation=joint_operation, country_id=country_id
                )
                .filter(metric.filters)
                .order_by()
                .values("agency")
                .annotate(value=Coalesce(metric.value, 0))
            )
            values[metric.key] = {row["agency"]: row["value"] for row in rows}
    unlisted = {pk for by_agency in values.values() for pk in by_agency} - agencies.keys()
    if unlisted:
        agencies.update({agency.pk: agency for agency in Agency.objects.filter(pk__in=unlisted)})
    return [
        AgencyFigures(
            agency=agency,
            figures=[
                Figure(metric=metric, value=values[metric.key].get(agency.pk, 0))
                for metric in HEADLINE_METRICS
            ],
        )
        for agency in sorted(agencies.values(), key=lambda a: (a.name.casefold(), a.pk))
    ]


# ---------------------------------------------------------------------------------------------
# The officer and focal-point workspace
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordTypeCount:
    kind: RecordKind
    count: int


@dataclass(frozen=True)
class CountryWorkspace:
    operation: Operation
    country_return: CountryReturn  # unsaved (open) when the country has no return row yet
    figures: list[Figure]
    record_counts: list[RecordTypeCount]


def _record_counts(*, user, joint_operation: JointOperation, country_ids) -> dict:
    """(country id, kind slug) -> number of records, for every record type in one query."""
    parts = [
        access.records_visible(
            user,
            kind.model.objects.filter(
                operation__joint_operation=joint_operation, country_id__in=country_ids
            ),
        )
        .order_by()
        .values("country_id")
        .annotate(kind=Value(kind.slug, output_field=CharField()), number=Count("id"))
        .values_list("country_id", "kind", "number")
        for kind in KINDS
    ]
    counts = parts[0].union(*parts[1:], all=True)
    return {(country_id, slug): number for country_id, slug, number in counts}


def country_workspaces(*, user, joint_operation: JointOperation) -> list[CountryWorkspace]:
    """For each country whose records the user reads, its operation in ``joint_operation``:
    the return's state, the nine figures and how many records of each type it holds.

    Countries without an operation in the joint operation (INTERPOL in 2015) have no workspace.
    """
    country_ids = access.scope_for(user).record_country_ids
    if not country_ids:
        return []
    operations = list(
        Operation.objects.filter(joint_operation=joint_operation, country_id__in=country_ids)
        .select_related("country", "lead_agency")
        .order_by("country__name")
    )
    if not operations:
        return []
    returns = {
        r.country_id: r
        for r in CountryReturn.objects.filter(
            joint_operation=joint_operation, country_id__in=country_ids
        )
    }
    counts = _record_counts(user=user, joint_operation=joint_operation, country_ids=country_ids)
    workspaces = []
    for operation in operations:
        country_return = returns.get(operation.country_id) or CountryReturn(
            joint_operation=joint_operation, country=operation.country
        )
        country_return.country = operation.country
        country_return.joint_operation = joint_operation
        workspaces.append(CountryWorkspace(
            operation=operation,
            country_return=country_return,
            figures=country_figures(
                joint_operation=joint_operation, country_id=operation.country_id
            ),
            record_counts=[
                RecordTypeCount(kind=kind, count=counts.get((operation.country_id, kind.slug), 0))
                for kind in KINDS
            ],
        ))
    return workspaces


# ---------------------------------------------------------------------------------------------
# Country returns
# ---------------------------------------------------------------------------------------------


def _returns(user, joint_operation_filter: Q) -> QuerySet:
    return access.returns_visible(
        user,
        CountryReturn.objects.filter(joint_operation_filter).select_related(
            "country", "joint_operation", "submitted_by", "accepted_by"
        ),
    )


def return_list(*, user, joint_operation: JointOperation) -> list[CountryReturn]:
    """The joint operation's country returns the user follows, by country name.

    A country with an operation but no return row yet is listed as an unsaved open return:
    reading never writes; the row is created when someone acts on it.
    """
    returns = list(_returns(user, Q(joint_operation=joint_operation)))
    have = {r.country_id for r in returns}
    operations = access.returns_visible(
        user,
        Operation.objects.filter(joint_operation=joint_operation)
        .exclude(country_id__in=have)
        .select_related("country"),
    )
    returns += [
        CountryReturn(joint_operation=joint_operation, country=operation.country)
        for operation in operations
    ]
    return sorted(returns, key=lambda r: r.country.name.casefold())


def return_for(*, user, joint_operation_slug: str, country_code: str) -> CountryReturn:
    """One country's return, or Http404 — the same answer when it is missing or not yours.

    Like ``return_list``, a country with an operation but no return row gets an unsaved one.
    """
    found = _returns(
        user, Q(joint_operation__slug=joint_operation_slug, country__code=country_code)
    ).first()
    if found is not None:
        return found
    operation = access.returns_visible(
        user,
        Operation.objects.filter(
            joint_operation__slug=joint_operation_slug, country__code=country_code
        ).select_related("joint_operation", "country"),
    ).first()
    if operation is None:
        raise Http404("No such country return.")
    return CountryReturn(joint_operation=operation.joint_operation, country=operation.country)


def return_state_counts(returns: list[CountryReturn]) -> list[tuple[str, str, int]]:
    """(state, label, how many) for each state, in workflow order."""
    return [
        (state, label, sum(1 for r in returns if r.state == state))
        for state, label in CountryReturn.State.choices
    ]


@dataclass(frozen=True)
class TimelineEntry:
    when: object
    state: str
    state_label: str
    action: str
    who: str
    reason: str


TIMELINE_ACTIONS = {
    ("", "open"): _("Opened"),
    ("open", "submitted"): _("Submitted"),
    ("submitted", "accepted"): _("Accepted"),
    ("submitted", "open"): _("Reopened"),
    ("accepted", "open"): _("Reopened"),
}


def _who(context: dict, names: dict[int, str]) -> str:
    if context.get("user") in names:
        return names[context["user"]]
    if context.get("command"):
        return _("system (manage.py %(command)s)") % {"command": context["command"]}
    if context.get("task"):
        return _("system (task %(task)s)") % {"task": context["task"]}
    return "—"


def return_timeline(*, country_return: CountryReturn) -> list[TimelineEntry]:
    """Every recorded change of the return, oldest first, with who made it and why.

    Read from the audit trail (the database triggers), so it also shows changes made outside
    the portal's pages. Two queries: the events with their context, then the usernames.
    """
    if country_return.pk is None:
        return []
    events = list(
        CountryReturnEvent.objects.filter(pgh_obj_id=country_return.pk)
        .select_related("pgh_context")
        .order_by("pgh_created_at", "pgh_id")
    )
    contexts = [event.pgh_context.metadata if event.pgh_context else {} for event in events]
    names = usernames(context.get("user") for context in contexts)
    labels = dict(CountryReturn.State.choices)
    entries, previous = [], ""
    for event, context in zip(events, contexts, strict=True):
        if event.pgh_label == "delete":
            action = _("Deleted")
        elif (previous, event.state) in TIMELINE_ACTIONS:
            action = TIMELINE_ACTIONS[(previous, event.state)]
        elif not previous:
            action = _("Recorded as %(state)s") % {"state": str(labels[event.state]).lower()}
        else:
            action = _("Changed")
        reopened = previous in ("submitted", "accepted") and event.state == "open"
        entries.append(TimelineEntry(
            when=event.pgh_created_at,
            state=event.state,
            state_label=labels.get(event.state, event.state),
            action=action,
            who=_who(context, names),
            reason=event.reopen_reason if reopened else "",
        ))
        previous = event.state
    return entries


# ---------------------------------------------------------------------------------------------
# The dashboard: CountryTotal and the roll-up's state, never the records
# ---------------------------------------------------------------------------------------------


def dashboard_joint_operations() -> list[JointOperation]:
    """Every joint operation, newest first (the dashboard's filter)."""
    return list(JointOperation.objects.order_by("-starts_on", "-pk"))


def current_joint_operation(joint_operations: list[JointOperation]) -> JointOperation | None:
    """The joint operation a page opens on, among ``joint_operations`` (newest first): the most
    recent one that is not still being planned, else the newest (the dashboard, the exports)."""
    return next((j for j in joint_operations if j.status != JointOperation.Status.PLANNING),
                joint_operations[0] if joint_operations else None)


def taking_part_countries() -> list[Country]:
    """Countries with an operation in any joint operation, by name (the export form)."""
    return list(Country.objects.filter(operations__isnull=False).distinct().order_by("name"))


def country_total_rows(*, joint_operation_id: int) -> list[tuple[int, str, str, str, int]]:
    """Every (country id, metric, dimension, member, value) of a joint operation: one query."""
    return list(
        CountryTotal.objects.filter(joint_operation_id=joint_operation_id)
        .order_by()
        .values_list("country_id", "metric", "dimension", "member", "value")
    )


@dataclass(frozen=True)
class RollupState:
    """How fresh a joint operation's totals are."""

    last_updated: dt.datetime | None  # the latest successful run covering it; None: never
    pending_country_ids: frozenset[int]  # records changed, totals not yet redone
    failed_country_ids: frozenset[int]  # the latest run for the country failed
    failed_everything: bool  # the latest run of the whole joint operation (or of all) failed

    @property
    def is_stale(self) -> bool:
        return (self.last_updated is None or bool(self.pending_country_ids)
                or bool(self.failed_country_ids) or self.failed_everything)


def _rollup_state(latest_runs, pending_country_ids) -> RollupState:
    """The state from the latest finished run of each scope, (joint operation id or None,
    country id or None, outcome, finished at), and the countries with a roll-up pending.

    A failed run no longer counts once a later successful run covers its scope (the same
    country again, the whole joint operation, or the nightly rebuild of everything).
    """
    succeeded = [(jo, c, at) for jo, c, outcome, at in latest_runs
                 if outcome == RollupRun.Outcome.SUCCEEDED]

    def repaired(failed_jo, failed_country, failed_at) -> bool:
        return any(
            at > failed_at and (jo is None or (jo == failed_jo and c in (None, failed_country)))
            for jo, c, at in succeeded
        )

    failed = [(jo, c) for jo, c, outcome, at in latest_runs
              if outcome == RollupRun.Outcome.FAILED and not repaired(jo, c, at)]
    return RollupState(
        last_updated=max((at for *_, at in succeeded), default=None),
        pending_country_ids=frozenset(pending_country_ids),
        failed_country_ids=frozenset(c for _, c in failed if c is not None),
        failed_everything=any(c is None for _, c in failed),
    )


@dataclass(frozen=True)
class JointOperationState:
    """What the dashboard, the totals API and the debrief read about a joint operation
    before its totals: who takes part, how fresh the totals are, where each return stands."""

    countries: list[Country]  # with an operation in it, by name
    rollup: RollupState
    return_states: dict[int, str]  # country id -> state; a country without a return is open


_COUNTRY_FIELDS = [f.attname for f in Country._meta.concrete_fields]


def _state_sql() -> str:
    run, pending = RollupRun._meta.db_table, PendingRollup._meta.db_table
    country, operation = Country._meta.db_table, Operation._meta.db_table
    columns = ", ".join(f'c."{name}"' for name in _COUNTRY_FIELDS)
    # One SELECT (no CTE): pghistory leaves statements that start with SELECT alone.
    return f"""
        SELECT countries.rows, runs.jo_ids, runs.country_ids, runs.outcomes, runs.finished,
               pending.ids, returns.states
          FROM (SELECT json_agg(json_build_array({columns}) ORDER BY c.name, o.id) AS rows
                  FROM {operation} o JOIN {country} c ON c.id = o.country_id
                 WHERE o.joint_operation_id = %(jo)s) countries,
               (SELECT array_agg(joint_operation_id) AS jo_ids, array_agg(country_id)
                       AS country_ids, array_agg(outcome) AS outcomes,
                       array_agg(finished_at) AS finished
                  FROM (  -- the latest finished run of each scope covering the joint operation
                        SELECT DISTINCT ON (joint_operation_id, country_id)
                               joint_operation_id, country_id, outcome, finished_at
                          FROM {run}
                         WHERE (joint_operation_id = %(jo)s OR joint_operation_id IS NULL)
                           AND finished_at IS NOT NULL AND outcome <> %(running)s
                         ORDER BY joint_operation_id, country_id, finished_at DESC) latest
               ) runs,
               (SELECT array_agg(country_id) AS ids FROM {pending}
                 WHERE joint_operation_id = %(jo)s) pending,
               (SELECT json_object_agg(country_id, state) AS states
                  FROM {CountryReturn._meta.db_table}
                 WHERE joint_operation_id = %(jo)s) returns
    """


def joint_operation_state(*, joint_operation: JointOperation) -> JointOperationState:
    """The joint operation's countries, roll-up state and return states in one query.

    The dashboard reads this on every request, so it is one round trip with no model
    machinery but the countries' (a few objects), whatever the number of runs and records.
    """
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), {"jo": joint_operation.pk,
                                      "running": RollupRun.Outcome.RUNNING})
        rows, jo_ids, country_ids, outcomes, finished, pending, states = cursor.fetchone()
    db = connection.alias
    return JointOperationState(
        countries=[Country.from_db(db, _COUNTRY_FIELDS, values) for values in rows or ()],
        rollup=_rollup_state(list(zip(jo_ids or (), country_ids or (), outcomes or (),
                                      finished or (), strict=True)), pending or ()),
        return_states={int(pk): state for pk, state in (states or {}).items()},
    )
