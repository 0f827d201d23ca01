"""The metric registry: one declaration per headline figure, read by every page that adds up."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from operations import models as om


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    model: type[om.OutcomeRecord]
    value: Combinable  # aggregate over the model's rows
    filters: Q = field(default_factory=Q)
    headline: bool = True  # one of the statement's paragraph-8 figures

    def aggregate(self, queryset) -> int:
        """The metric's value over ``queryset`` (rows of ``self.model``), 0 when empty."""
        return queryset.filter(self.filters).aggregate(value=Coalesce(self.value, 0))["value"]


METRICS: tuple[Metric, ...] = (
    Metric("victims_assisted", _("Trafficked persons assisted"), om.VictimAssistanceRecord, Sum("count")),
    Metric("search_warrants", _("Search warrants executed"), om.SearchWarrantRecord, Sum("count")),
    Metric("suspects_identified", _("Suspects identified"), om.SuspectRecord, Sum("count")),
    Metric("arrests", _("Arrests"), om.ArrestRecord, Sum("count")),
    Metric("investigations", _("New investigations launched"), om.InvestigationRecord, Sum("count")),
    Metric("enquiries", _("Bilateral and international enquiries"), om.EnquiryRecord, Sum("count")),
    Metric(
        "awareness_activities",
        _("Awareness-raising activities"),
        om.AwarenessActivityRecord,
        Sum("count"),
    ),
    Metric("training_sessions", _("Training sessions"), om.TrainingSessionRecord, Count("id")),
    Metric(
        "officers_trained",
        _("Officers trained"),
        om.TrainingSessionRecord,
        Sum(F("police_trained") + F("airport_trained") + F("immigration_trained") + F("compliance_trained")),
    ),
    Metric(
        "intelligence_reports",
        _("Intelligence reports"),
        om.IntelligenceReport,
        Count("id"),
        headline=False,
    ),
)

HEADLINE_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.headline)
METRICS_BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
