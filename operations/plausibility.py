"""Plausibility limits of the figures on outcome records, declared once for every entry path.

Each count-like field has a hard limit (a larger figure is refused: it is a typo or several
operations in one record) and a soft bound (a larger figure is saved only with a reason, in
``unusual_reason``). The soft bound adapts to the country's own history: with at least
``PLAUSIBILITY_HISTORY_MINIMUM`` earlier records of that type, it is their median plus
``PLAUSIBILITY_MAD_FACTOR`` scaled median absolute deviations, never below the configured one.
``settings.PLAUSIBILITY_LIMITS`` overrides the defaults per ``"<record slug>.<field>"``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The MAD of a normal distribution times this is its standard deviation.
MAD_SCALE = 1.4826
REASON_FIELD = "unusual_reason"
CODES = ("too_small", "too_large", "unusual")


@dataclass(frozen=True)
class Limit:
    """What one figure may be: ``minimum`` to ``hard``; above ``soft`` only with a reason."""

    label: str  # names the field in messages: "Number of arrests"
    noun: str  # what is counted, plural: "450 arrests"
    hard: int
    soft: int
    minimum: int = 1
    hint: str = gettext_lazy("Enter each operation as its own record.")


_SESSION = gettext_lazy("Enter each training session as its own record.")

# The defaults (README "Plausibility limits"): hard limits far above any real single operation,
# soft bounds above every figure the 2015 debrief reported for one record.
DEFAULTS: dict[str, Limit] = {
    "arrests.count": Limit(gettext_lazy("Number of arrests"), gettext_lazy("arrests"),
                           hard=10_000, soft=50),
    "search-warrants.count": Limit(gettext_lazy("Number of search warrants"),
                                   gettext_lazy("search warrants"), hard=1_000, soft=20),
    "suspects.count": Limit(gettext_lazy("Number of suspects"), gettext_lazy("suspects"),
                            hard=10_000, soft=50),
    "victims-assisted.count": Limit(gettext_lazy("Number of persons assisted"),
                                    gettext_lazy("persons assisted"), hard=10_000, soft=100),
    "investigations.count": Limit(gettext_lazy("Number of new investigations"),
                                  gettext_lazy("investigations"), hard=1_000, soft=20),
    "enquiries.count": Limit(gettext_lazy("Number of enquiries"), gettext_lazy("enquiries"),
                             hard=1_000, soft=50),
    "awareness-activities.count": Limit(gettext_lazy("Number of activities"),
                                        gettext_lazy("activities"), hard=1_000, soft=50),
    "awareness-activities.people_reached": Limit(
        gettext_lazy("People reached"), gettext_lazy("people reached"), hard=10_000_000,
        soft=100_000, minimum=0,
        hint=gettext_lazy("Enter each activity or campaign as its own record.")),
    "training-sessions.police_trained": Limit(
        gettext_lazy("Police officers trained"), gettext_lazy("police officers trained"),
        hard=5_000, soft=200, minimum=0, hint=_SESSION),
    "training-sessions.airport_trained": Limit(
        gettext_lazy("Airport officers trained"), gettext_lazy("airport officers trained"),
        hard=5_000, soft=200, minimum=0, hint=_SESSION),
    "training-sessions.immigration_trained": Limit(
        gettext_lazy("Immigration officers trained"),
        gettext_lazy("immigration officers trained"), hard=5_000, soft=200, minimum=0,
        hint=_SESSION),
    "training-sessions.compliance_trained": Limit(
        gettext_lazy("Compliance officers trained"), gettext_lazy("compliance officers trained"),
        hard=5_000, soft=200, minimum=0, hint=_SESSION),
}


def limits(slug: str) -> dict[str, Limit]:
    """The limits of one record type by field, the settings' overrides applied."""
    overrides = getattr(settings, "PLAUSIBILITY_LIMITS", {}) or {}
    found = {}
    for key, limit in DEFAULTS.items():
        kind_slug, field = key.split(".", 1)
        if kind_slug == slug:
            override = {k: int(v) for k, v in overrides.get(key, {}).items() if k in ("hard", "soft")}
            found[field] = replace(limit, **override)
    return found


def limits_of_model(model) -> dict[str, Limit]:
    from .records import KINDS_BY_MODEL  # records imports the models, which call this module

    kind = KINDS_BY_MODEL.get(model)
    return limits(kind.slug) if kind is not None else {}


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _as_int(value):
    if isinstance(value, bool):
        return None
    try:
        return int(value) if value not in (None, "") and int(value) == float(value) else None
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# Hard limits: refused, whoever enters the figure
# ---------------------------------------------------------------------------------------------


