"""Suspect, intelligence and investigation records linked to a network: only to a network the
user's country sees (an error naming the field otherwise), listed on the network's page to
those who read the record, and never named to a country that does not see the network."""
from __future__ import annotations

import pghistory.models
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from cooperation import services as cooperation
from cooperation.models import Network
from countries.models import Country
from operations import models as om
from operations.services import RecordConflict, record_share_create


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def thai_network(demo):
    network = cooperation.network_create(
        actor=user("focal.tha"), registered_by=Country.objects.get(code="THA"),
        data={"name": "Mekong border recruiters", "crime_types": ["trafficking"]},
        countries_active=[])
    cooperation.network_give(actor=user("focal.tha"), network=network,
                             country=Country.objects.get(code="MYS"))
    return network


@pytest.fixture
def suspects(demo):
    record = om.SuspectRecord.objects.filter(country__code="THA", agency__acronym="RTP"
                                             ).order_by("pk").last()
    om.SuspectRecord.objects.filter(pk=record.pk).update(network=None)  # whatever the demo did
    record.refresh_from_db()
    return record


def link(actor, record, network):
    return cooperation.record_network_link(actor=actor, record=record, network=network,
                                           version=record.version)


def network_page(client, username, network):
    client.force_login(user(username))
    return client.get(reverse("cooperation:network_detail", args=[network.pk]))


def record_url(record):
    slug = {om.SuspectRecord: "suspects", om.IntelligenceReport: "intelligence",
            om.InvestigationRecord: "investigations"}[type(record)]
    return reverse("operations:record_detail", args=[slug, record.pk])


@pytest.mark.parametrize("model", [om.SuspectRecord, om.IntelligenceReport,
                                   om.InvestigationRecord])
def test_each_record_type_links_and_is_listed_on_the_network_page(client, thai_network, model):
    record = model.objects.filter(country__code="THA").order_by("pk").last()
    linked = link(user("focal.tha"), record, thai_network)
    assert linked.network == thai_network and linked.version == record.version + 1
    page = network_page(client, "officer.tha", thai_network).content.decode()
    assert record_url(record) in page
    # Malaysia sees the network, but not Thailand's record
    page = network_page(client, "officer.mys", thai_network)
    assert page.status_code == 200
    assert record_url(record) not in page.content.decode()


def test_a_shared_record_is_listed_and_the_network_named_only_to_those_who_see_it(
        client, thai_network, suspects):
    link(user("officer.tha"), suspects, thai_network)
    record_share_create(actor=user("focal.tha"), record=suspects,
                        shared_with=Country.objects.get(code="MYS"), reason="Joint lead")
    record_share_create(actor=user("focal.tha"), record=suspects,
                        shared_with=Country.objects.get(code="AUS"), reason="Joint lead")
    # Malaysia reads the record and sees the network: both listed and named
    assert record_url(suspects) in network_page(client, "officer.mys", thai_network
                                                ).content.decode()
    client.force_login(user("officer.mys"))
    assert thai_network.name in client.get(record_url(suspects)).content.decode()
    # Australia reads the record but was never given the network: no name, no page
    client.force_login(user("officer.aus"))
    page = client.get(record_url(suspects)).content.decode()
    assert thai_network.name not in page
    assert "Linked to a network your country does not see." in page
    assert network_page(client, "officer.aus", thai_network).status_code == 404


def test_only_a_network_the_country_sees_and_the_error_names_the_field(client, suspects, demo):
    hidden = Network.objects.get(name="Live-streaming exploitation ring")  # Philippine, not given
    with pytest.raises(ValidationError) as error:
        link(user("focal.tha"), suspects, hidden)
    assert set(error.value.message_dict) == {"network"}
    client.force_login(user("focal.tha"))
    response = client.post(reverse("cooperation:record_network_link",
                                   args=["suspects", suspects.pk]),
                           {"network": hidden.pk, "version": suspects.version}, follow=True)
    page = response.content.decode()
    assert "Network:" in page and "valid choice" in page
    assert hidden.name not in page
    suspects.refresh_from_db()
    assert suspects.network_id is None
    # and the choice offered lists only networks Thailand sees
    page = client.get(record_url(suspects)).content.decode()
    assert "Andaman Sea crew brokers" in page and hidden.name not in page


def test_records_of_other_types_do_not_link(thai_network, demo):
    arrest = om.ArrestRecord.objects.filter(country__code="THA").first()
    with pytest.raises(ValidationError) as error:
        link(user("focal.tha"), arrest, thai_network)
    assert set(error.value.message_dict) == {"network"}


def test_who_may_link_and_stale_versions(client, thai_network, suspects):
    # an officer of another Thai agency reads the record but does not change it
    with pytest.raises(Http404):
        link(user("officer2.tha"), suspects, thai_network)
    client.force_login(user("officer.mys"))
    response = client.post(reverse("cooperation:record_network_link",
                                   args=["suspects", suspects.pk]),
                           {"network": thai_network.pk, "version": suspects.version})
    assert response.status_code == 404
    with pytest.raises(RecordConflict):
        cooperation.record_network_link(actor=user("officer.tha"), record=suspects,
                                        network=thai_network, version=suspects.version - 1)
    # through the page, then unlinking; both audited
    client.force_login(user("officer.tha"))
    url = reverse("cooperation:record_network_link", args=["suspects", suspects.pk])
    assert client.post(url, {"network": thai_network.pk, "version": suspects.version}
                       ).status_code == 302
    suspects.refresh_from_db()
    assert suspects.network == thai_network
    client.post(url, {"network": "", "version": suspects.version})
    suspects.refresh_from_db()
    assert suspects.network is None
    events = pghistory.models.Events.objects.references(suspects).filter(
        pgh_model="operations.SuspectRecordEvent").order_by("pgh_created_at", "pgh_id")
    assert [e.pgh_data["network_id"] for e in events][-2:] == [thai_network.pk, None]


def test_the_demo_links_thai_records_to_the_crew_brokers(client, demo):
    brokers = Network.objects.get(name="Andaman Sea crew brokers")
    page = network_page(client, "officer.tha", brokers).content.decode()
    assert page.count("/records/intelligence/") == 1 and page.count("/records/suspects/") == 1
    # Malaysia was given the network; it reads none of those Thai records
    page = network_page(client, "officer.mys", brokers).content.decode()
    assert "/records/intelligence/" not in page and "/records/suspects/" not in page


def test_the_admin_does_not_name_the_network_to_a_staff_reader_of_a_shared_record(
        client, thai_network, suspects):
    from django.contrib.auth.models import Permission

    link(user("officer.tha"), suspects, thai_network)
    record_share_create(actor=user("focal.tha"), record=suspects,
                        shared_with=Country.objects.get(code="AUS"), reason="Joint lead")
    staff = user("officer.aus")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_suspectrecord"))
    client.force_login(staff)

    page = client.get(reverse("admin:operations_suspectrecord_change", args=[suspects.pk]))

    assert page.status_code == 200
    assert thai_network.name not in page.content.decode()
