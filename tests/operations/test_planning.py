"""Planning the next joint initiative: countries nominate a network and partner countries,
partners accept or decline through their focal point, and the secretariat turns an accepted
nomination into a joint investigation whose members are the countries that accepted.

Thailand nominates a network it registered, with Malaysia (accepts), Indonesia (declines) and
Australia (does not answer); Sri Lanka is not involved."""
from __future__ import annotations

import datetime as dt

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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
from tests.cooperation import country, user
from tests.planning import gulf_network, may_2016_meeting, thai_nomination


@pytest.fixture
def meeting(demo):
    return may_2016_meeting()


@pytest.fixture
def network(demo):
    return gulf_network()


@pytest.fixture
def nomination(meeting, network):
    return thai_nomination(meeting, network)


def partner(nomination, code) -> NominationPartner:
    return nomination.partners.get(country__code=code)


def nomination_url(nomination):
    return reverse("cooperation:planning_nomination", args=[nomination.pk])


def test_nominating_names_partners_and_gives_them_the_network(nomination, network):
    assert {p.country.code: p.answer for p in nomination.partners.select_related("country")} == {
        "MYS": "pending", "IDN": "pending", "AUS": "pending"}
    # give_network: each partner now sees what it is asked to accept
    for code in ("MYS", "IDN", "AUS"):
        assert cooperation_policies.sees_network(user(f"officer.{code.lower()}"), network.pk, Network)
    assert not cooperation_policies.sees_network(user("officer.lka"), network.pk, Network)


def test_accept_decline_then_the_secretariat_converts(client, nomination, network):
    # given Malaysia accepts and Indonesia declines through their focal points; Australia is silent
    client.force_login(user("focal.mys"))
    response = client.post(reverse("cooperation:nomination_answer",
                                   args=[partner(nomination, "MYS").pk]), {"answer": "accept"})
    assert response.status_code == 302
    client.force_login(user("focal.idn"))
    client.post(reverse("cooperation:nomination_answer", args=[partner(nomination, "IDN").pk]),
                {"answer": "decline"})
    assert {p.country.code: p.answer for p in nomination.partners.select_related("country")} == {
        "MYS": "accepted", "IDN": "declined", "AUS": "pending"}

    # when the secretariat turns it into a joint investigation
    client.force_login(user("secretariat"))
    response = client.post(reverse("cooperation:nomination_convert", args=[nomination.pk]), {})
    assert response.status_code == 302

    # then Thailand leads it and its members are exactly the countries that accepted
    nomination.refresh_from_db()
    investigation = nomination.investigation
    assert investigation is not None
    assert investigation.lead_country.code == "THA"
    assert investigation.network == network
    assert investigation.status == JointInvestigation.Status.ACTIVE
    assert investigation.joint_operation.slug == "jpoa-2016"
    assert (investigation.starts_on, investigation.ends_on) == (dt.date(2016, 9, 26),
                                                                dt.date(2016, 10, 26))
    assert {m.country.code: m.state for m in investigation.members.select_related("country")} == {
        "THA": "accepted", "MYS": "accepted"}
    # membership is the same guardian grant as accepting an invitation
    assert cooperation_policies.is_investigation_member(user("officer.mys"), investigation)
    assert cooperation_policies.is_investigation_member(user("officer.tha"), investigation)
    for outsider in ("officer.idn", "officer.aus", "officer.lka"):
        assert not cooperation_policies.is_investigation_member(user(outsider), investigation)
    client.force_login(user("officer.mys"))
    assert client.get(reverse("cooperation:investigation_detail",
                              args=[investigation.pk])).status_code == 200
    client.force_login(user("officer.idn"))
    assert client.get(reverse("cooperation:investigation_detail",
                              args=[investigation.pk])).status_code == 404
    # the secretariat does not read the investigation itself (no record-level detail)
    client.force_login(user("secretariat"))
    assert client.get(reverse("cooperation:investigation_detail",
                              args=[investigation.pk])).status_code == 404


def test_a_member_from_planning_can_leave_like_any_member(nomination):
    planning.nomination_answer(actor=user("focal.mys"), partner=partner(nomination, "MYS"),
                               accept=True)
    investigation = planning.nomination_convert(actor=user("secretariat"), nomination=nomination)
    cooperation.member_leave(actor=user("focal.mys"),
                             member=investigation.members.get(country__code="MYS"))
    assert not cooperation_policies.is_investigation_member(user("officer.mys"), investigation)


