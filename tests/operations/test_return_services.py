"""The country return workflow services: who may move a return, from which state, and the lock."""
import datetime as dt

import pghistory
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from countries.models import Agency
from operations import models as om
from operations.services import (
    ReturnLocked,
    country_return_accept,
    country_return_open,
    country_return_reopen,
    country_return_submit,
    record_create,
    record_delete,
    record_update,
)

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def thai_return() -> om.CountryReturn:
    return om.CountryReturn.objects.get(joint_operation__slug="jpoa-2015", country__code="THA")


def return_of(code) -> om.CountryReturn:
    return om.CountryReturn.objects.get(joint_operation__slug="jpoa-2015", country__code=code)


def events(country_return) -> list:
    return list(
        om.CountryReturnEvent.objects.filter(pgh_obj_id=country_return.pk)
        .select_related("pgh_context").order_by("pgh_id")
    )


def submit(actor, country_return):
    with pghistory.context(user=actor.pk):
        return country_return_submit(actor=actor, country_return=country_return)


def accept(actor, country_return):
    with pghistory.context(user=actor.pk):
        return country_return_accept(actor=actor, country_return=country_return)


def reopen(actor, country_return, reason):
    with pghistory.context(user=actor.pk):
        return country_return_reopen(actor=actor, country_return=country_return, reason=reason)


# ---------------------------------------------------------------------------------------------
# Submit
# ---------------------------------------------------------------------------------------------


def test_focal_point_submits_an_open_return(demo):
    # given Thailand's open return and its focal point
    focal = user("focal.tha")
    assert thai_return().state == om.CountryReturn.State.OPEN

    # when the focal point submits it
    returned = submit(focal, thai_return())

    # then it is submitted, by them, now
    saved = thai_return()
    assert returned.state == saved.state == om.CountryReturn.State.SUBMITTED
    assert saved.submitted_by == focal
    assert saved.submitted_at is not None
    assert saved.accepted_at is None and saved.accepted_by is None


@pytest.mark.parametrize("username", ["officer.tha", "officer2.tha", "focal.phl", "officer.aus",
                                      "secretariat", "cochair.nzl", "interpol"])
def test_only_the_countrys_focal_point_submits(demo, username):
    with pytest.raises(PermissionDenied):
        country_return_submit(actor=user(username), country_return=thai_return())
    assert thai_return().state == om.CountryReturn.State.OPEN


def test_a_submitted_return_cannot_be_submitted_again(demo):
    focal = user("focal.phl")
    with pytest.raises(ValidationError) as error:
        country_return_submit(actor=focal, country_return=return_of("PHL"))
    assert error.value.code == "wrong_state"
    assert not hasattr(error.value, "error_dict")  # not a field's error: the state's


def test_country_return_open_creates_the_row_once(demo):
    # given a country with an operation and (for this test) no return row yet
    tha = thai_return()
    om.CountryReturn.objects.filter(pk=tha.pk).delete()

    first = country_return_open(joint_operation_id=tha.joint_operation_id, country_id=tha.country_id)
    second = country_return_open(joint_operation_id=tha.joint_operation_id, country_id=tha.country_id)

    assert first.pk == second.pk
    assert first.state == om.CountryReturn.State.OPEN


# ---------------------------------------------------------------------------------------------
# Accept
# ---------------------------------------------------------------------------------------------


def test_secretariat_accepts_a_submitted_return(demo):
    secretariat = user("secretariat")

    accepted = accept(secretariat, return_of("PHL"))

    saved = return_of("PHL")
    assert accepted.state == saved.state == om.CountryReturn.State.ACCEPTED
    assert saved.accepted_by == secretariat and saved.accepted_at is not None
    assert saved.submitted_at is not None  # the submission stays on record


@pytest.mark.parametrize("code", ["THA", "AUS"])  # open, already accepted
def test_only_a_submitted_return_can_be_accepted(demo, code):
    before = return_of(code).state
    with pytest.raises(ValidationError) as error:
        country_return_accept(actor=user("secretariat"), country_return=return_of(code))
    assert error.value.code == "wrong_state"
    assert return_of(code).state == before


@pytest.mark.parametrize("username", ["focal.phl", "officer.phl", "cochair.nzl", "focal.tha"])
def test_only_the_secretariat_accepts(demo, username):
    with pytest.raises(PermissionDenied):
        country_return_accept(actor=user(username), country_return=return_of("PHL"))
    assert return_of("PHL").state == om.CountryReturn.State.SUBMITTED


# ---------------------------------------------------------------------------------------------
# Reopen
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["PHL", "AUS"])  # submitted, accepted
def test_secretariat_reopens_a_submitted_or_accepted_return_with_a_reason(demo, code):
    reopened = reopen(user("secretariat"), return_of(code), "  Arrest figures double-counted  ")

    saved = return_of(code)
    assert reopened.state == saved.state == om.CountryReturn.State.OPEN
    assert saved.reopen_reason == "Arrest figures double-counted"
    assert saved.submitted_at is None and saved.accepted_at is None


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reopening_needs_a_reason_on_the_reason_field(demo, reason):
    with pytest.raises(ValidationError) as error:
        country_return_reopen(actor=user("secretariat"), country_return=return_of("AUS"),
                              reason=reason)
    assert "reason" in error.value.message_dict
    assert return_of("AUS").state == om.CountryReturn.State.ACCEPTED


