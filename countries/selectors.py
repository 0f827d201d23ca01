"""Reads for the countries app: the audit history a user may see, shaped for the audit page."""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from pghistory.core import event_models
from pghistory.models import Events

from . import access

AUDIT_PAGE_SIZE = 50

# The row's country, by the column name the event's data carries (pgh_data holds raw columns).
COUNTRY_COLUMNS = ("country_id", "owner_country_id")

EVENT_LABELS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}


def _country_scoped_event_models() -> list[type[Model]]:
    """Event models of tracked models that belong to a country (those focal points audit)."""
    return [
        event_model
        for event_model in event_models()
        if any(
            getattr(field, "column", None) in COUNTRY_COLUMNS
            for field in event_model.pgh_tracked_model._meta.concrete_fields
        )
    ]


def audit_events(*, user) -> QuerySet | None:
    """Audit events (every tracked model's inserts, updates, deletes) the user may see.

    Focal points see events of rows that belong to their countries; administrators see all.
    Returns None when the user may not see the audit history at all.
    """
    country_ids = access.audit_country_ids(user)
    events = Events.objects.order_by("-pgh_created_at", "-pgh_id")
    if country_ids is None:
        return events
    if not country_ids:
        return None
    ids = sorted(country_ids)
    belongs = Q()
    for column in COUNTRY_COLUMNS:
        belongs |= Q(**{f"pgh_data__{column}__in": ids})
    return events.across(*_country_scoped_event_models()).filter(belongs)


def usernames(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if isinstance(i, int)}
    if not ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))


# ---------------------------------------------------------------------------------------------
# The audit page
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    when: object
    action: str
    object_label: str
    user: str
    where: str
    ip: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)


@dataclass(frozen=True)
class AuditPage:
    number: int
    rows: list[AuditRow]
    has_previous: bool
    has_next: bool


def _readable(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_readable(getattr(field, "base_field", None), v) for v in value) or "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        return f"#{value}"
    return str(value)


def _changes(model: type[Model] | None, diff: dict | None) -> list[tuple[str, str, str]]:
    """An update's diff as (field's verbose name, before, after), without bookkeeping columns."""
    if not diff:
        return []
    fields = {f.column: f for f in model._meta.concrete_fields} if model is not None else {}
    changes = []
    for column, (before, after) in sorted(diff.items()):
        field = fields.get(column)
        if field is not None and getattr(field, "auto_now", False):
            continue  # "updated at" moves with every save; the row's time already says when
        label = str(field.verbose_name) if field is not None else column
        changes.append((label, _readable(field, before), _readable(field, after)))
    return changes


def _model_or_none(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def audit_page(*, user, number) -> AuditPage | None:
    """One page of the user's audit history: one query for the events, one for the usernames.

    No total count: counting would scan every event table a second time.
    """
    events = audit_events(user=user)
    if events is None:
        return None
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * AUDIT_PAGE_SIZE
    fetched = list(events[start:start + AUDIT_PAGE_SIZE + 1])
    page_events = fetched[:AUDIT_PAGE_SIZE]
    contexts = [event.pgh_context or {} for event in page_events]
    names = usernames(context.get("user") for context in contexts)
    rows = []
    for event, context in zip(page_events, contexts, strict=True):
        model = _model_or_none(event.pgh_obj_model)
        name = str(model._meta.verbose_name).capitalize() if model is not None else event.pgh_obj_model
        rows.append(AuditRow(
            when=event.pgh_created_at,
            action=str(EVENT_LABELS.get(event.pgh_label, event.pgh_label)),
            object_label=f"{name} #{event.pgh_obj_id}",
            user=names.get(context.get("user"), "—"),
            where=(context.get("url") or context.get("task")
                   or (f"manage.py {context['command']}" if context.get("command") else "—")),
            ip=context.get("ip") or "",
            changes=_changes(model, event.pgh_diff) if event.pgh_label == "update" else [],
        ))
    return AuditPage(
        number=number, rows=rows, has_previous=number > 1,
        has_next=len(fetched) > AUDIT_PAGE_SIZE,
    )
