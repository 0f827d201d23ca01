"""The record page's extension point: another app adds a panel below a record (cooperation: the
joint investigation, the network, the enquiry's answer) without operations importing it.

An app registers, in its ``AppConfig.ready``, a template and a function of (user, record) that
returns the template's context, or ``None`` to leave the panel out. The record page renders the
panels in the order they were registered, its own context beside theirs.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import OutcomeRecord


@dataclass(frozen=True)
class RecordPanel:
    template: str
    context: Callable[..., dict | None]


_panels: list[RecordPanel] = []


def register_record_panel(template: str, context: Callable[..., dict | None]) -> None:
    if any(panel.template == template for panel in _panels):
        return  # ready() may run twice (tests, autoreload): one panel each
    _panels.append(RecordPanel(template, context))


def record_panels(user, record: OutcomeRecord) -> tuple[list[str], dict]:
    """The templates of the panels shown for ``record`` to ``user``, and their joint context."""
    templates, context = [], {}
    for panel in _panels:
        extra = panel.context(user, record)
        if extra is not None:
            templates.append(panel.template)
            context.update(extra)
    return templates, context