def hard_error(limit: Limit, value) -> ValidationError | None:
    """The one refusal of ``value`` (a whole number, or text of one), or None if it is in range."""
    value = _as_int(value)
    if value is None:
        return None
    if value < limit.minimum:
        if limit.minimum == 1:
            message = _("%(label)s: enter at least 1; a record counts something that happened.")
        else:
            message = _("%(label)s: enter 0 or more.")
        return ValidationError(message % {"label": limit.label}, code="too_small")
    if value > limit.hard:
        return ValidationError(
            _("%(label)s: at most %(limit)s in one record. %(hint)s")
            % {"label": limit.label, "limit": _number(limit.hard), "hint": limit.hint},
            code="too_large")
    return None


def hard_errors(record) -> dict[str, list[ValidationError]]:
    """Every figure of ``record`` outside its hard range, by field."""
    errors = {}
    for name, limit in limits_of_model(type(record)).items():
        error = hard_error(limit, getattr(record, name, None))
        if error is not None:
            errors[name] = [error]
    return errors


# ---------------------------------------------------------------------------------------------
# Soft bounds: saved only with a reason
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    records: int
    median: float | None
    mad: float | None  # unscaled median absolute deviation


def history(model, field: str, *, country_id: int, until, exclude_pk=None) -> History:
    """The country's figures of ``field`` on records of ``model`` dated ``until`` or before
    (across joint operations; zeros and empties left out: they say nothing about size)."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v AS (SELECT {column} AS x FROM {table}"  # noqa: S608 (names from the model)
            "  WHERE country_id = %s AND occurred_on <= %s AND id IS DISTINCT FROM %s"
            f"  AND {column} > 0),"
            " m AS (SELECT count(*) AS n,"
            "  percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median FROM v)"
            " SELECT m.n, m.median, (SELECT percentile_cont(0.5) WITHIN GROUP"
            "  (ORDER BY abs(v.x - m.median)) FROM v) FROM m",
            [country_id, until, exclude_pk],
        )
        records, median, mad = cursor.fetchone()
    return History(records, median, mad)


def soft_bound(limit: Limit, found: History) -> tuple[int, bool]:
    """The largest figure saved without a reason, and whether the history set it."""
    if found.records < settings.PLAUSIBILITY_HISTORY_MINIMUM or found.median is None:
        return limit.soft, False
    adapted = math.floor(found.median + settings.PLAUSIBILITY_MAD_FACTOR * MAD_SCALE * found.mad)
    return (adapted, True) if adapted > limit.soft else (limit.soft, False)


def record_soft_bound(record, field: str, limit: Limit) -> tuple[int, bool]:
    if not record.country_id or not record.occurred_on:
        return limit.soft, False
    found = history(type(record), field, country_id=record.country_id,
                    until=record.occurred_on, exclude_pk=record.pk)
    return soft_bound(limit, found)


def soft_errors(record) -> dict[str, list[ValidationError]]:
    """Every figure of ``record`` above its soft bound while no reason is given, by field."""
    if (getattr(record, REASON_FIELD, "") or "").strip():
        return {}
    errors = {}
    for name, limit in limits_of_model(type(record)).items():
        value = _as_int(getattr(record, name, None))
        # At or below the configured bound no history can raise a doubt: no query.
        if value is None or value <= limit.soft or value > limit.hard:
            continue
        bound, adapted = record_soft_bound(record, name, limit)
        if value <= bound:
            continue
        values = {"value": _number(value), "noun": limit.noun, "minimum": _number(max(limit.minimum, 1)),
                  "bound": _number(bound)}
        if adapted:
            values["country"] = record.country.name
            typical = _("typical records of %(country)s hold %(minimum)s–%(bound)s") % values
        else:
            typical = _("typical records hold %(minimum)s–%(bound)s") % values
        errors[name] = [ValidationError(
            _("Unusually large for one record: %(value)s %(noun)s; %(typical)s. Check the "
              "figure, or confirm it with a reason.") % {**values, "typical": typical},
            code="unusual")]
    return errors


def needs_reason(error: ValidationError) -> bool:
    """Whether ``error`` holds a soft refusal (a reason would let the record be saved)."""
    return any(getattr(e, "code", None) == "unusual" for e in _leaves(error))


def _leaves(error: ValidationError):
    if hasattr(error, "error_dict"):
        for field_errors in error.error_dict.values():
            for field_error in field_errors:
                yield from _leaves(field_error)
    elif hasattr(error, "error_list") and error.error_list != [error]:
        for item in error.error_list:
            yield from _leaves(item)
    else:
        yield error
