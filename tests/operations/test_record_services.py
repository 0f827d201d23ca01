"""The record write services: every rule, access check, return lock and version check, per type."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from countries.models import Agency, Country
from operations import models as om
from operations import services
from operations.selectors import joint_operation_current

DAY = dt.date(2015, 10, 5)  # inside the 2015 period, 28 Sep to 28 Oct
DAY_BEFORE_START = dt.date(2015, 9, 27)
DAY_AFTER_END = dt.date(2015, 10, 29)

# Per type: the values a valid record is created with (besides date and agency), and an update.
# Agencies are given by acronym and countries by code; see resolve().
VALID: dict[type[om.OutcomeRecord], tuple[dict, dict]] = {
    om.ArrestRecord: (
        {"count": 3, "crime_type": "trafficking", "sector": "fishing"},
        {"count": 4, "crime_type": "smuggling", "sector": ""},
    ),
    om.SearchWarrantRecord: (
        {"count": 2, "crime_type": "smuggling", "sector": "farming"},
        {"count": 1, "crime_type": "trafficking", "sector": "agriculture"},
    ),
    om.SuspectRecord: (
        {"count": 5, "role": "recruiter", "crime_type": "trafficking", "sector": "fishing"},
        {"count": 6, "role": "financier", "crime_type": "smuggling", "sector": "domestic_work"},
    ),
    om.VictimAssistanceRecord: (
        {"count": 2, "sex": "female", "age_band": "12-17", "nationality": "MMR",
         "exploitation_type": "labour", "sector": "fishing"},
        {"count": 3, "sex": "male", "age_band": "25-39", "nationality": "KHM",
         "exploitation_type": "sexual", "sector": "beauty_services"},
    ),
    om.InvestigationRecord: (
        {"count": 1, "crime_type": "trafficking", "sector": "online_child_exploitation"},
        {"count": 2, "crime_type": "smuggling", "sector": "fishing"},
    ),
    om.EnquiryRecord: (
        {"count": 2, "counterpart": "MMR", "channel": "interpol_ncb", "crime_type": "trafficking",
         "answered_on": None},
        {"count": 3, "counterpart": "AUS", "channel": "liaison_officer",
         "crime_type": "smuggling", "answered_on": dt.date(2015, 10, 9)},
    ),
    om.AwarenessActivityRecord: (
        {"count": 2, "audience": "employers", "people_reached": 120, "sector": "fishing"},
        {"count": 1, "audience": "vulnerable_groups", "people_reached": None, "sector": ""},
    ),
    om.TrainingSessionRecord: (
        {"topic": "Victim identification", "police_trained": 12, "airport_trained": 0,
         "immigration_trained": 3, "compliance_trained": 0},
        {"topic": "Document fraud", "police_trained": 0, "airport_trained": 7,
         "immigration_trained": 0, "compliance_trained": 2},
    ),
    om.IntelligenceReport: (
        {"title": "Recruiters on fishing boats", "crime_type": "trafficking",
         "grading": "probable", "network_summary": "Three brokers (test data).",
         "modus_operandi": "False job offers; documents withheld (test data)."},
        {"title": "Brokers move to farms", "crime_type": "smuggling", "grading": "confirmed",
         "network_summary": "", "modus_operandi": "Debt bondage (test data)."},
    ),
}
MODELS = tuple(VALID)

# Rules every type has: (what is wrong, the changed values, the field the error must name).
COMMON_RULES = [
    ("date before the period", {"occurred_on": DAY_BEFORE_START}, "occurred_on"),
    ("date after the period", {"occurred_on": DAY_AFTER_END}, "occurred_on"),
    ("agency of another country", {"agency": "AFP"}, "agency"),
    ("another agency of the officer's own country", {"agency": "IMM"}, "agency"),
]
COUNT_ZERO = [("count 0", {"count": 0}, "count")]
TYPE_RULES: dict[type[om.OutcomeRecord], list[tuple[str, dict, str]]] = {
    om.ArrestRecord: [*COUNT_ZERO, ("unknown crime type", {"crime_type": "kidnap"}, "crime_type"),
                      ("unknown sector", {"sector": "mining"}, "sector")],
    om.SearchWarrantRecord: [*COUNT_ZERO,
                             ("unknown crime type", {"crime_type": "fraud"}, "crime_type")],
    om.SuspectRecord: [*COUNT_ZERO, ("unknown role", {"role": "boss"}, "role")],
    om.VictimAssistanceRecord: [
        *COUNT_ZERO,
        ("unknown sex", {"sex": "x"}, "sex"),
        ("unknown age band", {"age_band": "60+"}, "age_band"),
        ("unknown exploitation type", {"exploitation_type": "forced"}, "exploitation_type"),
        ("nationality in lower case", {"nationality": "mmr"}, "nationality"),
        ("nationality of two letters", {"nationality": "MM"}, "nationality"),
        ("nationality with a digit", {"nationality": "M1R"}, "nationality"),
        ("nationality spelt out", {"nationality": "Myanmar"}, "nationality"),
    ],
    om.InvestigationRecord: [*COUNT_ZERO,
                             ("unknown sector", {"sector": "space"}, "sector")],
    om.EnquiryRecord: [
        *COUNT_ZERO,
        ("unknown channel", {"channel": "fax"}, "channel"),
        ("counterpart is the record's own country", {"counterpart": "THA"}, "counterpart"),
        ("answered before it was sent",
         {"occurred_on": DAY, "answered_on": DAY - dt.timedelta(days=1)}, "answered_on"),
    ],
    om.AwarenessActivityRecord: [*COUNT_ZERO,
                                 ("unknown audience", {"audience": "students"}, "audience")],
    om.TrainingSessionRecord: [
        ("no officer trained", {"police_trained": 0, "airport_trained": 0,
                                "immigration_trained": 0, "compliance_trained": 0},
         "police_trained"),
    ],
    om.IntelligenceReport: [
        ("no title", {"title": ""}, "title"),
        ("no modus operandi", {"modus_operandi": ""}, "modus_operandi"),
        ("no crime type", {"crime_type": ""}, "crime_type"),
        ("unknown grading", {"grading": "rumour"}, "grading"),
    ],
}

by_type = pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)


def user(username: str):
    return get_user_model().objects.get(username=username)


def resolve(values: dict) -> dict:
    """Acronyms and codes in ``values`` replaced by the agency and country they name."""
    resolved = dict(values)
    if isinstance(resolved.get("agency"), str):
        resolved["agency"] = Agency.objects.get(acronym=resolved["agency"])
    if isinstance(resolved.get("counterpart"), str):
        resolved["counterpart"] = Country.objects.get(code=resolved["counterpart"])
    return resolved


def entry(model, *, agency: str = "RTP", **changes) -> dict:
    """Valid entered data of ``model`` for ``agency``, with ``changes`` applied."""
    return resolve({"occurred_on": DAY, "agency": agency, **VALID[model][0], **changes})


def events(model, record_pk: int, label: str | None = None):
    event_model = getattr(om, f"{model.__name__}Event")
    queryset = event_model.objects.filter(pgh_obj_id=record_pk)
    return queryset.filter(pgh_label=label) if label else queryset


def event_count(model) -> int:
    return getattr(om, f"{model.__name__}Event").objects.count()


def saved_values(record, names) -> dict:
    record.refresh_from_db()
    return {name: getattr(record, name) for name in names}


def model_exists(record) -> bool:
    return type(record).objects.filter(pk=record.pk).exists()


def create(model, actor="officer.tha", **changes):
    return services.record_create(
        actor=user(actor), model=model, joint_operation=joint_operation_current(),
        data=entry(model, **changes),
    )


# ---------------------------------------------------------------------------------------------
# Valid create, update, delete
# ---------------------------------------------------------------------------------------------


@by_type
def test_create_derives_country_and_operation_from_the_agency_and_is_audited(demo, model):
    # given
    officer = user("officer.tha")
    joint_operation = joint_operation_current()
    data = entry(model)

    # when
    record = services.record_create(
        actor=officer, model=model, joint_operation=joint_operation, data=dict(data)
    )

    # then
    saved = model.objects.get(pk=record.pk)
    assert saved.country.code == "THA"
    assert saved.operation == om.Operation.objects.get(
        joint_operation=joint_operation, country__code="THA")
    assert saved.created_by == officer
    assert saved.version == 1
    assert saved_values(saved, data) == data
    [insert] = events(model, record.pk, "insert")
    assert insert.version == 1 and insert.agency_id == data["agency"].pk


def test_focal_point_creates_for_any_agency_of_the_country(demo):
    record = create(om.ArrestRecord, actor="focal.tha", agency="DLPW")

    assert (record.agency.acronym, record.country.code) == ("DLPW", "THA")
    assert record.created_by == user("focal.tha")


def test_first_record_of_a_country_without_a_return_opens_it(demo):
    # given Thailand's return does not exist yet
    om.CountryReturn.objects.filter(country__code="THA").delete()

    # when
    record = create(om.ArrestRecord)

    # then
    assert model_exists(record)
    assert om.CountryReturn.objects.get(country__code="THA").state == om.CountryReturn.State.OPEN


@by_type
def test_update_saves_the_values_and_bumps_the_version(demo, model):
    # given
    record = create(model)
    changes = resolve({"occurred_on": DAY + dt.timedelta(days=2), **VALID[model][1]})

    # when
    updated = services.record_update(
        actor=user("officer.tha"), record=record, data=dict(changes), version=1
    )

    # then
    assert updated.version == 2
    assert saved_values(updated, [*changes, "version"]) == {**changes, "version": 2}
    assert updated.country.code == "THA" and updated.created_by == user("officer.tha")
    [update] = events(model, record.pk, "update")
    assert update.version == 2


@by_type
def test_delete_removes_the_record_and_is_audited(demo, model):
    # given
    record = create(model)

    # when
    services.record_delete(actor=user("officer.tha"), record=record, version=1)

    # then
    assert not model_exists(record)
    assert [e.pgh_label for e in events(model, record.pk).order_by("pgh_id")] == [
        "insert", "delete"]


# ---------------------------------------------------------------------------------------------
# Validation rules: each names its field, on create and on update, and writes nothing
# ---------------------------------------------------------------------------------------------


@by_type
def test_every_rule_refuses_create_and_update_naming_the_field(demo, model):
    # given a saved valid record and the state of the type's tables
    record = create(model)
    before = saved_values(record, [*entry(model), "version"])
    rows, audit_rows = model.objects.count(), event_count(model)
    officer = user("officer.tha")
    rules = [*COMMON_RULES, *TYPE_RULES[model]]
    failures = []

    for rule, changes, field in rules:
        # when the rule is broken on create, then on update
        for action in ("create", "update"):
            try:
                if action == "create":
                    services.record_create(
                        actor=officer, model=model, joint_operation=joint_operation_current(),
                        data=entry(model, **changes),
                    )
                else:
                    services.record_update(
                        actor=officer, record=record, data=resolve(changes), version=1
                    )
            except ValidationError as error:
                named = getattr(error, "error_dict", {})
                if field not in named:
                    failures.append(f"{action}, {rule}: error names {sorted(named)}, not {field}")
            else:
                failures.append(f"{action}, {rule}: accepted")

    # then every rule was refused, naming its field, and nothing was written
    assert not failures, "\n".join(failures)
    assert (model.objects.count(), event_count(model)) == (rows, audit_rows)
    assert saved_values(record, before) == before


def test_update_cannot_move_a_record_to_another_countrys_agency(demo):
    # given a Thai record, and an administrator who may enter records for any agency
    record = create(om.ArrestRecord)
    australian = Agency.objects.get(acronym="AFP")

    # when / then: even the administrator cannot move it out of Thailand
    for actor in ("focal.tha", "admin"):
        with pytest.raises(ValidationError) as error:
            services.record_update(actor=user(actor), record=record,
                                   data={"agency": australian}, version=1)
        assert "agency" in error.value.message_dict, actor
    # The administrator passes the agency check: the country rule itself refuses the move.
    assert "A record stays in its country" in error.value.message_dict["agency"][0]
    record.refresh_from_db()
    assert (record.agency.acronym, record.country.code, record.version) == ("RTP", "THA", 1)


def test_focal_point_may_move_a_record_to_another_agency_of_the_country(demo):
    record = create(om.ArrestRecord)

    updated = services.record_update(actor=user("focal.tha"), record=record,
                                     data={"agency": Agency.objects.get(acronym="DSI")}, version=1)

    record.refresh_from_db()
    assert (record.agency.acronym, record.version) == ("DSI", 2) == (updated.agency.acronym, 2)


# ---------------------------------------------------------------------------------------------
# Locked return: nothing changes once a return has left "open"
# ---------------------------------------------------------------------------------------------


def assert_locked(error) -> None:
    assert error.value.code == "return_locked"
    assert "reopen" in " ".join(error.value.messages)


@by_type
def test_submitted_return_refuses_create_update_and_delete(demo, model):
    # given officer.phl, whose country's return is submitted, and one of his agency's records
    officer = user("officer.phl")
    assert om.CountryReturn.objects.get(country__code="PHL").state == "submitted"
    record = model.objects.filter(country__code="PHL", agency__acronym="PNP").first()
    fields = [*VALID[model][1], "occurred_on", "agency_id", "version"]
    before = saved_values(record, fields)
    rows, audit_rows = model.objects.count(), event_count(model)

    # when / then
    with pytest.raises(services.ReturnLocked) as error:
        services.record_create(actor=officer, model=model,
                               joint_operation=joint_operation_current(),
                               data=entry(model, agency="PNP"))
    assert_locked(error)
    with pytest.raises(services.ReturnLocked) as error:
        services.record_update(actor=officer, record=record,
                               data=resolve(VALID[model][1]), version=record.version)
    assert_locked(error)
    with pytest.raises(services.ReturnLocked) as error:
        services.record_delete(actor=officer, record=record, version=record.version)
    assert_locked(error)

    # and nothing was written
    assert (model.objects.count(), event_count(model)) == (rows, audit_rows)
    assert saved_values(record, fields) == before


def test_accepted_return_is_locked_too_and_reopening_unlocks_it(demo):
    # given Australia's accepted return and one of officer.aus's records
    officer = user("officer.aus")
    record = om.ArrestRecord.objects.filter(country__code="AUS", agency__acronym="AFP").first()
    with pytest.raises(services.ReturnLocked):
        services.record_update(actor=officer, record=record, data={"count": 9},
                               version=record.version)

    # when the secretariat reopens it
    services.country_return_reopen(
        actor=user("secretariat"), reason="Late figures",
        country_return=om.CountryReturn.objects.get(country__code="AUS"),
    )

    # then the same update goes through
    updated = services.record_update(actor=officer, record=record, data={"count": 9},
                                     version=record.version)
    assert saved_values(updated, ["count"]) == {"count": 9}


# ---------------------------------------------------------------------------------------------
# Stale versions: a conflict, and nothing written
# ---------------------------------------------------------------------------------------------


@by_type
def test_stale_version_conflicts_on_update_and_delete_and_writes_nothing(demo, model):
    # given a record the focal point saved after the officer opened it (version 1 -> 2)
    record = create(model)
    theirs = resolve(VALID[model][1])
    services.record_update(actor=user("focal.tha"), record=record, data=dict(theirs), version=1)
    audit_rows = event_count(model)
    officer = user("officer.tha")

    # when the officer saves over version 1
    with pytest.raises(services.RecordConflict) as conflict:
        services.record_update(actor=officer, record=record,
                               data=resolve({**VALID[model][0], "occurred_on": DAY_AFTER_END
                                             - dt.timedelta(days=1)}), version=1)

    # then the conflict carries the saved row, which keeps the focal point's values
    assert conflict.value.current.pk == record.pk
    assert conflict.value.current.version == 2
    assert {n: getattr(conflict.value.current, n) for n in theirs} == theirs
    assert saved_values(record, [*theirs, "version"]) == {**theirs, "version": 2}

    # and deleting over version 1 conflicts as well
    with pytest.raises(services.RecordConflict) as conflict:
        services.record_delete(actor=officer, record=record, version=1)
    assert conflict.value.current.version == 2
    assert model_exists(record)
    assert event_count(model) == audit_rows


# ---------------------------------------------------------------------------------------------
# Who may change what
# ---------------------------------------------------------------------------------------------


def test_officer_of_another_agency_cannot_change_but_the_focal_point_can(demo):
    # given a record of officer.tha's agency (RTP)
    record = create(om.ArrestRecord)

    # when officer2.tha (IMM, same country) tries to update or delete it
    for attempt in (
        lambda: services.record_update(actor=user("officer2.tha"), record=record,
                                       data={"count": 8}, version=1),
        lambda: services.record_delete(actor=user("officer2.tha"), record=record, version=1),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    # then nothing changed, and the focal point may update it
    assert saved_values(record, ["count", "version"]) == {"count": 3, "version": 1}
    services.record_update(actor=user("focal.tha"), record=record, data={"count": 8}, version=1)
    assert saved_values(record, ["count", "version"]) == {"count": 8, "version": 2}
    services.record_delete(actor=user("focal.tha"), record=record, version=2)
    assert not model_exists(record)


@pytest.mark.parametrize("username", ["officer.aus", "focal.aus", "cochair.nzl", "secretariat"])
def test_another_countrys_record_cannot_be_changed(demo, username):
    record = create(om.ArrestRecord)

    with pytest.raises(PermissionDenied):
        services.record_update(actor=user(username), record=record, data={"count": 8}, version=1)
    with pytest.raises(PermissionDenied):
        services.record_delete(actor=user(username), record=record, version=1)

    assert saved_values(record, ["count", "version"]) == {"count": 3, "version": 1}


def test_officer_cannot_create_for_a_foreign_agency_even_with_an_open_return(demo):
    # Indonesia's return is open as well: only the agency check stands in the way.
    with pytest.raises(ValidationError) as error:
        create(om.ArrestRecord, agency="POLRI")

    assert "agency" in error.value.message_dict
    assert not om.ArrestRecord.objects.filter(country__code="IDN", created_by__username="officer.tha")
