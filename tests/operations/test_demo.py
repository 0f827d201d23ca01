"""The 2015 demo data: its totals are the co-chairs' statement's paragraph 8."""
import pytest
from django.apps import apps

from operations.demo import STATEMENT_TOTALS, demo_load
from operations.models import JointOperation, Participation
from reporting import rollups, totals

PARAGRAPH_8 = [
    ("victims_assisted", 59),
    ("search_warrants", 7),
    ("suspects_identified", 63),
    ("arrests", 32),
    ("investigations", 8),
    ("awareness_activities", 68),
    ("training_sessions", 12),
    ("officers_trained", 485),
]


@pytest.fixture
def figures(demo_rolled_up):
    """The regional figures as every page reads them: the read model of the roll-up."""
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")
    return {f.metric.key: f.value
            for f in totals.joint_operation_totals(joint_operation).figures()}


def test_the_records_add_up_to_what_the_rollup_says(figures):
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")
    assert rollups.live_headline_figures(joint_operation_id=joint_operation.pk) == figures


@pytest.mark.parametrize(("metric", "expected"), PARAGRAPH_8)
def test_demo_total_equals_statement(figures, metric, expected):
    assert figures[metric] == expected


def test_demo_enquiries_are_over_70(figures):
    assert figures["enquiries"] > 70
    assert figures["enquiries"] == STATEMENT_TOTALS["enquiries"]


def test_demo_participants_follow_the_statement(demo):
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")
    took_part = set(
        joint_operation.participations.filter(status=Participation.Status.TOOK_PART)
        .values_list("country__code", flat=True)
    )
    assert took_part == {"AUS", "IDN", "MYS", "MDV", "NZL", "PHL", "LKA", "THA"}
    assert set(joint_operation.co_chairs.values_list("code", flat=True)) == {"NZL", "LKA"}
    debrief = set(
        joint_operation.participations.filter(attended_debrief=True)
        .values_list("country__code", flat=True)
    )
    # Paragraph 4 and its footnote: Indonesia's participant could not attend.
    assert "IDN" not in debrief
    assert {"AFG", "IND", "MMR", "USA", "VNM", "CAN", "INTERPOL"} <= debrief


def test_loading_twice_changes_nothing(demo):
    def row_counts():
        return {
            model._meta.label: model.objects.count()
            for app in ("auth", "countries", "operations")
            for model in apps.get_app_config(app).get_models()
        }

    before = row_counts()
    created = demo_load()

    assert created == {k: 0 for k in created}
    assert row_counts() == before
    assert before["operations.ArrestRecord"] > 0
