"""Validation rules across a country's figures, and the return's review before submitting."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from countries.models import Membership, Role
from operations import models as om
from operations import review
from operations.services import country_return_accept, country_return_submit
from reporting import validation
from tests.api.conftest import token_client
from tests.factories import (
    ArrestRecordFactory,
    MembershipFactory,
    OperationFactory,
    UserFactory,
    VictimAssistanceRecordFactory,
)

pytestmark = pytest.mark.django_db


def open_return(operation):
    return om.CountryReturn.objects.create(joint_operation=operation.joint_operation,
                                           country=operation.country)


def focal_point(operation):
    return MembershipFactory(agency=operation.lead_agency, role=Role.FOCAL_POINT).user


def keys(found):
    return [(f.key, f.severity) for f in found]


def test_figures_that_agree_pass_every_rule():
    operation = OperationFactory()
    VictimAssistanceRecordFactory(operation=operation, count=3)
    country_return = open_return(operation)

    assert validation.evaluate(country_return) == []
    assert review.findings(country_return) == []  # reporting registered its rules


def test_more_arrests_than_suspects_is_a_warning_naming_both_figures():
    operation = OperationFactory()
    ArrestRecordFactory(operation=operation, count=5)

    found = review.findings(open_return(operation))

    assert keys(found) == [("suspects_cover_arrests", review.WARNING)]
    assert found[0].message == (
        "Suspects identified (0) are fewer than arrests (5): usually each person arrested was "
        "first identified as a suspect.")


def test_records_saved_past_the_forms_checks_are_errors_errors_first():
    # given records written past the forms (an old import, a script): a training session with
    # nobody trained, a victim with no sex recorded, and more arrests than suspects
    operation = OperationFactory()
    agency, country = operation.lead_agency, operation.country
    om.TrainingSessionRecord.objects.create(
        operation=operation, country=country, agency=agency,
        occurred_on=operation.joint_operation.starts_on, topic="Ports")
    VictimAssistanceRecordFactory(operation=operation, count=4, sex="")
    ArrestRecordFactory(operation=operation, count=1)

    found = review.findings(open_return(operation))

    assert keys(found) == [("officers_cover_sessions", "error"), ("victims_by_sex", "error"),
                           ("suspects_cover_arrests", "warning")]
    assert "Officers trained (0) cannot be fewer than training sessions (1)" in found[0].message
    assert "by sex (0) must add up to the total (4)" in found[1].message


def test_an_error_refuses_the_submission_and_leaves_the_return_open():
    operation = OperationFactory()
    VictimAssistanceRecordFactory(operation=operation, count=4, sex="")
    country_return = open_return(operation)

    with pytest.raises(ValidationError) as refused:
        country_return_submit(actor=focal_point(operation), country_return=country_return,
                              warnings_reason="They are right.")

    assert "Correct the records before submitting" in refused.value.messages[0]
    country_return.refresh_from_db()
    assert country_return.state == "open" and country_return.submitted_at is None


def test_a_warning_needs_the_focal_points_reason_which_the_return_keeps():
    operation = OperationFactory()
    ArrestRecordFactory(operation=operation, count=5)
    country_return = open_return(operation)
    user = focal_point(operation)

    with pytest.raises(ValidationError) as refused:
        country_return_submit(actor=user, country_return=country_return, warnings_reason="  ")
    assert list(refused.value.message_dict) == ["warnings_reason"]
    country_return.refresh_from_db()
    assert country_return.state == "open"

    country_return_submit(actor=user, country_return=country_return,
                          warnings_reason="Five crew were arrested at sea before identification.")
    country_return.refresh_from_db()
    assert country_return.state == "submitted"
    assert country_return.warnings_reason.startswith("Five crew")


def test_the_return_page_lists_the_checks_and_the_secretariat_reads_the_reason(client):
    # given a warning, submitted with a reason
    operation = OperationFactory()
    ArrestRecordFactory(operation=operation, count=5)
    country_return = open_return(operation)
    user = focal_point(operation)
    url = reverse("reporting:return_detail",
                  args=[operation.joint_operation.slug, operation.country.code])
    client.force_login(user)
    page = client.get(url).content.decode()
    assert 'data-rule="suspects_cover_arrests"' in page
    assert 'name="warnings_reason"' in page

    # when the focal point submits without a reason, then with one
    submit = reverse("reporting:return_submit",
                     args=[operation.joint_operation.slug, operation.country.code])
    refused = client.post(submit, {"confirm": "on"})
    assert refused.status_code == 400
    assert "say why they are right" in refused.content.decode()
    client.post(submit, {"confirm": "on", "warnings_reason": "Arrested at sea."})

    # then the secretariat sees the same check and the reason, and may accept
    secretariat = UserFactory()
    Membership.objects.create(user=secretariat, agency=operation.lead_agency,
                              role=Role.SECRETARIAT)
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert 'data-rule="suspects_cover_arrests"' in page
    assert "Arrested at sea." in page
    country_return_accept(actor=secretariat, country_return=country_return)


def test_the_api_refuses_a_submission_without_the_reason_by_field():
    operation = OperationFactory()
    ArrestRecordFactory(operation=operation, count=5)
    open_return(operation)
    client = token_client(focal_point(operation).username)
    url = f"/api/v1/returns/{operation.joint_operation.slug}/{operation.country.code}/submit/"

    refused = client.post(url, {}, format="json")
    accepted = client.post(url, {"warnings_reason": "Arrested at sea."}, format="json")

    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["warnings_reason"]
    assert accepted.status_code == 200
    assert accepted.json()["warnings_reason"] == "Arrested at sea."


def test_records_confirmed_as_unusually_large_are_noted_for_the_reviewers_not_asked_again():
    # given two victim records, one saved with the officer's reason for its unusual size
    operation = OperationFactory()
    VictimAssistanceRecordFactory(operation=operation, count=3)
    VictimAssistanceRecordFactory(operation=operation, count=3, unusual_reason="one_rescue")
    country_return = open_return(operation)

    # then the review notes it, and the return is submitted without another reason
    found = review.findings(country_return)
    assert keys(found) == [("unusual_confirmed_victims-assisted", review.NOTE)]
    assert found[0].message.startswith("Trafficked persons assisted: 1 record was confirmed")
    country_return_submit(actor=focal_point(operation), country_return=country_return)
    country_return.refresh_from_db()
    assert country_return.state == "submitted"
