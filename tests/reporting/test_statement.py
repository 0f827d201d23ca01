"""The statement text: paragraph 8 of 2015 from the demo, and the style rules figure by figure."""
from __future__ import annotations

import pytest

from operations.models import JointOperation
from reporting import exports, rollups
from reporting.statement import statement

PARAGRAPH_8 = [
    "assisted 59 trafficked persons",
    "executed seven search warrants and identified 63 suspects",
    "made 32 arrests and launched eight new investigations",
    "made over 70 bilateral and international enquiries to progress trafficking in persons and "
    "people smuggling investigations",
    "conducted 68 awareness-raising activities, including for employers, civil society, and "
    "vulnerable groups",
    "carried out 12 training sessions and trained 485 police, airport, immigration, and "
    "compliance officers throughout the region",
    "gathered useful intelligence on the traffickers and smugglers involved and their modus "
    "operandi",
]
EIGHT = ["Australia", "Indonesia", "Malaysia", "Maldives", "New Zealand", "Philippines",
         "Sri Lanka", "Thailand"]


def test_the_demo_reproduces_paragraph_8(demo):
    rollups.rollup()
    data = exports.debrief(JointOperation.objects.get(slug="jpoa-2015"))

    assert data.statement.intro == "In total, authorities in the eight countries:"
    assert list(data.statement.items) == PARAGRAPH_8
    assert data.statement.text.startswith("In total, authorities in the eight countries:\n\n- ")


def test_without_rounding_the_enquiries_are_exact(demo):
    rollups.rollup()
    data = exports.debrief(JointOperation.objects.get(slug="jpoa-2015"), rounded=())

    assert data.statement.items[3].startswith("made 73 bilateral and international enquiries")


# Each metric's sentence, singular and plural, written out by hand ({} is the figure).
WORDING = {
    "victims_assisted": ("assisted {} trafficked person", "assisted {} trafficked persons"),
    "search_warrants": ("executed {} search warrant", "executed {} search warrants"),
    "suspects_identified": ("identified {} suspect", "identified {} suspects"),
    "arrests": ("made {} arrest", "made {} arrests"),
    "investigations": ("launched {} new investigation", "launched {} new investigations"),
    "enquiries": (
        "made {} bilateral or international enquiry to progress trafficking in persons and "
        "people smuggling investigations",
        "made {} bilateral and international enquiries to progress trafficking in persons and "
        "people smuggling investigations"),
    "awareness_activities": (
        "conducted {} awareness-raising activity, including for employers, civil society, and "
        "vulnerable groups",
        "conducted {} awareness-raising activities, including for employers, civil society, and "
        "vulnerable groups"),
    "training_sessions": ("carried out {} training session", "carried out {} training sessions"),
    "officers_trained": (
        "trained {} police, airport, immigration, or compliance officer throughout the region",
        "trained {} police, airport, immigration, and compliance officers throughout the region"),
}
NUMBERS = [(1, "one", 0), (2, "two", 1), (9, "nine", 1), (10, "10", 1), (11, "11", 1),
           (21, "21", 1), (100, "100", 1), (1000, "1,000", 1)]


@pytest.mark.parametrize("metric", list(WORDING))
@pytest.mark.parametrize(("value", "words", "plural"), NUMBERS)
def test_each_figure_alone_in_words_or_digits_singular_or_plural(metric, value, words, plural):
    result = statement({metric: value}, countries=EIGHT, rounded=())
    assert result.items == (WORDING[metric][plural].format(words),)


@pytest.mark.parametrize("metric", list(WORDING))
def test_a_figure_of_zero_is_left_out(metric):
    assert statement({metric: 0}, countries=EIGHT).items == ()


def test_a_line_keeps_the_figure_that_is_not_zero():
    result = statement({"search_warrants": 0, "suspects_identified": 1, "arrests": 3,
                        "investigations": 0, "training_sessions": 0, "officers_trained": 2},
                       countries=EIGHT)
    assert result.items == (
        "identified one suspect",
        "made three arrests",
        "trained two police, airport, immigration, and compliance officers throughout the region",
    )


