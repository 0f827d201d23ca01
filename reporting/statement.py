"""The co-chairs' statement text: paragraph 8 of the 2015 statement, from the roll-up's figures.

"In total, authorities in the eight countries:" followed by one item per line of the statement,
each joining one or two figures ("executed seven search warrants and identified 63 suspects").
Every sentence is a template here, in one place, and translatable. Style rules:

- numbers under ten in words, 10 and above in digits (grouped: "1,000");
- singular and plural from the count ("one trafficked person", "two trafficked persons");
- the number of countries in words; one country is named instead;
- a figure may be rounded down to "over N" as the statement did for enquiries: to tens below
  1,000 ("over 70", "over 480"), to two significant figures from 1,000 ("over 1,000" for 1,066,
  "over 12,000" for 12,345); figures under 20 and round figures stay exact, since "over 70"
  would be wrong for exactly 70;
- a figure of zero is left out: its half of a line goes, and a line with nothing left goes;
- the public profile leaves out every figure it hides ("<5" in its tables), zero and small
  alike, so that leaving one out tells nothing ("fewer than five" would be false comfort for a
  zero, and a zero left out beside "fewer than five" would give it away); a figure it withholds
  ("*") is said as "at least five". `reporting/disclosure.py` decides which.
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
AT_LEAST = _("at least %(n)s")
WORDS = (_("zero"), _("one"), _("two"), _("three"), _("four"), _("five"), _("six"), _("seven"),
         _("eight"), _("nine"))
# As in 2015: "made over 70 bilateral and international enquiries".
ROUNDED_IN_2015 = frozenset({"enquiries"})


def number(value: int) -> str:
    """Under ten in words, 10 and above in digits with the language's grouping."""
    if 0 <= value < 10:
        return str(WORDS[value])
    return number_format(value, force_grouping=True)


def rounding_step(value: int) -> int:
    """What "over N" rounds ``value`` down to a multiple of: tens below 1,000, then two
    significant figures (100 for 1,066, 1,000 for 12,345)."""
    return 10 if value < 1000 else 10 ** (len(str(value)) - 2)


def rounded_down(value: int) -> int:
    """The round figure "over N" names (``value`` itself under 20 or when already round)."""
    if value < 20:
        return value
    step = rounding_step(value)
    return value // step * step


# The public profile's hidden figures, as its tables print them (see reporting/disclosure.py).
HIDDEN_PREFIX = "<"
WITHHELD = "*"


def is_hidden(value: int | str) -> bool:
    """A figure the public profile hides under its threshold ("<5")."""
    return isinstance(value, str) and value.startswith(HIDDEN_PREFIX)


@dataclass(frozen=True)
class Figure:
    """A figure as the statement says it: its text, the count that picks the plural, and the
    values a reader who knows these rules can tell it lies between (``high`` None: no limit)."""

    text: str
    count: int
    low: int
    high: int | None


def figure(value: int | str, *, rounded: bool = False, threshold: int | None = None) -> Figure:
    """``value`` worded: "seven", "63", "over 70" (``rounded``); in the public profile a
    withheld "*" is "at least five" (``threshold`` 5)."""
    if value == WITHHELD:
        if threshold is None:
            raise ValueError("a withheld figure needs the threshold it was withheld above")
        return Figure(str(AT_LEAST % {"n": number(threshold)}), threshold, threshold, None)
    if rounded and rounded_down(value) != value:
        base = rounded_down(value)
        return Figure(str(OVER % {"n": number(base)}), base, base + 1,
                      base + rounding_step(value) - 1)
    return Figure(number(value), value, value, value)


@dataclass(frozen=True)
class Statement:
    intro: str
    items: tuple[str, ...]
    # metric key -> the figure as worded, for every figure the items say
    figures: tuple[tuple[str, Figure], ...] = ()

    @property
    def text(self) -> str:
        """The plain-text form: the introduction, then one "- " item per line."""
        return "\n".join([self.intro, "", *(f"- {item}" for item in self.items)]) + "\n"


def statement(figures: Mapping[str, int | str], *, countries: Iterable[str],
              rounded: Iterable[str] = ROUNDED_IN_2015, threshold: int | None = None) -> Statement:
    """Paragraph 8 for ``figures`` (metric key -> value, or the public profile's "<5" or "*")
    of the named ``countries``.

    ``rounded``: the metrics said as "over N"; ``threshold``: the public profile's, for its
    withheld figures. A figure of zero, and a hidden one, is left out.
    """
    names = list(countries)
    rounded = frozenset(rounded)
    if len(names) == 1:
        intro = INTRO_ONE_COUNTRY % {"country": names[0]}
    else:
        intro = INTRO_COUNTRIES % {"n": number(len(names)), "count": len(names)}
    items = []
    said = []
    for line in LINES:
        parts = []
        for key in line:
            value = figures.get(key, 0)
            if value == 0 or is_hidden(value):
                continue
            worded = figure(value, rounded=key in rounded, threshold=threshold)
            said.append((key, worded))
            parts.append(SENTENCES[key] % {"n": worded.text, "count": worded.count})
        if parts:
            items.append(parts[0] if len(parts) == 1 else AND % {"first": parts[0],
                                                                  "second": parts[1]})
    intelligence = figures.get(INTELLIGENCE_METRIC, 0)
    if intelligence != 0 and not is_hidden(intelligence):
        items.append(str(INTELLIGENCE_LINE))
    return Statement(intro=str(intro), items=tuple(items), figures=tuple(said))
