"""Structural rules: model validation names the field, and the database refuses the same data."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from operations import models as om
from tests.factories import (
    AgencyFactory,
    ArrestRecordFactory,
    CountryFactory,
    EnquiryRecordFactory,
    JointOperationFactory,
    OperationFactory,
    VictimAssistanceRecordFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected(record, field):
    """full_clean names ``field``; saving without validation hits a database constraint."""
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert field in error.value.message_dict, error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_valid_record_saves():
    record = ArrestRecordFactory.build(operation=OperationFactory())
    record.full_clean()
    record.save()
    assert om.ArrestRecord.objects.filter(pk=record.pk).exists()


def test_negative_count_is_rejected():
    record = ArrestRecordFactory.build(operation=OperationFactory(), count=-1)
    assert_rejected(record, "count")


def test_negative_officers_trained_is_rejected():
    operation = OperationFactory()
    record = om.TrainingSessionRecord(
        operation=operation, country=operation.country, agency=operation.lead_agency,
        occurred_on=operation.joint_operation.starts_on, police_trained=-5,
    )
    assert_rejected(record, "police_trained")


@pytest.mark.parametrize("day", [dt.date(2015, 9, 27), dt.date(2015, 10, 29)])
def test_date_outside_the_period_is_rejected(day):
    record = ArrestRecordFactory.build(operation=OperationFactory(), occurred_on=day)
    assert_rejected(record, "occurred_on")


@pytest.mark.parametrize("day", [dt.date(2015, 9, 28), dt.date(2015, 10, 28)])
def test_first_and_last_day_of_the_period_are_accepted(day):
    record = ArrestRecordFactory.build(operation=OperationFactory(), occurred_on=day)
    record.full_clean()
    record.save()


def test_agency_of_another_country_is_rejected():
    operation = OperationFactory()
    foreign_agency = AgencyFactory()
    record = ArrestRecordFactory.build(operation=operation, agency=foreign_agency)
    assert_rejected(record, "agency")


def test_country_other_than_the_operations_is_rejected():
    operation = OperationFactory()
    other = AgencyFactory()
    # Both country and agency point elsewhere: still refused, the operation decides the country.
    record = ArrestRecordFactory.build(operation=operation, country=other.country, agency=other)
    assert_rejected(record, "country")


def test_moving_a_saved_record_out_of_the_period_is_refused_by_the_database():
    record = ArrestRecordFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        om.ArrestRecord.objects.filter(pk=record.pk).update(occurred_on=dt.date(2016, 1, 1))
    record.refresh_from_db()
    assert record.occurred_on == dt.date(2015, 9, 28)


def test_one_country_return_per_country_and_joint_operation():
    operation = OperationFactory()
    om.CountryReturn.objects.create(joint_operation=operation.joint_operation, country=operation.country)
    duplicate = om.CountryReturn(joint_operation=operation.joint_operation, country=operation.country)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already has a return" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_lead_agency_must_belong_to_the_operations_country():
    operation = OperationFactory.build(
        joint_operation=JointOperationFactory(), lead_agency=AgencyFactory(), country=CountryFactory()
    )
    assert_rejected(operation, "lead_agency")


def test_period_must_not_end_before_it_starts():
    joint_operation = JointOperationFactory.build(starts_on=dt.date(2015, 10, 1), ends_on=dt.date(2015, 9, 1))
    with pytest.raises(ValidationError) as error:
        joint_operation.full_clean()
    assert "end on or after" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        joint_operation.save()


def test_enquiry_cannot_be_addressed_to_its_own_country():
    operation = OperationFactory()
    record = EnquiryRecordFactory.build(operation=operation, counterpart=operation.country)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "another country" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_enquiry_cannot_be_answered_before_it_was_sent():
    record = EnquiryRecordFactory.build(
        operation=OperationFactory(), counterpart=CountryFactory(),
        occurred_on=dt.date(2015, 10, 5), answered_on=dt.date(2015, 10, 1),
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "answered before" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_victim_nationality_must_be_an_alpha3_code():
    record = VictimAssistanceRecordFactory.build(operation=OperationFactory(), nationality="mm")
    assert_rejected(record, "nationality")


def test_victim_records_have_no_field_that_can_hold_a_name_or_identifier():
    free_text = []
    for field in om.VictimAssistanceRecord._meta.get_fields():
        if isinstance(field, models.TextField):
            free_text.append(field.name)
        elif isinstance(field, models.CharField) and not field.choices:
            # Only the three-letter nationality code is allowed, and the database enforces it.
            assert field.name == "nationality" and field.max_length == 3
    assert free_text == []
