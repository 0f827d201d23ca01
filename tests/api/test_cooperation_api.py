"""Cross-border cooperation through the API: networks, joint investigations and their members,
notes, and the enquiries addressed to a country.

The membership matrix is the API half of tests/operations/test_investigations.py: Thailand
leads; Malaysia is a member, Indonesia invited, Australia declined, the Philippines joined and
left, Sri Lanka was never asked.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import services as cooperation
from cooperation.models import InvestigationNote, JointInvestigation, Network
from operations import models as om
from tests.cooperation import STATES, country, member, shared_investigation, user
from tests.counters import CASES


@pytest.fixture
def investigation(demo):
    return shared_investigation()


def url(name, *args) -> str:
    return reverse(f"api:{name}", args=args)


def member_url(investigation, code, verb) -> str:
    return reverse(f"api:investigation-member-{verb}", args=[investigation.pk, code])


# ---------------------------------------------------------------------------------------------
# The membership matrix
# ---------------------------------------------------------------------------------------------

# What each state sees: (investigation, listed, notes, shared record, network, add a note)
SEES = {
    "member": (200, True, 200, 200, 200, 201),
    "invited": (200, True, 404, 404, 404, 404),
    "declined": (404, False, 404, 404, 404, 404),
    "left": (404, False, 404, 404, 404, 404),
    "non-member": (404, False, 404, 404, 404, 404),
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("role", ["officer", "focal"])
def test_what_each_membership_state_sees(api, investigation, state, role):
    code = STATES[state]
    client = api(f"{role}.{code.lower()}")
    page, listed, notes, record, network, note = SEES[state]

    response = client.get(url("investigation-detail", investigation.pk))
    assert response.status_code == page
    if page == 200:
        assert response.json()["is_member"] is (state == "member")
        assert response.json()["network_name"] == "Andaman fishing crews"
    ids = [i["id"] for i in client.get(url("investigation-list")).json()["results"]]
    assert (investigation.pk in ids) is listed
    response = client.get(url("investigation-note-list", investigation.pk))
    assert response.status_code == notes
    assert ("Vessel seen at Port Klang" in response.content.decode()) is (notes == 200)
    assert client.get(url("arrests-detail", investigation.thai_record.pk)).status_code == record
    assert client.get(url("network-detail", investigation.network_id)).status_code == network
    network_ids = [n["id"] for n in client.get(url("network-list")).json()["results"]]
    assert (investigation.network_id in network_ids) is (network == 200)
    response = client.post(url("investigation-note-list", investigation.pk),
                           {"text": f"From {code} {role}"}, format="json")
    assert response.status_code == note
    assert InvestigationNote.objects.filter(text=f"From {code} {role}").exists() is (note == 201)
    CASES["joint investigation matrix (API)"] += 8


# What each state may change for its own country: (accept, decline, leave, invite, close).
# An officer never speaks for the country (403 where the investigation is visible).
CHANGES = {
    "member": {"focal": (409, 409, 200, 403, 403), "officer": (403, 403, 403, 403, 403)},
    "invited": {"focal": (200, 200, 409, 403, 403), "officer": (403, 403, 403, 403, 403)},
    "declined": {"focal": (404,) * 5, "officer": (404,) * 5},
    "left": {"focal": (404,) * 5, "officer": (404,) * 5},
    "non-member": {"focal": (404,) * 5, "officer": (404,) * 5},
}
AFTER = {"accept": "accepted", "decline": "declined", "leave": "left"}


VERBS = ["accept", "decline", "leave", "invite", "close"]


def _states(investigation) -> dict:
    return {m.country.code: m.state for m in investigation.members.select_related("country")}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("role", ["officer", "focal"])
def test_what_each_membership_state_may_change(api, investigation, state, role):
    code = STATES[state]
    client = api(f"{role}.{code.lower()}")
    before = _states(investigation)

    for verb, expected in zip(VERBS, CHANGES[state][role], strict=True):
        with transaction.atomic():  # each change tried on the same investigation
            if verb in AFTER:
                # Sri Lanka has no place in it: its "member" is as missing as the rest.
                response = client.post(member_url(investigation, code, verb))
            elif verb == "invite":
                response = client.post(url("investigation-invite", investigation.pk),
                                       {"country": "VNM"}, format="json")
            else:
                response = client.post(url("investigation-close", investigation.pk))

            assert response.status_code == expected, (verb, response.content)
            if expected == 200:
                assert response.json()["state"] == AFTER[verb]
                assert _states(investigation) == {**before, code: AFTER[verb]}
            else:
                assert _states(investigation) == before
                assert JointInvestigation.objects.get(pk=investigation.pk).status == "active"
                assert response.json()["error"]["code"] in (
                    "permission_denied", "not_found", "wrong_state")
            transaction.set_rollback(True)
        CASES["joint investigation matrix (API)"] += 1


def test_the_lead_invites_and_closes_and_cannot_leave(api, investigation):
    client = api("focal.tha")

    lead_leaves = client.post(member_url(investigation, "THA", "leave"))
    assert lead_leaves.status_code == 409
    assert "The lead country cannot leave" in lead_leaves.json()["error"]["message"]

    invited = client.post(url("investigation-invite", investigation.pk), {"country": "vnm"},
                          format="json")
    assert invited.status_code == 200, invited.json()
    assert {"country": "VNM", "state": "invited"}.items() <= next(
        m for m in invited.json()["members"] if m["country"] == "VNM").items()
    again = client.post(url("investigation-invite", investigation.pk), {"country": "MYS"},
                        format="json")
    assert again.status_code == 400
    assert "country" in again.json()["error"]["fields"]

    closed = client.post(url("investigation-close", investigation.pk))
    assert closed.json()["status"] == "closed"
    assert member(investigation, "VNM").state == "declined"  # open invitations lapse
    note = api("officer.mys").post(url("investigation-note-list", investigation.pk),
                                   {"text": "Too late"}, format="json")
    assert note.status_code == 400
    assert "text" in note.json()["error"]["fields"]


def test_leaving_revokes_api_access_at_once_and_rejoining_restores_it(api, investigation):
    officer = api("officer.mys")
    record = url("arrests-detail", investigation.thai_record.pk)
    notes = url("investigation-note-list", investigation.pk)
    assert officer.get(record).status_code == 200
    assert officer.get(notes).status_code == 200

    # Malaysia's focal point takes the country out through the API...
    left = api("focal.mys").post(member_url(investigation, "MYS", "leave"))
    assert left.status_code == 200 and left.json()["state"] == "left"

    # ...and the officer's very next request (same token) is refused
    assert officer.get(record).status_code == 404
    assert officer.get(notes).status_code == 404
    assert officer.get(url("investigation-detail", investigation.pk)).status_code == 404
    assert investigation.pk not in [
        i["id"] for i in officer.get(url("investigation-list")).json()["results"]]
    assert officer.post(notes, {"text": "Still here?"}, format="json").status_code == 404

    # Thailand invites Malaysia again: invited, it sees the investigation but not what is shared
    api("focal.tha").post(url("investigation-invite", investigation.pk), {"country": "MYS"},
                          format="json")
    assert officer.get(url("investigation-detail", investigation.pk)).status_code == 200
    assert officer.get(notes).status_code == 404
    accepted = api("focal.mys").post(member_url(investigation, "MYS", "accept"))
    assert accepted.json()["state"] == "accepted"
    assert officer.get(record).status_code == 200
    assert officer.get(notes).status_code == 200


# ---------------------------------------------------------------------------------------------
# Proposing
# ---------------------------------------------------------------------------------------------


def proposal(network_id, **changes) -> dict:
    return {"title": "Operation Mekong", "network": network_id, "starts_on": "2015-10-01",
            "ends_on": "2015-12-31", "invited": ["MYS", "IDN"], "purpose": "Follow the money.",
            **changes}


def test_a_focal_point_proposes_and_the_lead_is_a_member_at_once(api, investigation):
    client = api("focal.tha")

    response = client.post(url("investigation-list"), proposal(
        investigation.network_id, status="closed", proposed_by="admin", lead_country="tha",
        members=[{"country": "LKA", "state": "accepted"}]), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == url("investigation-detail", body["id"])
    assert (body["status"], body["proposed_by"], body["lead_country"]) == (
        "proposed", "focal.tha", "THA")
    assert {m["country"]: m["state"] for m in body["members"]} == {
        "THA": "accepted", "MYS": "invited", "IDN": "invited"}
    assert body["is_member"] is True
    assert api("officer.tha").get(url("investigation-note-list", body["id"])).status_code == 200


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_on": "2015-09-01"}, "ends_on"),
    ({"invited": ["THA"]}, "invited"),  # only the lead: not joint
    ({"invited": ["ZZZ"]}, "invited"),
    ({"title": ""}, "title"),
    ({"lead_country": "MYS"}, "lead_country"),  # not the caller's country
    ({"proposed_by_id": 1}, "proposed_by_id"),
])
def test_a_refused_proposal_names_the_field_and_saves_nothing(api, investigation, changes,
                                                               field):
    response = api("focal.tha").post(url("investigation-list"),
                                     proposal(investigation.network_id, **changes), format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert JointInvestigation.objects.count() == 1


def test_a_network_the_country_does_not_know_cannot_be_investigated(api, investigation):
    hidden = cooperation.network_create(actor=user("focal.aus"), registered_by=country("AUS"),
                                        data={"name": "Hidden", "crime_types": ["smuggling"]},
                                        countries_active=[])

    response = api("focal.tha").post(url("investigation-list"), proposal(hidden.pk),
                                     format="json")

    assert response.status_code == 400
    assert "network" in response.json()["error"]["fields"]


def test_an_officer_does_not_propose(api, investigation):
    response = api("officer.tha").post(url("investigation-list"),
                                       proposal(investigation.network_id), format="json")
    assert response.status_code == 403
    assert JointInvestigation.objects.count() == 1


def test_the_same_proposal_with_the_same_key_creates_one_investigation(api, investigation):
    client, key = api("focal.tha"), str(uuid.uuid4())

    first = client.post(url("investigation-list"), proposal(investigation.network_id),
                        format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(url("investigation-list"), proposal(investigation.network_id),
                         format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert JointInvestigation.objects.count() == 2


# ---------------------------------------------------------------------------------------------
# Notes
# ---------------------------------------------------------------------------------------------


def test_a_note_is_written_by_the_caller_for_their_country_whatever_is_sent(api, investigation):
    response = api("officer.mys").post(url("investigation-note-list", investigation.pk), {
        "text": "Crew list obtained.", "country": "THA", "author": "focal.tha", "id": 1,
        "created_at": "2001-01-01T00:00:00Z"}, format="json")

    assert response.status_code == 201, response.json()
    note = InvestigationNote.objects.get(pk=response.json()["id"])
    assert (note.country.code, note.author.username) == ("MYS", "officer.mys")
    assert note.created_at.year > 2001
    listed = api("officer.tha").get(url("investigation-note-list", investigation.pk)).json()
    assert [n["text"] for n in listed["results"]][:2] == [
        "Crew list obtained.", "Vessel seen at Port Klang on 12 October."]


def test_a_note_field_the_api_does_not_have_is_refused(api, investigation):
    response = api("officer.mys").post(url("investigation-note-list", investigation.pk),
                                       {"text": "x", "investigation_id": 99}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"investigation_id"}


# ---------------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------------


def network_body(**changes) -> dict:
    return {"name": "Mekong brokers", "aliases": ["River men"], "countries_active": ["tha", "MMR"],
            "crime_types": ["smuggling"], "sectors": ["agriculture"], "status": "active",
            "modus_operandi": "Brokers at border crossings.", **changes}


def test_an_officer_registers_a_network_for_their_own_country_only(api, demo):
    client = api("officer.tha")
    before = Network.objects.count()

    response = client.post(url("network-list"), network_body(
        created_by="admin", shared_with=["AUS"]), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["registered_by"], body["created_by"], body["shared_with"]) == (
        "THA", "officer.tha", [])
    assert sorted(body["countries_active"]) == ["MMR", "THA"]
    assert response["Location"] == url("network-detail", body["id"])
    # another country's name is not theirs to register for; nor is an unknown crime type
    other = client.post(url("network-list"), network_body(registered_by="AUS"), format="json")
    assert other.status_code == 400 and "registered_by" in other.json()["error"]["fields"]
    bad = client.post(url("network-list"), network_body(crime_types=["piracy"]), format="json")
    assert bad.status_code == 400 and "crime_types.0" in bad.json()["error"]["fields"]
    assert Network.objects.count() == before + 1


@pytest.mark.parametrize("username", ["cochair.nzl", "secretariat"])
def test_who_follows_aggregates_registers_no_network(api, demo, username):
    before = Network.objects.count()
    response = api(username).post(url("network-list"), network_body(), format="json")
    assert response.status_code == 403
    assert Network.objects.count() == before


def test_the_registering_country_changes_a_network_and_gives_it(api, investigation):
    network = url("network-detail", investigation.network_id)

    # Thailand's officer updates it; the registering country stays whatever is sent
    changed = api("officer.tha").patch(network, {"status": "disrupted", "registered_by": "MYS",
                                                 "aliases": ["Blue boats"]}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["status"], changed.json()["registered_by"], changed.json()["aliases"]
            ) == ("disrupted", "THA", ["Blue boats"])
    replaced = api("officer.tha").put(network, network_body(name="Andaman crews"), format="json")
    assert replaced.status_code == 200, replaced.json()
    assert Network.objects.get(pk=investigation.network_id).name == "Andaman crews"

    # Malaysia sees it (a member of the investigation) but does not change it, nor give it
    assert api("focal.mys").patch(network, {"status": "dismantled"}, format="json"
                                  ).status_code == 403
    give = url("network-give", investigation.network_id)
    assert api("focal.mys").post(give, {"country": "AUS"}, format="json").status_code == 403
    assert api("officer.tha").post(give, {"country": "AUS"}, format="json").status_code == 403
    assert api("officer.aus").get(network).status_code == 404

    # Thailand's focal point gives it to Australia, which sees it from now on
    given = api("focal.tha").post(give, {"country": "AUS"}, format="json")
    assert given.status_code == 200 and given.json()["shared_with"] == ["AUS"]
    assert api("officer.aus").get(network).status_code == 200
    assert api("officer.aus").patch(network, {"status": "active"}, format="json"
                                    ).status_code == 403
    assert Network.objects.get(pk=investigation.network_id).status == "active"
    assert api("focal.tha").post(give, {"country": "THA"}, format="json").status_code == 400


# ---------------------------------------------------------------------------------------------
# Enquiries addressed to the caller's country
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def enquiry_to_thailand(demo):
    return om.EnquiryRecord.objects.filter(counterpart__code="THA", answered_on__isnull=True
                                           ).exclude(country__code="THA").order_by("pk").first()


def test_the_addressee_lists_and_answers_the_enquiries_sent_to_it(api, enquiry_to_thailand):
    enquiry = enquiry_to_thailand
    client = api("officer.tha")
    listed = client.get(url("incoming-enquiry-list")).json()["results"]
    assert enquiry.pk in [e["id"] for e in listed]
    assert {e["counterpart"] for e in listed} == {"THA"}
    assert all(e["answered_on"] is None for e in listed[:1])  # unanswered first

    answered_on = (enquiry.occurred_on + dt.timedelta(days=3)).isoformat()
    response = client.post(url("incoming-enquiry-answer", enquiry.pk),
                           {"answered_on": answered_on, "version": enquiry.version},
                           format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["answered_on"] == answered_on
    assert response.json()["version"] == enquiry.version + 1
    # the same version again: someone changed it since (409, with the enquiry as saved)
    stale = client.post(url("incoming-enquiry-answer", enquiry.pk),
                        {"answered_on": None, "version": enquiry.version}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["current"]["answered_on"] == answered_on


def test_an_answer_before_the_enquiry_was_sent_is_refused_on_its_field(api, enquiry_to_thailand):
    enquiry = enquiry_to_thailand
    response = api("focal.tha").post(url("incoming-enquiry-answer", enquiry.pk), {
        "answered_on": (enquiry.occurred_on - dt.timedelta(days=1)).isoformat(),
        "version": enquiry.version}, format="json")

    assert response.status_code == 400
    assert "answered_on" in response.json()["error"]["fields"]
    assert om.EnquiryRecord.objects.get(pk=enquiry.pk).answered_on is None


def test_the_sender_and_third_countries_do_not_answer_for_the_addressee(api, enquiry_to_thailand):
    enquiry = enquiry_to_thailand
    sender = get_user_model().objects.filter(
        memberships__agency__country=enquiry.country, memberships__role="officer").first()
    body = {"answered_on": enquiry.occurred_on.isoformat(), "version": enquiry.version}

    for username in (sender.username, "officer.lka", "secretariat"):
        client = api(username)
        assert client.post(url("incoming-enquiry-answer", enquiry.pk), body,
                           format="json").status_code == 404
        assert enquiry.pk not in [
            e["id"] for e in client.get(url("incoming-enquiry-list")).json()["results"]]
    assert om.EnquiryRecord.objects.get(pk=enquiry.pk).answered_on is None


# ---------------------------------------------------------------------------------------------
# Lists cost a constant number of queries
# ---------------------------------------------------------------------------------------------


def queries(client, address: str) -> int:
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def test_cooperation_lists_cost_the_same_queries_with_many_rows(api, investigation):
    client = api("focal.tha")
    lists = [url("network-list"), url("investigation-list"), url("incoming-enquiry-list"),
             url("investigation-note-list", investigation.pk)]
    few = {address: queries(client, address) for address in lists}

    focal = user("focal.tha")
    for i in range(15):
        network = cooperation.network_create(
            actor=focal, registered_by=country("THA"), countries_active=[country("MYS")],
            data={"name": f"Network {i}", "crime_types": ["smuggling"]})
        cooperation.network_give(actor=focal, network=network, country=country("AUS"))
        cooperation.investigation_propose(
            actor=focal, lead_country=country("THA"), network=network, title=f"Inv {i}",
            starts_on=dt.date(2015, 10, 1), ends_on=dt.date(2015, 11, 1), purpose="",
            invited=[country("MYS"), country("IDN")])
        cooperation.note_add(actor=focal, investigation=investigation, text=f"Note {i}")

    many = {address: queries(client, address) for address in lists}
    assert many == few