@pytest.mark.parametrize(("username", "status"), [
    ("focal.tha", 200), ("officer.tha", 200), ("officer2.tha", 200),  # nominating country
    ("focal.mys", 200), ("officer.idn", 200), ("officer.aus", 200),  # partners
    ("secretariat", 200), ("cochair.nzl", 200), ("admin", 200),
    ("officer.lka", 404), ("focal.phl", 404), ("interpol", 404),  # not involved
])
def test_who_sees_a_nomination(client, nomination, username, status):
    client.force_login(user(username))
    assert client.get(nomination_url(nomination)).status_code == status
    meeting_page = client.get(reverse("cooperation:planning_meeting",
                                      args=[nomination.meeting_id])).content.decode()
    assert (f'data-nomination="{nomination.pk}"' in meeting_page) == (status == 200)


def test_a_network_is_named_only_to_those_who_see_it(client, meeting, demo):
    # The Philippine network was not given to Australia, which is a partner in its nomination.
    nomination = Nomination.objects.get(meeting=meeting, proposing_country__code="PHL")
    name = nomination.network.name
    for username, shown in (("officer.phl", True), ("officer.aus", False),
                            ("secretariat", False), ("cochair.lka", False)):
        client.force_login(user(username))
        for url in (nomination_url(nomination),
                    reverse("cooperation:planning_meeting", args=[meeting.pk])):
            response = client.get(url)
            assert response.status_code == 200
            assert (name in response.content.decode()) == shown, (username, url)


def test_non_involved_countries_cannot_answer_or_convert(client, nomination):
    mys = partner(nomination, "MYS")
    for username in ("focal.lka", "officer.mys", "focal.tha", "cochair.nzl"):
        client.force_login(user(username))
        response = client.post(reverse("cooperation:nomination_answer", args=[mys.pk]),
                               {"answer": "accept"})
        assert response.status_code == 404, username
    mys.refresh_from_db()
    assert mys.answer == "pending"
    planning.nomination_answer(actor=user("focal.mys"), partner=mys, accept=True)
    for username in ("focal.tha", "focal.mys", "cochair.nzl", "officer.lka"):
        client.force_login(user(username))
        assert client.post(reverse("cooperation:nomination_convert", args=[nomination.pk]),
                           {}).status_code == 404, username
    nomination.refresh_from_db()
    assert nomination.investigation is None
    with pytest.raises(PermissionDenied):
        planning.nomination_convert(actor=user("cochair.nzl"), nomination=nomination)


def test_bad_nominations_name_the_field(client, meeting, network, demo):
    client.force_login(user("focal.tha"))
    url = reverse("cooperation:planning_meeting", args=[meeting.pk])
    before = Nomination.objects.count()
    # no partner, no title
    response = client.post(url, {"proposing_country": country("THA").pk, "network": network.pk})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"partners", "title"}
    # a network Thailand does not see (the Philippine one, never given to it)
    hidden = Network.objects.get(name="Live-streaming exploitation ring")
    response = client.post(url, {"proposing_country": country("THA").pk, "network": hidden.pk,
                                 "title": "x", "partners": [country("MYS").pk]})
    assert response.status_code == 400
    assert "network" in response.context["form"].errors
    assert hidden.name not in response.content.decode()
    assert Nomination.objects.count() == before

    def refused(**overrides) -> set[str]:
        arguments = {"actor": user("focal.tha"), "meeting": meeting,
                     "proposing_country": country("THA"), "network": network,
                     "partners": [country("MYS")], "title": "A title"} | overrides
        with pytest.raises(ValidationError) as error:
            planning.nomination_create(**arguments)
        return set(error.value.message_dict)

    assert refused(network=hidden) == {"network"}
    assert refused(partners=[country("THA")]) == {"partners"}
    assert refused(title="  ") == {"title"}
    # Malaysia may see the Thai network (given to it) but does not give it away
    assert refused(actor=user("focal.mys"), proposing_country=country("MYS"),
                   network=Network.objects.get(name="Andaman Sea crew brokers"),
                   partners=[country("AUS")], give_network=True) >= {"give_network"}
    # a focal point nominates only for their own country
    with pytest.raises(PermissionDenied):
        planning.nomination_create(actor=user("focal.tha"), meeting=meeting,
                                   proposing_country=country("MYS"), network=network,
                                   partners=[country("AUS")], title="x")
    # a country that declined the next joint initiative nominates nothing for it
    meeting.joint_operation.participations.filter(country__code="IDN").update(status="declined")
    assert refused(actor=user("focal.idn"), proposing_country=country("IDN"),
                   network=Network.objects.get(name="Southern corridor boat organisers"),
                   partners=[country("AUS")]) == {"proposing_country"}
    planning.nomination_create(actor=user("focal.tha"), meeting=meeting,
                               proposing_country=country("THA"), network=network,
                               partners=[country("MYS")], title="First")
    assert refused() == {"network"}  # nominated once per meeting
    assert Nomination.objects.count() == before + 1


