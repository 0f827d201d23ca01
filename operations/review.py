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

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    key: str  # the rule's key, stable
    severity: str  # ERROR or WARNING
    message: str  # in plain words, naming the figures and their values


Check = Callable[[object], list[Finding]]  # a CountryReturn -> its findings
_CHECKS: list[Check] = []


def register_submit_check(check: Check) -> Check:
    """Add a check every submission and every return page runs (idempotent)."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def findings(country_return) -> list[Finding]:
    """Every registered check's findings for ``country_return``: errors first."""
    found = [finding for check in _CHECKS for finding in check(country_return)]
    return sorted(found, key=lambda f: (f.severity != ERROR, f.key))
