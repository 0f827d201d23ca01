"""A nomination at the demo's May 2016 planning meeting, shared by the page and API tests.

Thailand nominates a network it registered, with Malaysia, Indonesia and Australia as partners
and the network given to them; Sri Lanka is not involved. Built on the demo data.
"""
from __future__ import annotations

from cooperation import planning
from cooperation import services as cooperation
from cooperation.models import Network, Nomination, PlanningMeeting
from tests.cooperation import country, user


def may_2016_meeting() -> PlanningMeeting:
    return PlanningMeeting.objects.get(joint_operation__slug="jpoa-2016")


def gulf_network() -> Network:
    return cooperation.network_create(
        actor=user("focal.tha"), registered_by=country("THA"),
        data={"name": "Gulf of Thailand labour brokers", "crime_types": ["trafficking"],
              "sectors": ["fishing"]},
        countries_active=[country("THA"), country("MYS")])


def thai_nomination(meeting: PlanningMeeting, network: Network) -> Nomination:
    return planning.nomination_create(
        actor=user("focal.tha"), meeting=meeting, proposing_country=country("THA"),
        network=network, partners=[country(c) for c in ("MYS", "IDN", "AUS")],
        title="Labour brokers on Gulf of Thailand vessels", purpose="Follow the recruiters.",
        give_network=True)
