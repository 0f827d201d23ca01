"""Outlier flags (issue 20, item 3): a country's figure far outside its own history or the
region's pattern per head of population is flagged at roll-up, never changed; its focal point
marks it "checked, correct" with a comment (audited), and the return's review asks for it."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from countries.models import Role
from operations import models as om
from operations import review
from operations.services import country_return_submit
from reporting import outliers, rollups, tasks
from reporting.models import OutlierFlag
from reporting.services import outlier_flag_check
from tests.factories import (
    AgencyFactory,
    CountryFactory,
    JointOperationFactory,
    MembershipFactory,
    OperationFactory,
    VictimAssistanceRecordFactory,
)

pytestmark = pytest.mark.django_db


def test_the_modified_z_score_is_iglewicz_and_hoaglins():
    # median 3, absolute deviations 1,0,0,1,2 -> MAD 1: M = 0.6745 * (10 - 3) / 1
    assert outliers.modified_z_score(10, [2, 3, 3, 4, 5]) == pytest.approx((3, 1, 4.7215))
    # half the values equal (MAD 0): the mean absolute deviation (0.8) stands in
    median, deviation, score = outliers.modified_z_score(9, [3, 3, 3, 3, 7])
    assert (median, deviation) == (3, pytest.approx(0.8))
    assert score == pytest.approx(6 / (1.253314 * 0.8))
    assert outliers.modified_z_score(9, [3, 3, 3]) is None  # all equal: no scale, no flag


def _history(country, figures, *, year=2010):
    """The country's victims assisted in earlier joint operations, one a year."""
    agency = AgencyFactory(country=country)
    for i, count in enumerate(figures):
        jo = JointOperationFactory(starts_on=dt.date(year + i, 9, 1), ends_on=dt.date(year + i, 9, 30))
        VictimAssistanceRecordFactory(operation=OperationFactory(joint_operation=jo, lead_agency=agency),
                                      count=count)
    return agency


def _now(agency, count):
    jo = JointOperationFactory(starts_on=dt.date(2020, 9, 1), ends_on=dt.date(2020, 9, 30))
    operation = OperationFactory(joint_operation=jo, lead_agency=agency)
    record = VictimAssistanceRecordFactory(operation=operation, count=count)
    return operation, record


def _flags(operation):
    return list(OutlierFlag.objects.filter(joint_operation=operation.joint_operation,
                                           country=operation.country)
                .values_list("metric", "basis", "value", "status"))


def test_a_figure_far_above_the_countrys_history_is_flagged_never_changed():
    agency = _history(CountryFactory(name="Thailand"), [10, 12, 11, 14])
    operation, record = _now(agency, 450)

    rollups.rollup()

    assert _flags(operation) == [("victims_assisted", "own_history", 450, "open")]
    record.refresh_from_db()
    assert record.count == 450  # flagged, never changed
    [finding] = [f for f in review.findings(om.CountryReturn(
        joint_operation=operation.joint_operation, country=operation.country))
        if f.key.startswith("outlier_")]
    assert finding.severity == review.WARNING
    assert finding.message.startswith(
        "Trafficked persons assisted: 450 is far above Thailand's 4 earlier joint operations "
        "(median 11.5; modified z-score")
    assert finding.resolve_url.endswith(f"/flags/{OutlierFlag.objects.get().pk}/check/")


def test_too_little_history_or_an_ordinary_figure_is_not_flagged():
    short = _history(CountryFactory(), [10, 12])  # two earlier operations: below the minimum
    usual = _history(CountryFactory(), [10, 12, 11, 14])
    short_now, _ = _now(short, 450)
    usual_now, _ = _now(usual, 13)

    rollups.rollup()

    assert _flags(short_now) == [] and _flags(usual_now) == []


def test_a_corrected_figure_loses_its_flag_and_a_changed_one_is_open_again():
    agency = _history(CountryFactory(), [10, 12, 11, 14])
    operation, record = _now(agency, 450)
    rollups.rollup()
    focal_point = MembershipFactory(agency=agency, role=Role.FOCAL_POINT).user
    outlier_flag_check(actor=focal_point, flag=OutlierFlag.objects.get(),
                       comment="One raid on a fishing fleet freed 450 crew.")

    record.count = 460
    record.save()
    rollups.rollup(joint_operation_id=operation.joint_operation_id)
    flag = OutlierFlag.objects.get()
    assert (flag.value, flag.status, flag.comment, flag.checked_by) == (460, "open", "", None)

    # the country's own roll-up (what an edit queues) refreshes the flags after it
    record.count = 13
    record.save()
    tasks.rollup_country(operation.joint_operation_id, operation.country_id)
    assert _flags(operation) == []