def test_converting_needs_an_acceptance_and_happens_once(client, nomination):
    client.force_login(user("secretariat"))
    response = client.post(reverse("cooperation:nomination_convert", args=[nomination.pk]), {})
    assert response.status_code == 400
    assert "No partner country has accepted yet" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        planning.nomination_convert(actor=user("secretariat"), nomination=nomination)
    assert set(error.value.message_dict) == {"partners"}
    planning.nomination_answer(actor=user("focal.aus"), partner=partner(nomination, "AUS"),
                               accept=True)
    response = client.post(reverse("cooperation:nomination_convert", args=[nomination.pk]),
                           {"starts_on": "2016-10-01", "ends_on": "2016-09-01"})
    assert response.status_code == 400
    assert "ends_on" in response.context["convert_form"].errors
    planning.nomination_convert(actor=user("secretariat"), nomination=nomination)
    with pytest.raises(ValidationError) as error:
        planning.nomination_convert(actor=user("secretariat"), nomination=nomination)
    assert set(error.value.message_dict) == {"nomination"}
    assert JointInvestigation.objects.filter(nomination=nomination).count() == 1
    # answers are closed once it is an investigation
    with pytest.raises(ValidationError) as error:
        planning.nomination_answer(actor=user("focal.idn"), partner=partner(nomination, "IDN"),
                                   accept=True)
    assert set(error.value.message_dict) == {"answer"}


def test_only_the_secretariat_sets_up_planning_meetings(client, demo):
    url = reverse("cooperation:planning_list")
    data = {"joint_operation": 0, "name": "", "held_on": ""}
    client.force_login(user("focal.tha"))
    assert client.post(url, data).status_code == 404
    client.force_login(user("secretariat"))
    response = client.post(url, data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"joint_operation", "name", "held_on"}
    from operations.models import JointOperation

    joint = JointOperation.objects.get(slug="jpoa-2016")
    response = client.post(url, {"joint_operation": joint.pk, "name": "Colombo follow-up",
                                 "held_on": "2016-08-01", "place": "Colombo"})
    assert response.status_code == 302
    assert PlanningMeeting.objects.filter(name="Colombo follow-up", created_by__username="secretariat"
                                          ).exists()


def test_every_planning_change_is_audited(nomination):
    planning.nomination_answer(actor=user("focal.mys"), partner=partner(nomination, "MYS"),
                               accept=True)
    planning.nomination_answer(actor=user("focal.mys"), partner=partner(nomination, "MYS"),
                               accept=False)
    planning.nomination_answer(actor=user("focal.mys"), partner=partner(nomination, "MYS"),
                               accept=True)
    investigation = planning.nomination_convert(actor=user("secretariat"), nomination=nomination)
    answers = [e.pgh_data["answer"] for e in pghistory.models.Events.objects.references(
        partner(nomination, "MYS")).filter(pgh_model="cooperation.NominationPartnerEvent"
                                           ).order_by("pgh_created_at", "pgh_id")]
    assert answers == ["pending", "accepted", "declined", "accepted"]
    nomination_events = pghistory.models.Events.objects.references(nomination).filter(
        pgh_model="cooperation.NominationEvent").order_by("pgh_created_at", "pgh_id")
    assert [e.pgh_label for e in nomination_events] == ["insert", "update"]
    assert nomination_events.last().pgh_data["investigation_id"] == investigation.pk
    assert nomination_events.last().pgh_data["converted_by_id"] == user("secretariat").pk
    member_events = pghistory.models.Events.objects.references(
        investigation.members.get(country__code="MYS")).filter(
        pgh_model="cooperation.InvestigationMemberEvent")
    assert [e.pgh_data["state"] for e in member_events] == ["accepted"]


def test_the_demo_has_nominations_in_different_states(meeting):
    statuses = {n.proposing_country.code: planning.nomination_status(n)
                for n in planning.nominations_for(user=user("secretariat"),
                                                  queryset=Nomination.objects.filter(meeting=meeting))}
    assert statuses == {
        "THA": "Accepted by a partner: ready to become a joint investigation",
        "PHL": "Awaiting the partners' answers",
        "LKA": "Declined by every partner",
    }
    assert not JointInvestigation.objects.exists()