def test_two_figures_of_a_line_are_joined_with_and():
    result = statement({"search_warrants": 1, "suspects_identified": 1}, countries=EIGHT)
    assert result.items == ("executed one search warrant and identified one suspect",)


@pytest.mark.parametrize(("value", "said"), [
    (9, "nine"), (19, "19"), (20, "20"), (21, "over 20"), (70, "70"), (73, "over 70"),
    (485, "over 480"), (999, "over 990"), (1000, "1,000"), (1066, "over 1,000"),
    (1234, "over 1,200"), (12345, "over 12,000"), (120000, "120,000"), (123456, "over 120,000"),
])
def test_rounding_down_to_over_n(value, said):
    result = statement({"arrests": value}, countries=EIGHT, rounded={"arrests"})
    assert result.items == (f"made {said} arrests",)


@pytest.mark.parametrize(("value", "said"), [("*", "at least five"), (5, "five"), (12, "12")])
def test_the_public_profile_says_a_withheld_figure_as_at_least(value, said):
    result = statement({"victims_assisted": value}, countries=EIGHT, threshold=5)
    assert result.items == (f"assisted {said} trafficked persons",)


def test_the_public_profile_leaves_out_a_hidden_figure_as_it_leaves_out_zero():
    # zero and small are both "<5" in public: the statement must not tell them apart
    hidden = statement({"victims_assisted": "<5", "arrests": 12}, countries=EIGHT, threshold=5)
    zero = statement({"victims_assisted": 0, "arrests": 12}, countries=EIGHT, threshold=5)
    assert hidden.items == zero.items == ("made 12 arrests",)


@pytest.mark.parametrize(("value", "low", "high"), [
    (7, 7, 7), (73, 71, 79), (70, 70, 70), (485, 481, 489), (1066, 1001, 1099),
    (12345, 12001, 12999), ("*", 5, None),
])
def test_each_wording_says_which_values_it_could_be(value, low, high):
    # what a reader who knows the rules can tell: the disclosure audit's input
    result = statement({"arrests": value}, countries=EIGHT, rounded={"arrests"}, threshold=5)
    (key, worded), = result.figures
    assert (key, worded.low, worded.high) == ("arrests", low, high)


@pytest.mark.parametrize("value", [7, 70, 73, 485, 1066, 12345])
def test_a_figure_could_be_exactly_the_values_worded_alike(value):
    def said(v):
        return statement({"arrests": v}, countries=EIGHT, rounded={"arrests"})

    (_key, worded), = said(value).figures
    assert all(said(v).items == said(value).items for v in range(worded.low, worded.high + 1))
    assert said(worded.low - 1).items != said(value).items
    assert said(worded.high + 1).items != said(value).items


def test_hidden_intelligence_is_not_announced():
    # the line has no figure: said for a withheld one, left out for a hidden one as for zero
    assert statement({"intelligence_reports": "<5"}, countries=EIGHT, threshold=5).items == ()
    assert statement({"intelligence_reports": "*"}, countries=EIGHT, threshold=5).items == (
        "gathered useful intelligence on the traffickers and smugglers involved and their modus "
        "operandi",)


@pytest.mark.parametrize(("countries", "intro"), [
    (["Thailand"], "In total, authorities in Thailand:"),
    (["Thailand", "Malaysia"], "In total, authorities in the two countries:"),
    (EIGHT, "In total, authorities in the eight countries:"),
    ([f"Country {i}" for i in range(12)], "In total, authorities in the 12 countries:"),
])
def test_the_countries_are_counted_in_words(countries, intro):
    assert statement({}, countries=countries).intro == intro


def test_intelligence_closes_the_list_only_when_there_was_some():
    assert statement({"intelligence_reports": 0}, countries=EIGHT).items == ()
    assert statement({"intelligence_reports": 1}, countries=EIGHT).items == (PARAGRAPH_8[-1],)