def test_a_figure_far_from_the_regions_pattern_per_head_of_population_is_flagged():
    # six countries of ten million assisting 8-12 people each (about one per million), and one
    # of the same size assisting 900
    jo = JointOperationFactory()
    operations = {}
    for code, count in [("QRA", 8), ("QRB", 10), ("QRC", 12), ("QRD", 9), ("QRE", 11),
                        ("QRF", 10), ("QRG", 900)]:
        country = CountryFactory(code=code, population=10_000_000)
        operations[code] = OperationFactory(joint_operation=jo,
                                            lead_agency=AgencyFactory(country=country))
        VictimAssistanceRecordFactory(operation=operations[code], count=count)
    CountryFactory(code="QRH", population=None)  # no population: not compared
    # a country of 100,000 with 3 (30 per million): a count that small is chance, not a pattern
    small = OperationFactory(joint_operation=jo, lead_agency=AgencyFactory(
        country=CountryFactory(code="QRS", population=100_000)))
    VictimAssistanceRecordFactory(operation=small, count=3)

    rollups.rollup(joint_operation_id=jo.pk)

    assert _flags(operations["QRG"]) == [("victims_assisted", "region", 900, "open")]
    assert all(_flags(operations[code]) == [] for code in operations if code != "QRG")
    assert _flags(small) == []
    flag = OutlierFlag.objects.get()
    assert flag.compared == 7 and flag.score > 3.5
    assert outliers.describe(flag, "Country QRG").startswith(
        "Trafficked persons assisted: 900 is far above the region's pattern: 90 per million "
        "people, against a median of 1.0 per million in 7 other countries")


@pytest.fixture
def flagged():
    agency = _history(CountryFactory(), [10, 12, 11, 14])
    operation, _ = _now(agency, 450)
    rollups.rollup()
    country_return = om.CountryReturn.objects.create(joint_operation=operation.joint_operation,
                                                     country=operation.country)
    focal_point = MembershipFactory(agency=agency, role=Role.FOCAL_POINT).user
    return operation, country_return, focal_point, OutlierFlag.objects.get()


def test_an_open_flag_needs_a_check_or_a_reason_before_submitting(flagged):
    operation, country_return, focal_point, flag = flagged

    with pytest.raises(ValidationError) as refused:
        country_return_submit(actor=focal_point, country_return=country_return)
    assert "warnings_reason" in refused.value.error_dict

    outlier_flag_check(actor=focal_point, flag=flag, comment="One raid on a fishing fleet.")
    found = [f for f in review.findings(country_return) if f.key.startswith("outlier_")]
    assert [f.severity for f in found] == [review.NOTE]
    assert "Checked, correct" in found[0].message and "One raid on a fishing fleet." in found[0].message
    submitted = country_return_submit(actor=focal_point, country_return=country_return)
    assert submitted.state == "submitted"

    # once submitted, the review is the secretariat's to read: no more checks
    with pytest.raises(ValidationError, match="Ask the secretariat to reopen"):
        outlier_flag_check(actor=focal_point, flag=flag, comment="Again.")


def test_only_the_countrys_focal_point_checks_with_a_comment_and_the_trail_keeps_it(flagged):
    operation, country_return, focal_point, flag = flagged
    officer = MembershipFactory(agency=operation.lead_agency, role=Role.OFFICER).user

    with pytest.raises(PermissionDenied):
        outlier_flag_check(actor=officer, flag=flag, comment="Looks right.")
    with pytest.raises(ValidationError) as blank:
        outlier_flag_check(actor=focal_point, flag=flag, comment="   ")
    assert list(blank.value.error_dict) == ["comment"]
    with pytest.raises(ValidationError) as huge:
        outlier_flag_check(actor=focal_point, flag=flag, comment="x" * 2001)
    assert "2,000 characters" in huge.value.messages[0]
    flag.refresh_from_db()
    assert flag.status == "open"  # nothing half-written

    outlier_flag_check(actor=focal_point, flag=flag, comment="One raid on a fishing fleet.")
    event = OutlierFlag.pgh_event_model.objects.filter(pgh_obj=flag, pgh_label="update").get()
    assert (event.status, event.comment, event.checked_by_id) == (
        "checked", "One raid on a fishing fleet.", focal_point.pk)


def test_the_return_page_lists_the_flag_and_checks_it_with_the_comment_kept_on_error(client, flagged):
    operation, country_return, focal_point, flag = flagged
    page_url = reverse("reporting:return_detail",
                       args=[operation.joint_operation.slug, operation.country.code])
    check_url = reverse("reporting:outlier_check",
                        args=[operation.joint_operation.slug, operation.country.code, flag.pk])
    client.force_login(focal_point)

    page = client.get(page_url).content.decode()
    assert 'data-rule="outlier_victims_assisted_own_history"' in page
    assert f'action="{check_url}"' in page

    refused = client.post(check_url, {"comment": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Say why the figure is right" in body
    assert 'href="#comment_outlier_victims_assisted_own_history"' in body  # the error summary

    done = client.post(check_url, {"comment": "One raid on a fishing fleet."})
    assert done.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.checked_by) == ("checked", focal_point)
    assert f'action="{check_url}"' not in client.get(page_url).content.decode()


def test_another_countrys_flag_answers_404(client, flagged):
    operation, country_return, focal_point, flag = flagged
    other = OperationFactory(joint_operation=operation.joint_operation)
    om.CountryReturn.objects.create(joint_operation=other.joint_operation, country=other.country)
    other_focal_point = MembershipFactory(agency=other.lead_agency, role=Role.FOCAL_POINT).user
    client.force_login(other_focal_point)

    # the flag's own return is not theirs to see, and under their own return it does not exist
    own_url = reverse("reporting:outlier_check",
                      args=[operation.joint_operation.slug, operation.country.code, flag.pk])
    under_theirs = reverse("reporting:outlier_check",
                           args=[other.joint_operation.slug, other.country.code, flag.pk])
    assert client.post(own_url, {"comment": "Mine now."}).status_code == 404
    assert client.post(under_theirs, {"comment": "Mine now."}).status_code == 404
    flag.refresh_from_db()
    assert flag.status == "open"
