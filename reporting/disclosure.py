"""Disclosure control of the public profile: the one suppression pattern of a joint operation's
public release, and the audit that tries to undo it.

The rules (README, "Debrief exports and the statement text"), for each figure on its own:

- a figure from 0 to threshold − 1 is hidden: "<5" in the tables, "fewer than five" in the
  statement (primary suppression). Zero is hidden with the small figures in every product:
  printed as 0 it would make every "<5" at least 1, and a reader could then pin a figure down
  from its neighbours (four countries of "<5" under a regional "<5" must each be exactly 1);
- further figures are withheld, "*", until no hidden figure can be worked out from everything
  the release publishes (secondary suppression): the smallest country figure that makes the
  pattern safe on its own, else the regional total, else the smallest country figure and on;
- accepted-returns-only totals are not published in the public profile: a second margin over
  a subset of countries would need more figures withheld, and with the return states printed
  it gave hidden figures away by subtraction; the restricted profile keeps them;
- a single country's public export prints that country's cell of the same pattern, so no two
  public products of one release disagree.

The audit assumes a reader who has every public product of the release and knows these rules:
a "<5" lies in 0..4 and a "*" is at least 5 (it would have been printed as "<5" otherwise).
From every published figure — a country's cell, a regional total, the statement's "over 70" —
it propagates interval bounds through the sums they publish until nothing tightens, and
reports for each hidden figure the tightest interval the reader gets. The public profile
publishes one sum per figure (the regional total over the countries' cells), and for one sum
over a box these bounds are exactly what can be known; for margins that overlap (should a
product add one) they are outer bounds. A release is safe when every hidden figure keeps at
least two possible values.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .statement import HIDDEN_PREFIX, WITHHELD

INFINITY = math.inf


class UnsafeRelease(Exception):
    """A public release whose hidden figures could be worked out from what it publishes."""


def below(threshold: int) -> str:
    return f"{HIDDEN_PREFIX}{threshold}"


# ---------------------------------------------------------------------------------------------
# The pattern
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One figure of the public release: what is printed for each country and the region."""

    cells: dict[int, int | str]  # country id -> the value, "<k" or "*"
    total: int | str


@dataclass(frozen=True)
class Pattern:
    """The public release of a joint operation: a Column per metric key."""

    threshold: int
    columns: dict[str, Column]

    def cell(self, metric_key: str, country_id: int) -> int | str:
        return self.columns[metric_key].cells[country_id]

    def total(self, metric_key: str) -> int | str:
        return self.columns[metric_key].total


def pattern(values: Mapping[str, Mapping[int, int]], *, threshold: int) -> Pattern:
    """The release of ``values`` (metric key -> country id -> value)."""
    return Pattern(threshold=threshold, columns={
        key: column(by_country, threshold=threshold) for key, by_country in values.items()})


def column(values: Mapping[int, int], *, threshold: int) -> Column:
    """One figure's cells and total: primary suppression below ``threshold``, then the
    secondary suppression the audit asks for. From a threshold of 3 up a safe pattern always
    exists (at worst every figure hidden); below it the audit may refuse the release."""
    total = sum(values.values())
    withheld: set[int] = set()
    total_withheld = False

    def printed() -> Column:
        cells = {pk: (WITHHELD if pk in withheld else _primary(v, threshold))
                 for pk, v in values.items()}
        shown = WITHHELD if total_withheld else _primary(total, threshold)
        return Column(cells=cells, total=shown)

    while True:
        current = printed()
        if _column_safe(current, threshold):
            return current
        published = sorted((v, pk) for pk, v in values.items()
                           if isinstance(current.cells[pk], int))
        for _v, pk in published:  # one more cell alone, smallest first
            withheld.add(pk)
            if _column_safe(printed(), threshold):
                return printed()
            withheld.discard(pk)
        if isinstance(current.total, int):
            total_withheld = True
            if _column_safe(printed(), threshold):
                return printed()
            total_withheld = False
        if not published:  # every figure hidden: the audit of the release has the last word
            total_withheld = isinstance(current.total, int)
            return printed()
        withheld.add(published[0][1])


def _primary(value: int, threshold: int) -> int | str:
    return below(threshold) if value < threshold else value


