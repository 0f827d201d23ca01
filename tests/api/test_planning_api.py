"""Planning the next joint initiative through the API: planning meetings, nominations, the
partners' answers and the secretariat's conversion into a joint investigation.

The API half of tests/operations/test_planning.py, on the same world: Thailand nominates a
network it registered, with Malaysia, Indonesia and Australia as partners; Sri Lanka is not
involved. The demo's May 2016 meeting also has a Philippine nomination (Australia a partner,
not given the network) and a Sri Lankan one.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import planning
from cooperation import policies as cooperation_policies
from cooperation import services as cooperation
from cooperation.models import (
    JointInvestigation,
    Network,
    Nomination,
    NominationPartner,
    PlanningMeeting,
)
from operations.models import JointOperation
from tests.api.conftest import token_client
from tests.cooperation import country, user
from tests.planning import gulf_network, may_2016_meeting, thai_nomination


def url(name, *args) -> str:
    return reverse(f"api:{name}", args=args)


@pytest.fixture
def meeting(demo):
    return may_2016_meeting()


@pytest.fixture
def network(demo):
    return gulf_network()


@pytest.fixture
def nomination(meeting, network):
    return thai_nomination(meeting, network)


def answers(nomination) -> dict:
    return {p.country.code: p.answer
            for p in NominationPartner.objects.filter(nomination=nomination).select_related(
                "country")}


def nomination_body(at_meeting, of_network, **changes) -> dict:
    return {"meeting": at_meeting.pk, "network": of_network.pk, "partners": ["mys", "IDN"],
            "title": "Brokers at the ports", "purpose": "Who recruits the crews.", **changes}


def fields(response) -> set[str]:
    return set(response.json()["error"]["fields"])


# ---------------------------------------------------------------------------------------------
# Planning meetings
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["officer.tha", "focal.lka", "cochair.nzl", "secretariat",
                                      "admin"])
def test_every_member_reads_the_planning_meetings(api, meeting, username):
    client = api(username)

    listed = client.get(url("planning-meeting-list")).json()["results"]
    one = client.get(url("planning-meeting-detail", meeting.pk))

    assert [m["id"] for m in listed] == [meeting.pk]
    assert one.status_code == 200
    assert one.json() | {"created_at": None} == {
        "id": meeting.pk, "joint_operation": "jpoa-2016",
        "joint_operation_name": "Joint initiative 2016",
        "name": "Working Group planning meeting, May 2016", "held_on": "2016-05-18",
        "place": "Bangkok, Thailand", "created_at": None}
    assert client.get(url("planning-meeting-detail", 987654321)).status_code == 404
    assert client.get(url("planning-meeting-detail", "x")).status_code == 404


def test_without_a_membership_there_are_no_planning_meetings(api, meeting):
    get_user_model().objects.create_user("nobody", password="jpoa-demo-2015")
    client = token_client("nobody")

    assert client.get(url("planning-meeting-list")).json()["results"] == []
    assert client.get(url("planning-meeting-detail", meeting.pk)).status_code == 404
    assert client.get(url("nomination-list")).json()["results"] == []


def test_the_secretariat_sets_up_a_meeting_and_nothing_else_is_taken_from_the_body(api, demo):
    response = api("secretariat").post(url("planning-meeting-list"), {
        "joint_operation": "jpoa-2016", "name": "Colombo follow-up", "held_on": "2016-08-01",
        "place": "Colombo", "id": 1, "created_at": "2001-01-01T00:00:00Z",
        "created_by": "focal.tha"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == url("planning-meeting-detail", body["id"])
    meeting = PlanningMeeting.objects.get(pk=body["id"])
    assert (meeting.name, meeting.place, meeting.held_on) == (
        "Colombo follow-up", "Colombo", dt.date(2016, 8, 1))
    assert meeting.created_by == user("secretariat")
    assert meeting.created_at.year > 2001
    assert meeting.joint_operation == JointOperation.objects.get(slug="jpoa-2016")


@pytest.mark.parametrize("username", ["focal.tha", "officer.tha", "cochair.nzl"])
def test_only_the_secretariat_sets_up_meetings(api, demo, username):
    before = PlanningMeeting.objects.count()
    response = api(username).post(url("planning-meeting-list"), {
        "joint_operation": "jpoa-2016", "name": "Not mine to call", "held_on": "2016-08-01"},
        format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert PlanningMeeting.objects.count() == before


def test_a_refused_meeting_names_its_fields(api, demo):
    client = api("secretariat")
    before = PlanningMeeting.objects.count()

    empty = client.post(url("planning-meeting-list"), {"joint_operation": "no-such",
                                                      "name": "", "held_on": "soon"},
                        format="json")
    unknown = client.post(url("planning-meeting-list"), {
        "joint_operation": "jpoa-2016", "name": "x", "held_on": "2016-08-01",
        "created_by_id": 1}, format="json")

    assert empty.status_code == 400
    assert fields(empty) == {"joint_operation", "name", "held_on"}
    assert empty.json()["error"]["code"] == "invalid"
    assert unknown.status_code == 400 and fields(unknown) == {"created_by_id"}
    assert PlanningMeeting.objects.count() == before


# ---------------------------------------------------------------------------------------------
# Who sees a nomination, and what of it
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "sees"), [
    ("focal.tha", True), ("officer.tha", True), ("officer2.tha", True),  # nominating country
    ("focal.mys", True), ("officer.idn", True), ("officer.aus", True),  # partners
    ("secretariat", True), ("cochair.nzl", True), ("admin", True),
    ("officer.lka", False), ("focal.phl", False), ("interpol", False),  # not involved
])
def test_who_sees_a_nomination(api, nomination, username, sees):
    client = api(username)

    response = client.get(url("nomination-detail", nomination.pk))
    listed = [n["id"] for n in client.get(url("nomination-list")).json()["results"]]

    assert response.status_code == (200 if sees else 404)
    assert (nomination.pk in listed) is sees
    if not sees:
        assert response.json() == {"error": {"code": "not_found", "message": "Not found.",
                                             "fields": {}}}
        assert "Gulf of Thailand" not in response.content.decode()


def test_a_nomination_shows_its_partners_answers_and_status(api, nomination, network):
    body = api("focal.mys").get(url("nomination-detail", nomination.pk)).json()

    assert {key: body[key] for key in (
        "proposing_country", "title", "network", "network_name", "network_registered_by",
        "status", "investigation", "joint_operation", "meeting")} == {
        "proposing_country": "THA", "title": "Labour brokers on Gulf of Thailand vessels",
        "network": network.pk, "network_name": "Gulf of Thailand labour brokers",
        "network_registered_by": "THA", "status": "Awaiting the partners' answers",
        "investigation": None, "joint_operation": "jpoa-2016", "meeting": nomination.meeting_id}
    # partners by country name; only Malaysia's focal point may answer for Malaysia
    assert [(p["country"], p["answer"], p["can_answer"]) for p in body["partners"]] == [
        ("AUS", "pending", False), ("IDN", "pending", False), ("MYS", "pending", True)]


def test_a_network_is_named_only_to_those_who_see_it(api, meeting):
    # The Philippine network was not given to Australia, which is a partner in its nomination.
    nomination = Nomination.objects.get(meeting=meeting, proposing_country__code="PHL")
    for username, shown in (("officer.phl", True), ("officer.aus", False),
                            ("secretariat", False), ("cochair.lka", False)):
        client = api(username)
        one = client.get(url("nomination-detail", nomination.pk)).json()
        listed = next(n for n in client.get(url("nomination-list")).json()["results"]
                      if n["id"] == nomination.pk)
        for body in (one, listed):
            assert (body["network"] is not None) is shown, username
            assert (body["network_name"] == nomination.network.name) is shown, username
            assert body["network_registered_by"] == "PHL"
        if not shown:
            assert nomination.network.name not in client.get(
                url("nomination-list")).content.decode()


def test_nominations_filter_by_meeting_country_and_conversion(api, nomination):
    client = api("secretariat")

    def ids(query) -> set[int]:
        return {n["id"] for n in client.get(f"{url('nomination-list')}?{query}").json()["results"]}

    assert ids("proposing_country=tha") == {nomination.pk} | set(Nomination.objects.filter(
        proposing_country__code="THA").values_list("pk", flat=True))
    assert ids(f"meeting={nomination.meeting_id}") == set(
        Nomination.objects.values_list("pk", flat=True))
    assert ids("meeting=987654321") == set()
    assert ids("converted=true") == set()
    assert nomination.pk in ids("converted=false")


# ---------------------------------------------------------------------------------------------
# Nominating
# ---------------------------------------------------------------------------------------------


def test_a_focal_point_nominates_and_what_it_may_not_set_is_ignored(api, meeting, network):
    client = api("focal.tha")

    response = client.post(url("nomination-list"), nomination_body(
        meeting, network, give_network=True, id=1, status="Turned into a joint investigation",
        investigation=1, created_at="2001-01-01T00:00:00Z", converted_at="2001-01-02T00:00:00Z",
        network_name="Something else", joint_operation="jpoa-2015"), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == url("nomination-detail", body["id"])
    nomination = Nomination.objects.get(pk=body["id"])
    assert nomination.pk != 1 or Nomination.objects.count() == 1
    assert (nomination.proposing_country.code, nomination.nominated_by, nomination.meeting) == (
        "THA", user("focal.tha"), meeting)
    assert nomination.investigation is None and nomination.converted_at is None
    assert nomination.created_at.year > 2001
    assert (body["status"], body["investigation"], body["proposing_country"]) == (
        "Awaiting the partners' answers", None, "THA")
    assert answers(nomination) == {"MYS": "pending", "IDN": "pending"}
    # give_network: the partners see what they are asked to accept
    for code in ("MYS", "IDN"):
        assert cooperation_policies.sees_network(user(f"officer.{code.lower()}"), network.pk, Network)
    assert not cooperation_policies.sees_network(user("officer.aus"), network.pk, Network)
    assert api("officer.idn").get(url("nomination-detail", nomination.pk)).json()[
        "network_name"] == "Gulf of Thailand labour brokers"


def test_the_network_is_given_only_when_asked(api, meeting, network):
    response = api("focal.tha").post(url("nomination-list"), nomination_body(meeting, network),
                                     format="json")
    assert response.status_code == 201, response.json()
    assert not cooperation_policies.sees_network(user("officer.mys"), network.pk, Network)
    assert api("officer.mys").get(url("nomination-detail", response.json()["id"])).json()[
        "network"] is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"partners": []}, "partners"),
    ({"partners": ["THA"]}, "partners"),  # only the nominating country: not joint
    ({"partners": ["ZZZ"]}, "partners"),
    ({"proposing_country": "MYS"}, "proposing_country"),  # not the caller's country
    ({"meeting": 987654321}, "meeting"),
    ({"network": 987654321}, "network"),
    ({"nominated_by_id": 1}, "nominated_by_id"),
])
def test_a_refused_nomination_names_the_field_and_saves_nothing(api, meeting, network, changes,
                                                                field):
    before = Nomination.objects.count()

    response = api("focal.tha").post(url("nomination-list"),
                                     nomination_body(meeting, network, **changes), format="json")

    assert response.status_code == 400, response.json()
    assert field in fields(response)
    assert response.json()["error"]["code"] == "invalid"
    assert Nomination.objects.count() == before


def test_what_the_service_refuses_is_a_400_on_its_field(api, meeting, network):
    client = api("focal.tha")
    hidden = Network.objects.get(name="Live-streaming exploitation ring")  # Philippine

    unseen = client.post(url("nomination-list"), nomination_body(meeting, hidden), format="json")
    first = client.post(url("nomination-list"), nomination_body(meeting, network), format="json")
    twice = client.post(url("nomination-list"), nomination_body(meeting, network), format="json")
    # Malaysia sees the Thai network (given to it) but does not give it away
    given = Network.objects.get(name="Andaman Sea crew brokers")
    other_meeting = planning.meeting_create(
        actor=user("secretariat"), joint_operation=meeting.joint_operation, name="Follow-up",
        held_on=dt.date(2016, 8, 1))
    not_theirs = api("focal.mys").post(url("nomination-list"), nomination_body(
        other_meeting, given, partners=["AUS"], give_network=True), format="json")

    assert unseen.status_code == 400 and fields(unseen) == {"network"}
    assert hidden.name not in unseen.content.decode()
    assert first.status_code == 201
    assert twice.status_code == 400 and fields(twice) == {"network"}
    assert not_theirs.status_code == 400 and "give_network" in fields(not_theirs)
    assert Nomination.objects.filter(meeting__in=[meeting, other_meeting]).count() == 4


def test_a_country_not_taking_part_nominates_nothing(api, meeting):
    meeting.joint_operation.participations.filter(country__code="IDN").update(status="declined")
    network = Network.objects.get(name="Southern corridor boat organisers")  # Indonesian

    response = api("focal.idn").post(url("nomination-list"), nomination_body(
        meeting, network, partners=["AUS"]), format="json")

    assert response.status_code == 400
    assert fields(response) == {"proposing_country"}


@pytest.mark.parametrize("username", ["officer.tha", "secretariat", "cochair.nzl", "admin"])
def test_only_a_focal_point_nominates(api, meeting, network, username):
    before = Nomination.objects.count()
    response = api(username).post(url("nomination-list"), nomination_body(meeting, network),
                                  format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Nomination.objects.count() == before


def test_the_same_nomination_with_the_same_key_is_made_once(api, meeting, network):
    client, key = api("focal.tha"), str(uuid.uuid4())
    before = Nomination.objects.count()

    first = client.post(url("nomination-list"), nomination_body(meeting, network),
                        format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(url("nomination-list"), nomination_body(meeting, network),
                         format="json", HTTP_IDEMPOTENCY_KEY=key)
    reused = client.post(url("nomination-list"), nomination_body(meeting, network, title="Other"),
                         format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert second["Location"] == first["Location"]
    assert reused.status_code == 422
    assert Nomination.objects.count() == before + 1


def test_the_same_meeting_with_the_same_key_is_set_up_once(api, demo):
    client, key = api("secretariat"), str(uuid.uuid4())
    body = {"joint_operation": "jpoa-2016", "name": "Colombo follow-up", "held_on": "2016-08-01"}

    first = client.post(url("planning-meeting-list"), body, format="json",
                        HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(url("planning-meeting-list"), body, format="json",
                         HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert PlanningMeeting.objects.filter(name="Colombo follow-up").count() == 1


# ---------------------------------------------------------------------------------------------
# Answering
# ---------------------------------------------------------------------------------------------


def test_partner_focal_points_accept_and_decline_and_may_change_their_mind(api, nomination):
    answer = url("nomination-answer", nomination.pk)

    accepted = api("focal.mys").post(answer, {"answer": "accept"}, format="json")
    declined = api("focal.idn").post(answer, {"answer": "decline", "country": "idn"},
                                     format="json")

    assert accepted.status_code == 200, accepted.json()
    assert declined.status_code == 200, declined.json()
    assert answers(nomination) == {"MYS": "accepted", "IDN": "declined", "AUS": "pending"}
    assert declined.json()["status"] == (
        "Accepted by a partner: ready to become a joint investigation")
    mys = next(p for p in declined.json()["partners"] if p["country"] == "MYS")
    assert mys["answer"] == "accepted" and mys["answered_at"]
    changed = api("focal.mys").post(answer, {"answer": "decline", "country": "MYS"},
                                    format="json")
    assert changed.status_code == 200
    assert answers(nomination)["MYS"] == "declined"
    assert NominationPartner.objects.get(nomination=nomination, country__code="MYS"
                                         ).answered_by == user("focal.mys")


@pytest.mark.parametrize(("username", "body", "expected"), [
    ("officer.mys", {"answer": "accept"}, 403),  # sees it, does not speak for Malaysia
    ("focal.tha", {"answer": "accept"}, 403),  # the nominating country is no partner
    ("secretariat", {"answer": "accept"}, 403),
    ("cochair.nzl", {"answer": "accept", "country": "MYS"}, 403),
    ("focal.mys", {"answer": "accept", "country": "IDN"}, 403),  # another partner
    ("focal.lka", {"answer": "accept"}, 404),  # does not see the nomination
    ("focal.lka", {"answer": "accept", "country": "LKA"}, 404),
])
def test_who_may_not_answer(api, nomination, username, body, expected):
    response = api(username).post(url("nomination-answer", nomination.pk), body, format="json")

    assert response.status_code == expected, response.json()
    assert answers(nomination) == {"MYS": "pending", "IDN": "pending", "AUS": "pending"}


@pytest.mark.parametrize(("body", "field"), [
    ({"answer": "maybe"}, "answer"),
    ({}, "answer"),
    ({"answer": "accept", "country": "LKA"}, "country"),  # not a partner of this nomination
    ({"answer": "accept", "country": "ZZZ"}, "country"),
    ({"answer": "accept", "partner": 1}, "partner"),
])
def test_a_refused_answer_names_the_field(api, nomination, body, field):
    response = api("focal.mys").post(url("nomination-answer", nomination.pk), body,
                                     format="json")

    assert response.status_code == 400, response.json()
    assert field in fields(response)
    assert answers(nomination)["MYS"] == "pending"


def test_answering_an_invisible_or_missing_nomination_is_404(api, meeting):
    sri_lankan = Nomination.objects.get(meeting=meeting, proposing_country__code="LKA")
    client = api("focal.aus")
    for pk in (sri_lankan.pk, 987654321):
        assert client.post(url("nomination-answer", pk), {"answer": "accept"},
                           format="json").status_code == 404
        assert client.post(url("nomination-convert", pk), {}, format="json").status_code == 404


# ---------------------------------------------------------------------------------------------
# Converting
# ---------------------------------------------------------------------------------------------


def test_the_secretariat_turns_an_accepted_nomination_into_an_investigation(api, nomination,
                                                                            network):
    api("focal.mys").post(url("nomination-answer", nomination.pk), {"answer": "accept"},
                          format="json")
    api("focal.idn").post(url("nomination-answer", nomination.pk), {"answer": "decline"},
                          format="json")

    response = api("secretariat").post(url("nomination-convert", nomination.pk), {},
                                       format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "Turned into a joint investigation"
    assert response.json()["converted_at"]
    # the secretariat does not read the investigation itself
    assert response.json()["investigation"] is None
    investigation = JointInvestigation.objects.get(nomination=nomination)
    assert (investigation.lead_country.code, investigation.network, investigation.status) == (
        "THA", network, JointInvestigation.Status.ACTIVE)
    assert (investigation.starts_on, investigation.ends_on) == (dt.date(2016, 9, 26),
                                                                dt.date(2016, 10, 26))
    assert {m.country.code: m.state for m in investigation.members.select_related("country")
            } == {"THA": "accepted", "MYS": "accepted"}
    # the investigation is named to those who see it, and to nobody else
    for username, shown in (("officer.tha", True), ("officer.mys", True),
                            ("officer.idn", False), ("officer.aus", False),
                            ("cochair.nzl", False)):
        body = api(username).get(url("nomination-detail", nomination.pk)).json()
        assert body["investigation"] == (investigation.pk if shown else None), username
        assert all(not p["can_answer"] for p in body["partners"])
    # answers are closed once it is an investigation
    late = api("focal.aus").post(url("nomination-answer", nomination.pk), {"answer": "accept"},
                                 format="json")
    assert late.status_code == 400 and fields(late) == {"answer"}
    again = api("secretariat").post(url("nomination-convert", nomination.pk), {}, format="json")
    assert again.status_code == 400 and fields(again) == {"nomination"}
    assert JointInvestigation.objects.filter(nomination=nomination).count() == 1


def test_converting_with_a_period_of_its_own(api, nomination):
    planning.nomination_answer(actor=user("focal.aus"), partner=nomination.partners.get(
        country__code="AUS"), accept=True)

    response = api("admin").post(url("nomination-convert", nomination.pk), {
        "starts_on": "2016-10-01", "ends_on": "2016-12-31"}, format="json")

    assert response.status_code == 200, response.json()
    investigation = JointInvestigation.objects.get(nomination=nomination)
    assert (investigation.starts_on, investigation.ends_on) == (dt.date(2016, 10, 1),
                                                                dt.date(2016, 12, 31))
    assert response.json()["investigation"] == investigation.pk  # the administrator sees all


@pytest.mark.parametrize(("body", "field"), [
    ({"starts_on": "2016-10-01", "ends_on": "2016-09-01"}, "ends_on"),
    ({"ends_on": "2016-09-01"}, "ends_on"),  # before the joint initiative's start
    ({"starts_on": "2016-11-30"}, "starts_on"),  # after the joint initiative's end
    ({"starts_on": "soon"}, "starts_on"),
    ({"lead_country": "MYS"}, "lead_country"),
    ({"investigation": 5}, "investigation"),  # never set by a client
])
def test_a_refused_conversion_names_the_field(api, nomination, body, field):
    planning.nomination_answer(actor=user("focal.mys"), partner=nomination.partners.get(
        country__code="MYS"), accept=True)

    response = api("secretariat").post(url("nomination-convert", nomination.pk), body,
                                       format="json")

    assert response.status_code == 400, response.json()
    assert fields(response) == {field}
    assert not JointInvestigation.objects.exists()


def test_no_conversion_before_a_partner_accepts(api, nomination):
    response = api("secretariat").post(url("nomination-convert", nomination.pk), {},
                                       format="json")

    assert response.status_code == 400
    assert fields(response) == {"partners"}
    assert "No partner country has accepted yet" in response.json()["error"]["fields"][
        "partners"][0]


@pytest.mark.parametrize(("username", "expected"), [
    ("focal.tha", 403), ("focal.mys", 403), ("cochair.nzl", 403), ("officer.aus", 403),
    ("officer.lka", 404), ("focal.phl", 404),
])
def test_only_the_secretariat_converts(api, nomination, username, expected):
    planning.nomination_answer(actor=user("focal.mys"), partner=nomination.partners.get(
        country__code="MYS"), accept=True)

    response = api(username).post(url("nomination-convert", nomination.pk), {}, format="json")

    assert response.status_code == expected
    assert not JointInvestigation.objects.exists()


# ---------------------------------------------------------------------------------------------
# Lists cost a constant number of queries
# ---------------------------------------------------------------------------------------------


def queries(client, address: str) -> int:
    client.get(address)  # warms the process-wide caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["focal.tha", "officer.mys", "secretariat", "admin"])
def test_planning_lists_cost_the_same_queries_with_many_rows(api, nomination, username):
    # given one nomination turned into an investigation already
    planning.nomination_answer(actor=user("focal.mys"), partner=nomination.partners.get(
        country__code="MYS"), accept=True)
    planning.nomination_convert(actor=user("secretariat"), nomination=nomination)
    client = api(username)
    lists = [url("planning-meeting-list"), url("nomination-list")]
    few = {address: queries(client, address) for address in lists}

    # when there are many more meetings, networks and nominations with partners
    focal, secretariat = user("focal.tha"), user("secretariat")
    for i in range(12):
        meeting = planning.meeting_create(
            actor=secretariat, joint_operation=nomination.meeting.joint_operation,
            name=f"Meeting {i}", held_on=dt.date(2016, 6, 1) + dt.timedelta(days=i))
        network = cooperation.network_create(
            actor=focal, registered_by=country("THA"), countries_active=[],
            data={"name": f"Network {i}", "crime_types": ["smuggling"]})
        planning.nomination_create(
            actor=focal, meeting=meeting, proposing_country=country("THA"), network=network,
            partners=[country("MYS"), country("IDN"), country("AUS")], title=f"Nomination {i}",
            give_network=i % 2 == 0)

    # then each list costs what it cost with one row, and few at that
    many = {address: queries(client, address) for address in lists}
    assert many == few
    assert max(many.values()) <= 10, many
    assert len(client.get(url("nomination-list")).json()["results"]) > 12
