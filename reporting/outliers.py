"""Outlier flags: a country's figure far outside its own history, or far from the region's
pattern per head of population, is flagged for its focal point to check. Never changed.

The method is the modified z-score of Iglewicz and Hoaglin (1993), robust where a mean and a
standard deviation are not (one wild value moves them, not the median):

    M = 0.6745 * (x - median) / MAD

with MAD the median absolute deviation of the values compared with; |M| > OUTLIER_SCORE (3.5,
their recommendation) flags. When MAD is 0 (half the values the same), the mean absolute
deviation stands in, M = (x - median) / (1.253314 * mean absolute deviation); when that is 0
too, the values compared are all equal and give no scale, and nothing is flagged. A figure is
compared with the others, never with itself (one typo must not widen its own yardstick).

Two bases, each a headline figure (``reporting.metrics.HEADLINE_METRICS``) of one country in
one joint operation, read from the roll-up's ``CountryTotal``:
- own history: the country's same figure in its earlier joint operations (those it reported
  anything in), once there are OUTLIER_HISTORY_MINIMUM of them;
- region: the figure per million people, on a log scale (countries' populations differ a
  thousandfold, so rates spread over orders of magnitude), against the other countries of the
  joint operation that have a population (``Country.population``) and a figure above 0 (a log
  scale has no 0: a silent country is the completeness report's), once there are
  OUTLIER_REGION_MINIMUM of them; and only a figure of OUTLIER_REGION_MINIMUM_COUNT or more, or
  one that the region's median rate would make that large (small counts are chance's).

The flags are refreshed (``refresh``) by a roll-up of a whole joint operation in its
transaction, and after each country's roll-up as a step of its own (``tasks.rollup_country``,
``rollups.refresh_outlier_flags``): a flag stays while its figure
is an outlier, goes when it no longer is, and opens again if its figure changes after it was
checked. The review of a country return (``operations.review``) lists the open flags as
warnings and the checked ones as notes.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from countries.models import Country
from operations.models import JointOperation
from operations.review import NOTE, WARNING, Finding

from .metrics import HEADLINE_METRICS, METRICS_BY_KEY
from .models import CountryTotal, OutlierFlag

CONSISTENCY = 0.6745  # the MAD of a normal distribution is 0.6745 standard deviations
MEAN_AD_CONSISTENCY = 1.253314  # sqrt(pi / 2): the mean absolute deviation's


@dataclass(frozen=True)
class Score:
    value: int  # the figure
    median: float
    deviation: float  # the MAD (or the scaled mean absolute deviation standing in)
    compared: int  # how many values
    score: float


def modified_z_score(x: float, others: list[float]) -> tuple[float, float, float] | None:
    """(median, deviation, M) of ``x`` against ``others``; None when they give no scale."""
    median = statistics.median(others)
    deviations = [abs(v - median) for v in others]
    mad = statistics.median(deviations)
    if mad > 0:
        return median, mad, CONSISTENCY * (x - median) / mad
    mean_ad = statistics.fmean(deviations)
    if mean_ad > 0:
        return median, mean_ad, (x - median) / (MEAN_AD_CONSISTENCY * mean_ad)
    return None


def _flagged(x: float, value: int, others: list[float]) -> Score | None:
    scored = modified_z_score(x, others)
    if scored is None or abs(scored[2]) <= settings.OUTLIER_SCORE:
        return None
    median, deviation, score = scored
    return Score(value, median, deviation, len(others), score)


def per_million(value: int, population: int) -> float:
    return value * 1_000_000 / population


def scores(joint_operation_ids: list[int]) -> dict[tuple[int, int, str, str], Score]:
    """The outliers of these joint operations: (joint operation, country, metric, basis) ->
    its score. One query for the totals, one for the operations, one for the populations."""
    metrics = [metric.key for metric in HEADLINE_METRICS]
    operations = dict(JointOperation.objects.values_list("id", "starts_on"))
    # The figures of every operation (history reaches back): a few per country and operation.
    totals: dict[tuple[int, int], dict[str, int]] = {}
    for jo, country, metric, value in CountryTotal.objects.filter(
            dimension="", metric__in=metrics).values_list(
                "joint_operation_id", "country_id", "metric", "value"):
        totals.setdefault((jo, country), {})[metric] = value
    population = dict(Country.objects.filter(population__gt=0).values_list("id", "population"))
    found: dict[tuple[int, int, str, str], Score] = {}
    for jo in joint_operation_ids:
        countries = [country for (j, country) in totals if j == jo]
        for country in countries:
            figures = totals[(jo, country)]
            earlier = sorted((operations[j], j) for (j, c) in totals
                             if c == country and operations[j] < operations[jo])
            for metric in metrics:
                value = figures.get(metric, 0)
                if len(earlier) >= settings.OUTLIER_HISTORY_MINIMUM:
                    history = [totals[(j, country)].get(metric, 0) for _start, j in earlier]
                    score = _flagged(value, value, history)
                    if score:
                        found[(jo, country, metric, OutlierFlag.Basis.OWN_HISTORY)] = score
                if value > 0 and country in population and _enough_to_compare(
                        value, population[country], totals, jo, countries, metric, population):
                    others = [math.log10(per_million(totals[(jo, c)][metric], population[c]))
                              for c in countries
                              if c != country and c in population
                              and totals[(jo, c)].get(metric, 0) > 0]
                    if len(others) >= settings.OUTLIER_REGION_MINIMUM:
                        x = math.log10(per_million(value, population[country]))
                        score = _flagged(x, value, others)
                        if score:
                            found[(jo, country, metric, OutlierFlag.Basis.REGION)] = score
    return found


def _enough_to_compare(value, people, totals, jo, countries, metric, population) -> bool:
    """Whether the figure, or the figure the region's median rate gives the country, reaches
    OUTLIER_REGION_MINIMUM_COUNT: below that, chance alone moves a count by multiples (one
    arrest in a country of 400,000 people is no pattern)."""
    if value >= settings.OUTLIER_REGION_MINIMUM_COUNT:
        return True
    rates = [totals[(jo, c)].get(metric, 0) / population[c] for c in countries
             if c in population and totals[(jo, c)].get(metric, 0) > 0]
    return bool(rates) and statistics.median(rates) * people >= settings.OUTLIER_REGION_MINIMUM_COUNT


def refresh(joint_operation_id: int | None = None) -> None:
    """Bring the flags up to date with the totals: of every joint operation (None), else of
    this one and those after it (whose history it is). Inside the roll-up's transaction and
    lock, after its totals are written."""
    operations = JointOperation.objects.all()
    if joint_operation_id is not None:
        starts_on = JointOperation.objects.filter(pk=joint_operation_id).values("starts_on")
        operations = operations.filter(starts_on__gte=starts_on)
    ids = list(operations.values_list("id", flat=True))
    found = scores(ids)
    existing = {(f.joint_operation_id, f.country_id, f.metric, f.basis): f
                for f in OutlierFlag.objects.filter(joint_operation_id__in=ids)}
    gone = [flag.pk for key, flag in existing.items() if key not in found]
    if gone:
        OutlierFlag.objects.filter(pk__in=gone).delete()
    for key, score in found.items():
        flag = existing.get(key)
        if flag is None:
            jo, country, metric, basis = key
            OutlierFlag.objects.create(
                joint_operation_id=jo, country_id=country, metric=metric, basis=basis,
                value=score.value, median=score.median, deviation=score.deviation,
                compared=score.compared, score=score.score)
            continue
        changed = {name: getattr(score, name) for name in
                   ("value", "median", "deviation", "compared", "score")
                   if getattr(flag, name) != getattr(score, name)}
        if "value" in changed:  # a new figure: what was checked is not what stands now
            changed.update(status=OutlierFlag.Status.OPEN, comment="", checked_by=None,
                           checked_at=None)
        if changed:
            OutlierFlag.objects.filter(pk=flag.pk).update(**changed)


def describe(flag: OutlierFlag, country_name: str) -> str:
    """The flag in plain words: the figure, what it was compared with, how far it stands."""
    metric = METRICS_BY_KEY[flag.metric]
    values = {"metric": metric.label, "value": f"{flag.value:,}", "country": country_name,
              # a median of counts is whole or a half
              "median": f"{flag.median:,.1f}".removesuffix(".0"), "score": f"{abs(flag.score):.1f}",
              "compared": flag.compared}
    above = flag.score > 0
    if flag.basis == OutlierFlag.Basis.OWN_HISTORY:
        text = (_("%(metric)s: %(value)s is far above %(country)s's %(compared)s earlier joint "
                  "operations (median %(median)s; modified z-score %(score)s).") if above else
                _("%(metric)s: %(value)s is far below %(country)s's %(compared)s earlier joint "
                  "operations (median %(median)s; modified z-score %(score)s)."))
        return text % values
    values["median"] = _number(10 ** flag.median)
    values["rate"] = _number(per_million(flag.value, _population(flag)))
    text = (_("%(metric)s: %(value)s is far above the region's pattern: %(rate)s per million "
              "people, against a median of %(median)s per million in %(compared)s other "
              "countries (modified z-score %(score)s).") if above else
            _("%(metric)s: %(value)s is far below the region's pattern: %(rate)s per million "
              "people, against a median of %(median)s per million in %(compared)s other "
              "countries (modified z-score %(score)s)."))
    return text % values


def _population(flag: OutlierFlag) -> int:
    return flag.country.population or 1


def _number(value: float) -> str:
    """Whole above 10 (12, 1,250), one decimal from 1 (1.5), two digits below (0.042)."""
    if abs(value) >= 10:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 1 else f"{value:.2g}"


def review(country_return) -> list[Finding]:
    """The return's flags for its review: open ones warn (checked, or accepted with the
    focal point's reason at submission), checked ones are notes with who checked and why."""
    flags = (OutlierFlag.objects.filter(joint_operation_id=country_return.joint_operation_id,
                                        country_id=country_return.country_id)
             .select_related("country", "checked_by").order_by("metric", "basis"))
    found = []
    for flag in flags:
        text = describe(flag, flag.country.name)
        key = f"outlier_{flag.metric}_{flag.basis}"
        if flag.status == OutlierFlag.Status.OPEN:
            found.append(Finding(key, WARNING, text + " " + _(
                "The focal point checks the records and marks it checked, correct, with a comment."),
                resolve_url=reverse("reporting:outlier_check", args=[
                    country_return.joint_operation.slug, flag.country.code, flag.pk])))
        else:
            who = flag.checked_by.get_full_name() or flag.checked_by.get_username()
            found.append(Finding(key, NOTE, text + " " + _(
                "Checked, correct (%(who)s, %(when)s): %(comment)s") % {
                    "who": who, "when": date_format(localtime(flag.checked_at), "DATE_FORMAT"),
                    "comment": flag.comment}))
    return found
