"""The co-chairs' statement text: paragraph 8 of the 2015 statement, from the roll-up's figures.

"In total, authorities in the eight countries:" followed by one item per line of the statement,
each joining one or two figures ("executed seven search warrants and identified 63 suspects").
Every sentence is a template here, in one place, and translatable. Style rules:

- numbers under ten in words, 10 and above in digits (grouped: "1,000");
- singular and plural from the count ("one trafficked person", "two trafficked persons");
- the number of countries in words; one country is named instead;
- a figure may be rounded down to "over N" as the statement did for enquiries (to tens; figures
  under 20 and whole tens stay exact, since "over 70" would be wrong for exactly 70);
- the public profile shows a figure under its threshold as "fewer than five";
- a figure of zero is left out: its half of a line goes, and a line with nothing left goes.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# "%(n)s" is the figure as words or digits; "count" chooses singular or plural.
SENTENCES = {
    "victims_assisted": ngettext_lazy(
        "assisted %(n)s trafficked person",
        "assisted %(n)s trafficked persons", "count"),
    "search_warrants": ngettext_lazy(
        "executed %(n)s search warrant",
        "executed %(n)s search warrants", "count"),
    "suspects_identified": ngettext_lazy(
        "identified %(n)s suspect",
        "identified %(n)s suspects", "count"),
    "arrests": ngettext_lazy(
        "made %(n)s arrest",
        "made %(n)s arrests", "count"),
    "investigations": ngettext_lazy(
        "launched %(n)s new investigation",
        "launched %(n)s new investigations", "count"),
    "enquiries": ngettext_lazy(
        "made %(n)s bilateral or international enquiry to progress trafficking in persons and "
        "people smuggling investigations",
        "made %(n)s bilateral and international enquiries to progress trafficking in persons "
        "and people smuggling investigations", "count"),
    "awareness_activities": ngettext_lazy(
        "conducted %(n)s awareness-raising activity, including for employers, civil society, "
        "and vulnerable groups",
        "conducted %(n)s awareness-raising activities, including for employers, civil society, "
        "and vulnerable groups", "count"),
    "training_sessions": ngettext_lazy(
        "carried out %(n)s training session",
        "carried out %(n)s training sessions", "count"),
    "officers_trained": ngettext_lazy(
        "trained %(n)s police, airport, immigration, or compliance officer throughout the region",
        "trained %(n)s police, airport, immigration, and compliance officers throughout the "
        "region", "count"),
}
# The statement's lines, each joining its figures with "and", in the statement's order.
LINES: tuple[tuple[str, ...], ...] = (
    ("victims_assisted",),
    ("search_warrants", "suspects_identified"),
    ("arrests", "investigations"),
    ("enquiries",),
    ("awareness_activities",),
    ("training_sessions", "officers_trained"),
)
# A closing line without a figure, present when any intelligence was reported.
INTELLIGENCE_METRIC = "intelligence_reports"
INTELLIGENCE_LINE = _("gathered useful intelligence on the traffickers and smugglers involved "
                      "and their modus operandi")
AND = _("%(first)s and %(second)s")
INTRO_COUNTRIES = ngettext_lazy(
    "In total, authorities in the %(n)s country:",
    "In total, authorities in the %(n)s countries:", "count")
INTRO_ONE_COUNTRY = _("In total, authorities in %(country)s:")
OVER = _("over %(n)s")
FEWER_THAN = _("fewer than %(n)s")
WORDS = (_("zero"), _("one"), _("two"), _("three"), _("four"), _("five"), _("six"), _("seven"),
         _("eight"), _("nine"))
# As in 2015: "made over 70 bilateral and international enquiries".
ROUNDED_IN_2015 = frozenset({"enquiries"})


def number(value: int) -> str:
    """Under ten in words, 10 and above in digits with the language's grouping."""
    if 0 <= value < 10:
        return str(WORDS[value])
    return number_format(value, force_grouping=True)


def rounded_down(value: int) -> int:
    """The round figure "over N" names: ``value`` down to tens (``value`` itself when exact)."""
    return value if value < 20 else value // 10 * 10


@dataclass(frozen=True)
class Figure:
    """A figure as the statement says it: its text and the count that picks the plural."""

    text: str
    count: int


def figure(value: int, *, rounded: bool = False, threshold: int | None = None) -> Figure:
    """``value`` worded: "seven", "63", "over 70" (``rounded``), "fewer than five" (under
    ``threshold``, for the public profile)."""
    if threshold is not None and 0 < value < threshold:
        return Figure(str(FEWER_THAN % {"n": number(threshold)}), threshold)
    if rounded and rounded_down(value) != value:
        base = rounded_down(value)
        return Figure(str(OVER % {"n": number(base)}), base)
    return Figure(number(value), value)


@dataclass(frozen=True)
class Statement:
    intro: str
    items: tuple[str, ...]

    @property
    def text(self) -> str:
        """The plain-text form: the introduction, then one "- " item per line."""
        return "\n".join([self.intro, "", *(f"- {item}" for item in self.items)]) + "\n"


def statement(figures: Mapping[str, int], *, countries: Iterable[str],
              rounded: Iterable[str] = ROUNDED_IN_2015, threshold: int | None = None) -> Statement:
    """Paragraph 8 for ``figures`` (metric key -> value) of the named ``countries``.

    ``rounded``: the metrics said as "over N"; ``threshold``: figures under it are said as
    "fewer than N" (the public profile). A figure of zero is left out.
    """
    names = list(countries)
    rounded = frozenset(rounded)
    if len(names) == 1:
        intro = INTRO_ONE_COUNTRY % {"country": names[0]}
    else:
        intro = INTRO_COUNTRIES % {"n": number(len(names)), "count": len(names)}
    items = []
    for line in LINES:
        parts = []
        for key in line:
            value = figures.get(key, 0)
            if value <= 0:
                continue
            worded = figure(value, rounded=key in rounded, threshold=threshold)
            parts.append(SENTENCES[key] % {"n": worded.text, "count": worded.count})
        if parts:
            items.append(parts[0] if len(parts) == 1 else AND % {"first": parts[0],
                                                                  "second": parts[1]})
    if figures.get(INTELLIGENCE_METRIC, 0) > 0:
        items.append(str(INTELLIGENCE_LINE))
    return Statement(intro=str(intro), items=tuple(items))
