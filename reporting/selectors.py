"""Reads shaped for the reporting pages: the workspace, the country returns, the dashboard's
choices. Figures come from the read model of the roll-up (``reporting/totals.py``)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from countries import access
from countries.models import Agency, Country
from countries.selectors import usernames
from operations import policies as operations_policies
from operations.models import CountryReturn, CountryReturnEvent, JointOperation, Operation
from operations.records import KINDS, RecordKind

from . import totals
from .metrics import AGENCY, Metric
from .totals import Figure, JointOperationTotals, RollupState


def return_agencies(*, joint_operation: JointOperation, country_id: int,
                    agency_ids_with_figures) -> list[Agency]:
    """The agencies of a return's breakdown, by name: the operation's lead and other agencies,
    plus any agency of the country with figures without being listed (so the columns always
    add up to the country's figures). One query."""
    return sorted(
        Agency.objects.filter(
            Q(led_operations__joint_operation=joint_operation,
              led_operations__country_id=country_id)
            | Q(operations__joint_operation=joint_operation, operations__country_id=country_id)
            | Q(country_id=country_id, pk__in=list(agency_ids_with_figures))
        ).distinct(),
        key=lambda a: (a.name.casefold(), a.pk),
    )


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
    figures_pending: bool = False  # the country's latest changes are still being added up

    @property
    def pending_names(self) -> list[str]:
        return [self.operation.country.name] if self.figures_pending else []


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


def country_workspaces(*, user, joint_operation: JointOperation,
                       totals: JointOperationTotals) -> list[CountryWorkspace]:
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
            figures=totals.figures(country_id=operation.country_id),
            record_counts=[
                RecordTypeCount(kind=kind, count=counts.get((operation.country_id, kind.slug), 0))
                for kind in KINDS
            ],
            figures_pending=totals.is_pending(operation.country_id),
        ))
    return workspaces


# ---------------------------------------------------------------------------------------------
# Country returns
# ---------------------------------------------------------------------------------------------


def _returns(user, joint_operation_filter: Q) -> QuerySet:
    return operations_policies.returns_visible(
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
    operations = operations_policies.returns_visible(
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
    operation = operations_policies.returns_visible(
        user,
        Operation.objects.filter(
            joint_operation__slug=joint_operation_slug, country__code=country_code
        ).select_related("joint_operation", "country"),
    ).first()
    if operation is None:
        raise Http404("No such country return.")
    return CountryReturn(joint_operation=operation.joint_operation, country=operation.country)


@dataclass(frozen=True)
class ReturnFigures:
    """A return page's figures: the country's totals and each agency's share of them."""

    figures: list[Figure]  # in HEADLINE_METRICS order
    agencies: list[Agency]  # the breakdown's columns, by name
    breakdown: list[tuple[Metric, list[int], int]]  # metric, a value per agency, the total
    rollup: RollupState
    pending: bool  # the country's latest changes are still being added up


def return_figures(*, user, country_return: CountryReturn) -> ReturnFigures:
    """The figures of a return the user follows (``return_for``), from the roll-up: the
    agencies are the one query besides the read model's."""
    joint_operation, country_id = country_return.joint_operation, country_return.country_id
    read = totals.joint_operation_totals(joint_operation, user=user, cached=True)
    figures = read.figures(country_id=country_id)
    by_agency = {f.metric.key: read.breakdown(f.metric, AGENCY, country_id=country_id)
                 for f in figures}
    agencies = return_agencies(
        joint_operation=joint_operation, country_id=country_id,
        agency_ids_with_figures={int(member) for values in by_agency.values()
                                 for member in values if member})
    # The breakdown table reads best with metrics down the side and agencies across.
    breakdown = [(f.metric, [by_agency[f.metric.key].get(str(a.pk), 0) for a in agencies],
                  f.value) for f in figures]
    return ReturnFigures(figures=figures, agencies=agencies, breakdown=breakdown,
                         rollup=read.rollup, pending=read.is_pending(country_id))


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
