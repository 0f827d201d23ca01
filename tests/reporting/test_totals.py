"""The read model of figures (reporting/totals.py): what the real roll-up stored, per country and
for the region, with the return states, accepted-only totals, freshness and per-country scoping."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from countries.models import Role
from operations import models as om
from reporting import rollups, totals
from reporting.metrics import AGENCY, HEADLINE_METRICS, SECTOR
from reporting.models import PendingRollup
from tests import factories


@pytest.fixture
def region(db):
    """A joint operation of two countries, built with factories and rolled up for real:
    country A has 2 + 5 arrests (two agencies) and 3 fishing victims, country B 4 arrests."""
    joint_operation = factories.JointOperationFactory(slug="read-model", name="Read model")
    a, b = (factories.CountryFactory(code=code, name=f"Country {code}") for code in ("QRA", "QRB"))
    operation_a = factories.OperationFactory(
        joint_operation=joint_operation, lead_agency=factories.AgencyFactory(country=a))
    operation_b = factories.OperationFactory(
        joint_operation=joint_operation, lead_agency=factories.AgencyFactory(country=b))
    second_agency = factories.AgencyFactory(country=a, name="Second agency of A")
    factories.ArrestRecordFactory(operation=operation_a, count=2, sector=om.Sector.FISHING)
    factories.ArrestRecordFactory(operation=operation_a, count=5, agency=second_agency)
    factories.VictimAssistanceRecordFactory(operation=operation_a, count=3)
    factories.ArrestRecordFactory(operation=operation_b, count=4)
    om.CountryReturn.objects.create(joint_operation=joint_operation, country=b,
                                    state=om.CountryReturn.State.ACCEPTED,
                                    submitted_at=timezone.now(), accepted_at=timezone.now())
    run = rollups.rollup(joint_operation_id=joint_operation.pk)
    return {"joint_operation": joint_operation, "a": a, "b": b, "run": run,
            "lead_a": operation_a.lead_agency, "second_a": second_agency}


def user_of(country, role=Role.OFFICER):
    membership = factories.MembershipFactory(agency=factories.AgencyFactory(country=country),
                                             role=role)
    return membership.user


def test_figures_per_country_and_for_the_region_come_from_the_rollup(region):
    # when the figures are read
    read = totals.joint_operation_totals(region["joint_operation"])

    # then each country's and the region's are what the records add up to
    a, b = region["a"], region["b"]
    assert [c.code for c in read.countries] == ["QRA", "QRB"]
    assert read.value(a.pk, "arrests") == 7 and read.value(b.pk, "arrests") == 4
    assert read.regional("arrests") == 11
    assert read.regional("victims_assisted") == 3
    regional = {f.metric.key: f.value for f in read.figures()}
    assert [f.metric for f in read.figures()] == list(HEADLINE_METRICS)
    assert regional["arrests"] == 11 and regional["search_warrants"] == 0
    assert {f.metric.key: f.value for f in read.figures(country_id=a.pk)}["arrests"] == 7
    # and they are exactly the records' aggregate (the labelled live read, for comparison)
    assert regional == rollups.live_headline_figures(
        joint_operation_id=region["joint_operation"].pk)


def test_return_states_and_accepted_only_totals(region):
    read = totals.joint_operation_totals(region["joint_operation"])

    assert read.return_state(region["a"].pk) == om.CountryReturn.State.OPEN  # no row yet
    assert read.return_state(region["b"].pk) == om.CountryReturn.State.ACCEPTED
    assert read.accepted_ids == {region["b"].pk}
    assert read.regional("arrests", accepted_only=True) == 4


def test_freshness_is_the_latest_run_and_the_countries_being_redone(region):
    read = totals.joint_operation_totals(region["joint_operation"])
    assert read.last_updated == region["run"].finished_at
    assert not read.is_pending(region["a"].pk)

    # when country A's records change and its roll-up is queued
    PendingRollup.objects.create(joint_operation=region["joint_operation"], country=region["a"])

    read = totals.joint_operation_totals(region["joint_operation"])
    assert read.is_pending(region["a"].pk) and not read.is_pending(region["b"].pk)
    assert read.rollup.is_stale


def test_breakdowns_by_sector_and_by_agency(region):
    read = totals.joint_operation_totals(region["joint_operation"])
    a = region["a"]

    assert read.breakdown("arrests", SECTOR, country_id=a.pk) == {"fishing": 2, "": 5}
    assert read.breakdown("arrests", AGENCY, country_id=a.pk) == {
        str(region["lead_a"].pk): 2, str(region["second_a"].pk): 5}
    # the region's breakdown sums every country
    assert sum(read.breakdown("arrests", SECTOR).values()) == 11


def test_another_countrys_breakdown_stays_hidden_from_an_officer(region):
    # given an officer of country A
    a, b = region["a"], region["b"]
    officer = user_of(a)

    read = totals.joint_operation_totals(region["joint_operation"], user=officer)

    # then every country's totals and the region's breakdown are open to them
    assert read.value(b.pk, "arrests") == 4
    assert sum(read.breakdown("arrests", SECTOR).values()) == 11
    # and their own country's breakdown, but not country B's
    assert read.may_break_down(a.pk) and not read.may_break_down(b.pk)
    assert read.breakdown("arrests", AGENCY, country_id=a.pk)
    with pytest.raises(PermissionDenied):
        read.breakdown("arrests", AGENCY, country_id=b.pk)
    with pytest.raises(PermissionDenied):
        read.breakdown("arrests", SECTOR, country_id=b.pk)


def test_a_co_chair_breaks_every_country_down(region):
    co_chair = user_of(factories.CountryFactory(code="QRC"), role=Role.CO_CHAIR)

    read = totals.joint_operation_totals(region["joint_operation"], user=co_chair)

    assert read.may_break_down(region["a"].pk) and read.may_break_down(region["b"].pk)
    assert read.breakdown("arrests", SECTOR, country_id=region["b"].pk) == {"": 4}


def test_before_any_rollup_every_figure_is_zero_and_says_so(db):
    operation = factories.OperationFactory()
    factories.ArrestRecordFactory(operation=operation, count=3)

    read = totals.joint_operation_totals(operation.joint_operation)

    assert read.last_updated is None and read.rollup.is_stale
    assert read.regional("arrests") == 0  # the roll-up has not run: nothing read live


def test_a_read_costs_two_queries_and_a_cached_read_one(region, django_assert_num_queries):
    joint_operation = region["joint_operation"]
    with django_assert_num_queries(2):  # the state, the totals
        totals.joint_operation_totals(joint_operation).figures()
    totals.joint_operation_totals(joint_operation, cached=True).figures()  # fills the cache
    with django_assert_num_queries(1):  # the state; the totals from the cache
        figures = totals.joint_operation_totals(joint_operation, cached=True).figures()
    assert {f.metric.key: f.value for f in figures}["arrests"] == 11


def test_a_cached_read_sees_the_next_rollup(region):
    # given cached figures
    joint_operation, a = region["joint_operation"], region["a"]
    assert totals.joint_operation_totals(joint_operation, cached=True).regional("arrests") == 11

    # when a record is added and the country rolled up again
    factories.ArrestRecordFactory(operation=om.Operation.objects.get(country=a), count=10)
    rollups.rollup(joint_operation_id=joint_operation.pk, country_id=a.pk)

    # then the cached read has the new figure
    assert totals.joint_operation_totals(joint_operation, cached=True).regional("arrests") == 21