def _column_safe(col: Column, threshold: int) -> bool:
    everyone = frozenset(col.cells)
    facts = [Published("pattern", "", frozenset({pk}), *interval(v, threshold))
             for pk, v in col.cells.items()]
    facts.append(Published("pattern", "", everyone, *interval(col.total, threshold)))
    return not any(f.derivable for f in audit(facts))


# ---------------------------------------------------------------------------------------------
# The audit
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """One published figure: the sum of some countries' values of one metric lies in
    ``low``..``high`` (equal when the figure is printed exactly; ``high`` may be INFINITY)."""

    product: str
    metric: str
    country_ids: frozenset[int]
    low: float
    high: float

    @property
    def exact(self) -> bool:
        return self.low == self.high


def interval(printed: int | str, threshold: int) -> tuple[float, float]:
    """What a reader who knows the rules learns from a printed figure."""
    if isinstance(printed, int):
        return printed, printed
    if printed == WITHHELD:
        return threshold, INFINITY
    if printed.startswith(HIDDEN_PREFIX):
        return 0, int(printed[len(HIDDEN_PREFIX):]) - 1
    raise ValueError(f"not a printed figure: {printed!r}")


@dataclass(frozen=True)
class Finding:
    """A hidden figure and the tightest interval a reader of the whole release gets for it."""

    metric: str
    country_ids: frozenset[int]
    products: tuple[str, ...]
    low: float
    high: float

    @property
    def derivable(self) -> bool:
        return self.high - self.low < 1

    @property
    def values(self) -> float:
        """How many values it may still take (INFINITY when unbounded)."""
        return self.high - self.low + 1


def audit(published: Iterable[Published]) -> list[Finding]:
    """Every hidden figure of ``published`` with the interval a reader of all of it gets."""
    by_metric: dict[str, list[Published]] = {}
    for fact in published:
        by_metric.setdefault(fact.metric, []).append(fact)
    findings = []
    for metric, facts in by_metric.items():
        bounds = _propagate(facts)
        hidden: dict[frozenset[int], list[Published]] = {}
        for fact in facts:
            if not fact.exact:
                hidden.setdefault(fact.country_ids, []).append(fact)
        for ids, same in hidden.items():
            low, high = _sum_bounds(bounds, ids)
            low = max([low, *(f.low for f in same)])
            high = min([high, *(f.high for f in same)])
            findings.append(Finding(metric=metric, country_ids=ids, low=low, high=high,
                                    products=tuple(dict.fromkeys(f.product for f in same))))
    return findings


def _sum_bounds(bounds: Mapping[int, list[float]], ids: Iterable[int]) -> tuple[float, float]:
    return (sum(bounds[i][0] for i in ids), sum(bounds[i][1] for i in ids))


def _propagate(facts: list[Published]) -> dict[int, list[float]]:
    """Each country's value of one metric: bounds tightened by every published sum, to a fixed
    point (values are whole numbers, at least 0)."""
    bounds = {pk: [0.0, INFINITY] for fact in facts for pk in fact.country_ids}
    for _round in range(10 * len(bounds) + 10):
        changed = False
        for fact in facts:
            ids = list(fact.country_ids)
            low_sum = sum(bounds[i][0] for i in ids)
            finite_highs = [bounds[i][1] for i in ids if bounds[i][1] != INFINITY]
            unbounded = len(ids) - len(finite_highs)
            high_sum = sum(finite_highs)
            for i in ids:
                low, high = bounds[i]
                others_low = low_sum - low
                if high == INFINITY:
                    others_high = INFINITY if unbounded > 1 else high_sum
                else:
                    others_high = INFINITY if unbounded else high_sum - high
                new_low = max(low, fact.low - others_high)
                new_high = min(high, fact.high - others_low)
                new_low, new_high = math.ceil(new_low), (
                    new_high if new_high == INFINITY else math.floor(new_high))
                if new_low > new_high:  # the published figures contradict each other
                    raise UnsafeRelease(f"the published figures of {fact.metric} contradict "
                                        f"each other ({fact.product})")
                if (new_low, new_high) != (low, high):
                    bounds[i] = [new_low, new_high]
                    low_sum += new_low - low
                    if high != INFINITY:
                        high_sum -= high
                    else:
                        unbounded -= 1
                    if new_high != INFINITY:
                        high_sum += new_high
                    else:
                        unbounded += 1
                    changed = True
        if not changed:
            break
    return bounds
