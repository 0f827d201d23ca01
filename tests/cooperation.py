"""One joint investigation in every membership state, shared by the page and API tests.

Thailand leads; Malaysia is a member, Indonesia invited, Australia declined, the Philippines
joined and left, Sri Lanka was never asked. Built on the demo data.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from cooperation import services as cooperation
from cooperation.models import InvestigationMember
from countries.models import Country
from operations import models as om

STATES = {"member": "MYS", "invited": "IDN", "declined": "AUS", "left": "PHL", "non-member": "LKA"}


def user(username):
    return get_user_model().objects.get(username=username)


def country(code):
    return Country.objects.get(code=code)


def member(investigation, code) -> InvestigationMember:
    return investigation.members.get(country__code=code)


def shared_investigation():
    focal = user("focal.tha")
    network = cooperation.network_create(
        actor=focal, registered_by=country("THA"),
        data={"name": "Andaman fishing crews", "crime_types": ["trafficking"],
              "sectors": ["fishing"], "modus_operandi": "Recruits crews with false contracts."},
        countries_active=[country("THA"), country("MYS")])
    inv = cooperation.investigation_propose(
        actor=focal, lead_country=country("THA"), network=network, title="Operation Andaman",
        starts_on=dt.date(2015, 10, 1), ends_on=dt.date(2016, 3, 31), purpose="",
        invited=[country(c) for c in ("MYS", "IDN", "AUS", "PHL")])
    cooperation.member_respond(actor=user("focal.mys"), member=member(inv, "MYS"), accept=True)
    cooperation.member_respond(actor=user("focal.aus"), member=member(inv, "AUS"), accept=False)
    cooperation.member_respond(actor=user("focal.phl"), member=member(inv, "PHL"), accept=True)
    cooperation.member_leave(actor=user("focal.phl"), member=member(inv, "PHL"))
    cooperation.note_add(actor=user("officer.mys"), investigation=inv,
                         text="Vessel seen at Port Klang on 12 October.")
    thai = om.ArrestRecord.objects.filter(country__code="THA").first()
    cooperation.record_attribute(actor=user("focal.tha"), record=thai, investigation=inv,
                                 version=thai.version)
    inv.thai_record = om.ArrestRecord.objects.get(pk=thai.pk)
    return inv