def test_an_open_return_cannot_be_reopened(demo):
    with pytest.raises(ValidationError) as error:
        country_return_reopen(actor=user("secretariat"), country_return=thai_return(),
                              reason="Why not")
    assert error.value.code == "wrong_state"


@pytest.mark.parametrize("username", ["focal.aus", "officer.aus", "cochair.nzl"])
def test_only_the_secretariat_reopens(demo, username):
    with pytest.raises(PermissionDenied):
        country_return_reopen(actor=user(username), country_return=return_of("AUS"), reason="x")
    assert return_of("AUS").state == om.CountryReturn.State.ACCEPTED


# ---------------------------------------------------------------------------------------------
# The lock on records
# ---------------------------------------------------------------------------------------------


def _arrest_data(agency):
    return {"agency": agency, "occurred_on": dt.date(2015, 10, 5), "count": 2,
            "crime_type": om.CrimeType.TRAFFICKING, "sector": om.Sector.FISHING}


def test_records_are_locked_after_submission_and_unlocked_by_reopening(demo):
    # given a Thai record and Thailand's submitted return
    officer, focal, secretariat = user("officer.tha"), user("focal.tha"), user("secretariat")
    rtp = Agency.objects.get(acronym="RTP")
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    record = om.ArrestRecord.objects.filter(country__code="THA", agency=rtp).order_by("pk").first()
    count_before = om.ArrestRecord.objects.filter(country__code="THA").count()
    submit(focal, thai_return())

    # then creating, changing and deleting the country's records is refused
    with pytest.raises(ReturnLocked):
        record_create(actor=officer, model=om.ArrestRecord, joint_operation=joint_operation,
                      data=_arrest_data(rtp))
    with pytest.raises(ReturnLocked):
        record_update(actor=officer, record=record, data={"count": 9}, version=record.version)
    with pytest.raises(ReturnLocked):
        record_delete(actor=focal, record=record, version=record.version)
    record.refresh_from_db()
    assert record.count != 9
    assert om.ArrestRecord.objects.filter(country__code="THA").count() == count_before

    # and still refused once accepted
    accept(secretariat, thai_return())
    with pytest.raises(ReturnLocked):
        record_create(actor=officer, model=om.ArrestRecord, joint_operation=joint_operation,
                      data=_arrest_data(rtp))

    # when the secretariat reopens it, the records can change again
    reopen(secretariat, thai_return(), "Late arrests from Songkhla")
    created = record_create(actor=officer, model=om.ArrestRecord,
                            joint_operation=joint_operation, data=_arrest_data(rtp))
    updated = record_update(actor=officer, record=record, data={"count": 9},
                            version=record.version)
    assert updated.count == 9
    record_delete(actor=focal, record=created, version=created.version)
    assert not om.ArrestRecord.objects.filter(pk=created.pk).exists()


def test_another_countrys_records_are_not_locked_by_a_submission(demo):
    submit(user("focal.tha"), thai_return())
    idn_agency = Agency.objects.filter(country__code="IDN").first()
    focal_idn = user("focal.idn")
    created = record_create(actor=focal_idn, model=om.ArrestRecord,
                            joint_operation=om.JointOperation.objects.get(slug="jpoa-2015"),
                            data=_arrest_data(idn_agency))
    assert created.country.code == "IDN"


# ---------------------------------------------------------------------------------------------
# The audit trail
# ---------------------------------------------------------------------------------------------


def test_every_transition_is_an_event_with_the_acting_user(demo):
    # given Thailand's open return and the events recorded so far
    focal, secretariat = user("focal.tha"), user("secretariat")
    country_return = thai_return()
    before = len(events(country_return))

    # when it is submitted, accepted, reopened and submitted again
    submit(focal, country_return)
    accept(secretariat, country_return)
    reopen(secretariat, country_return, "Victim figures need the NGO shelters' data")
    submit(focal, country_return)

    # then each step left one event: its state, and who did it in the event's context
    new = events(country_return)[before:]
    assert [(e.pgh_label, e.state, e.pgh_context.metadata["user"]) for e in new] == [
        ("update", "submitted", focal.pk),
        ("update", "accepted", secretariat.pk),
        ("update", "open", secretariat.pk),
        ("update", "submitted", focal.pk),
    ]
    assert new[2].reopen_reason == "Victim figures need the NGO shelters' data"


def test_a_refused_transition_leaves_no_event(demo):
    country_return = thai_return()
    before = len(events(country_return))
    with pytest.raises(PermissionDenied):
        submit(user("officer.tha"), country_return)
    with pytest.raises(ValidationError):
        reopen(user("secretariat"), country_return, "")
    assert len(events(country_return)) == before
