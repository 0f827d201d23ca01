"""What a country return's review checks before it is submitted: an extension point.

Operations owns the return and its states but not the figures (reporting adds them up), so the
checks are registered by the apps that know them (``reporting.validation`` registers the
validation rules). ``country_return_submit`` asks every check: an error refuses the submission
until the records are corrected; warnings are accepted only with the focal point's reason,
saved on the return (``CountryReturn.warnings_reason``, audited) for the secretariat to read.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Count, Value
from django.utils.translation import ngettext

from core import rls

from .records import KINDS

ERROR, WARNING, NOTE = "error", "warning", "note"  # a note informs, it asks nothing


@dataclass(frozen=True)
class Finding:
    key: str  # the rule's key, stable
    severity: str  # ERROR, WARNING or NOTE
    message: str  # in plain words, naming the figures and their values
    # Where the focal point resolves it on the return page with a comment (POST "comment"), for
    # a finding that can be marked checked one by one (an outlier flag); "" for the others.
    resolve_url: str = ""


Check = Callable[[object], list[Finding]]  # a CountryReturn -> its findings
_CHECKS: list[Check] = []


def register_submit_check(check: Check) -> Check:
    """Add a check every submission and every return page runs (idempotent)."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def findings(country_return) -> list[Finding]:
    """Every registered check's findings for ``country_return``: errors, warnings, notes."""
    found = [finding for check in _CHECKS for finding in check(country_return)]
    order = {ERROR: 0, WARNING: 1, NOTE: 2}
    return sorted(found, key=lambda f: (order[f.severity], f.key))


def confirmed_unusual_figures(country_return) -> list[Finding]:
    """Operations' own check: the records an officer confirmed as unusually large, with a
    reason (``operations.plausibility``), one note per record type, for the reviewers."""
    parts = [
        kind.model.objects.filter(
            operation__joint_operation_id=country_return.joint_operation_id,
            country_id=country_return.country_id).exclude(unusual_reason="").order_by()
        .values(_kind=Value(kind.slug, output_field=CharField())).annotate(_n=Count("id")).values_list("_kind", "_n")
        for kind in KINDS
    ]
    with rls.all_records():
        counts = dict(parts[0].union(*parts[1:], all=True))
    return [
        Finding(f"unusual_confirmed_{kind.slug}", NOTE, ngettext(
            "%(kind)s: %(count)s record was confirmed as unusually large, with the "
            "officer's reason (on the record).",
            "%(kind)s: %(count)s records were confirmed as unusually large, with the "
            "officers' reasons (on each record).", counts[kind.slug])
            % {"kind": kind.title, "count": counts[kind.slug]})
        for kind in KINDS if counts.get(kind.slug)
    ]


register_submit_check(confirmed_unusual_figures)
