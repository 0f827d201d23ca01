"""Validation rules across a country's figures, declared as data (after DHIS2's validation
rules), evaluated for a country return before it is submitted (``operations.review``).

A rule compares two sides, each a metric of the registry (``reporting.metrics``) or the sum of
its members over one dimension (members not recorded left out). A rule within one record (an
enquiry answered before it was sent) is the model's and the database's, not repeated here. An error refuses the submission until the records are
corrected; a warning is accepted with the focal point's reason. The figures are added up from
the country's records at that moment (one aggregate per side), not read from the roll-up,
which may still be catching up with the last edit.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core import rls
from operations.review import ERROR, WARNING, Finding

from .metrics import DIMENSIONS, METRICS_BY_KEY

OPERATORS = {">=": operator.ge, "==": operator.eq, "<=": operator.le}


@dataclass(frozen=True)
class Side:
    metric: str  # a key of the metric registry
    dimension: str = ""  # "": the metric's total; else the sum of its recorded members

    @property
    def name(self) -> str:
        return f"{self.metric}__{self.dimension}"

    @property
    def model(self):
        return METRICS_BY_KEY[self.metric].model

    def aggregate(self):
        """The side as one aggregate over the metric's model (members not recorded left out)."""
        metric = METRICS_BY_KEY[self.metric]
        value = metric.value.copy()
        condition = metric.filters
        if self.dimension:
            column = DIMENSIONS[self.dimension].expression.name  # a dimension of a column
            condition &= ~Q(**{f"{column}__isnull": True}) & ~Q(**{column: ""})
        if condition:
            value.filter = condition
        return Coalesce(value, 0)


@dataclass(frozen=True)
class FigureRule:
    key: str
    left: Side
    op: str  # ">=", "==" or "<="
    right: Side
    severity: str
    message: str  # %(left)s and %(right)s are the two values

    def check(self, values: dict[str, int]) -> Finding | None:
        left, right = values[self.left.name], values[self.right.name]
        if OPERATORS[self.op](left, right):
            return None
        return Finding(self.key, self.severity,
                       str(self.message) % {"left": f"{left:,}", "right": f"{right:,}"})


RULES: tuple[FigureRule, ...] = (
    FigureRule("officers_cover_sessions", Side("officers_trained"), ">=",
               Side("training_sessions"), ERROR,
               _("Officers trained (%(left)s) cannot be fewer than training sessions "
                 "(%(right)s): every session trains at least one officer.")),
    FigureRule("victims_by_sex", Side("victims_assisted", "sex"), "==",
               Side("victims_assisted"), ERROR,
               _("Trafficked persons assisted by sex (%(left)s) must add up to the total "
                 "(%(right)s).")),
    FigureRule("victims_by_age", Side("victims_assisted", "age_band"), "==",
               Side("victims_assisted"), ERROR,
               _("Trafficked persons assisted by age band (%(left)s) must add up to the total "
                 "(%(right)s).")),
    FigureRule("suspects_cover_arrests", Side("suspects_identified"), ">=", Side("arrests"),
               WARNING,
               _("Suspects identified (%(left)s) are fewer than arrests (%(right)s): usually "
                 "each person arrested was first identified as a suspect.")),
)


def evaluate(country_return) -> list[Finding]:
    """The rules' findings for the country's records in the return's joint operation."""
    scope = Q(operation__joint_operation_id=country_return.joint_operation_id,
              country_id=country_return.country_id)
    sides: dict[type, dict[str, object]] = {}
    for rule in RULES:
        for side in (rule.left, rule.right):
            sides.setdefault(side.model, {})[side.name] = side.aggregate()
    values: dict[str, int] = {}
    with rls.all_records():  # the country's own records, whoever reads the review
        for model, aggregates in sides.items():  # one query per record type
            values.update(model.objects.filter(scope).aggregate(**aggregates))
    found = [rule.check(values) for rule in RULES]
    return [finding for finding in found if finding is not None]

