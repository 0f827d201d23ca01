"""Joint investigations: what each kind of country sees and changes, leaving and rejoining, and
the audit trail. Thailand leads; Malaysia is a member, Indonesia invited, Australia declined,
the Philippines joined and left, Sri Lanka was never asked."""
from __future__ import annotations

import pghistory.models
import pytest
from django.urls import reverse

from cooperation import models as cm
from cooperation import services as cooperation
from cooperation.models import JointInvestigation, Network
from operations import models as om
from tests.cooperation import STATES, country, member, shared_investigation, user
from tests.counters import CASES


@pytest.fixture
def investigation(demo):
    return shared_investigation()


def detail(investigation):
    return reverse("cooperation:investigation_detail", args=[investigation.pk])


def record_url(record):
    return reverse("operations:record_detail", args=["arrests", record.pk])


# What each state sees and may do: (detail page, notes shown, shared record, may add a note)
EXPECTED = {
    "member": (200, True, 200, 302),
    "invited": (200, False, 404, 404),
    "declined": (404, False, 404, 404),
    "left": (404, False, 404, 404),
    "non-member": (404, False, 404, 404),
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("role", ["officer", "focal"])
def test_membership_matrix(client, investigation, state, role):
    code = STATES[state].lower()
    client.force_login(user(f"{role}.{code}"))
    page, notes, record, note = EXPECTED[state]

    response = client.get(detail(investigation))
    assert response.status_code == page
    html = response.content.decode()
    assert ("Vessel seen at Port Klang" in html) is notes
    assert (record_url(investigation.thai_record) in html) is notes
    assert client.get(record_url(investigation.thai_record)).status_code == record
    response = client.post(detail(investigation), {"text": "From " + code})
    assert response.status_code == note
    assert cm.InvestigationNote.objects.filter(text="From " + code).exists() is (note == 302)
    # the network: members see it through the investigation; the others do not
    network = reverse("cooperation:network_detail", args=[investigation.network_id])
    assert client.get(network).status_code == (200 if state == "member" else 404)
    CASES["joint investigation matrix"] += 5


def test_only_the_invited_focal_point_answers_and_only_a_member_leaves(client, investigation):
    invited = member(investigation, "IDN")
    answer = reverse("cooperation:member_respond", args=[invited.pk])

    client.force_login(user("officer.idn"))  # an officer does not speak for the country
    client.post(answer, {"answer": "accept"})
    assert member(investigation, "IDN").state == "invited"
    client.force_login(user("focal.lka"))  # another country cannot even see it
    assert client.post(answer, {"answer": "accept"}).status_code == 404

    client.force_login(user("focal.idn"))
    assert client.post(answer, {"answer": "accept"}).status_code == 302
    assert member(investigation, "IDN").state == "accepted"
    assert "Vessel seen at Port Klang" in client.get(detail(investigation)).content.decode()

    # the lead cannot leave; the message says why
    lead = member(investigation, "THA")
    client.force_login(user("focal.tha"))
    response = client.post(reverse("cooperation:member_leave", args=[lead.pk]), follow=True)
    assert "The lead country cannot leave" in response.content.decode()
    assert member(investigation, "THA").state == "accepted"


def test_leaving_revokes_access_at_once_and_rejoining_restores_it(client, investigation):
    malaysia = member(investigation, "MYS")
    client.force_login(user("officer.mys"))
    assert client.get(record_url(investigation.thai_record)).status_code == 200

    # Malaysia's focal point takes the country out...
    focal = client.__class__()
    focal.force_login(user("focal.mys"))
    focal.post(reverse("cooperation:member_leave", args=[malaysia.pk]))

    # ...and the officer's very next request is refused
    assert client.get(record_url(investigation.thai_record)).status_code == 404
    assert client.get(detail(investigation)).status_code == 404
    assert Network.objects.filter(pk=investigation.network_id).exists()

    # Thailand invites Malaysia again; once it accepts, access is back
    lead = client.__class__()
    lead.force_login(user("focal.tha"))
    lead.post(reverse("cooperation:member_invite", args=[investigation.pk]),
              {"country": country("MYS").pk})
    assert client.get(detail(investigation)).status_code == 200  # invited: may answer
    assert client.get(record_url(investigation.thai_record)).status_code == 404
    focal.post(reverse("cooperation:member_respond", args=[malaysia.pk]), {"answer": "accept"})
    assert client.get(record_url(investigation.thai_record)).status_code == 200


def test_every_membership_change_is_audited(investigation):
    events = pghistory.models.Events.objects.references(member(investigation, "PHL")).order_by(
        "pgh_created_at")
    states = [event.pgh_data["state"] for event in events]
    assert states == ["invited", "accepted", "left"]
    assert [event.pgh_data["changed_by_id"] for event in events] == [
        user("focal.tha").pk, user("focal.phl").pk, user("focal.phl").pk]


def test_a_record_is_attributed_only_to_an_investigation_of_its_country(investigation):
    # Sri Lanka is not a member: its focal point cannot attribute a record to it
    lankan = om.ArrestRecord.objects.filter(country__code="LKA").first()
    with pytest.raises(Exception) as refused:
        cooperation.record_attribute(actor=user("focal.lka"), record=lankan,
                                     investigation=investigation, version=lankan.version)
    assert type(refused.value).__name__ in ("PermissionDenied", "Http404")
    assert om.ArrestRecord.objects.get(pk=lankan.pk).joint_investigation_id is None


def test_proposing_needs_another_country_and_names_the_field(client, investigation):
    client.force_login(user("focal.tha"))
    response = client.post(reverse("cooperation:investigation_create"), {
        "title": "Solo", "network": investigation.network_id, "lead_country": country("THA").pk,
        "starts_on": "2015-10-01", "ends_on": "2015-09-01"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html  # invited
    assert "The period must end on or after its start date." in html
    assert JointInvestigation.objects.count() == 1

    # an officer does not propose
    client.force_login(user("officer.tha"))
    assert client.get(reverse("cooperation:investigation_create")).status_code == 404
