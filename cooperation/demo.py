"""Cooperation's part of the 2015 demo: the networks identified for the next joint initiative,
records linked to them, and the May 2016 planning meeting's nominations (illustrative: none of
this is in the statement). Loaded through ``operations.demo.demo_loaded``."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from django.dispatch import receiver
from django.utils import timezone

from operations import models as om
from operations.demo import NEXT_SLUG, demo_loaded

from . import models as cm

# name, registered by, active in, given to, crime type, sectors, modus operandi
NETWORKS = [
    ("Andaman Sea crew brokers", "THA", ["THA", "MYS", "IDN"], ["MYS", "IDN"], "trafficking",
     ["fishing"], "Brokers recruit fishing crews with false contracts; documents are held and "
     "wages withheld at sea."),
    ("Southern corridor boat organisers", "IDN", ["IDN", "MYS", "AUS"], ["AUS"], "smuggling",
     [], "Organisers collect passengers in transit hubs and buy unseaworthy boats for the "
     "crossing."),
    ("Live-streaming exploitation ring", "PHL", ["PHL", "AUS"], [], "trafficking",
     ["online_child_exploitation"], "Paid live streams arranged through social media; "
     "payments through remittance agents."),
    ("Domestic worker placement agency", "LKA", ["LKA", "MDV", "MYS"], ["MDV"], "trafficking",
     ["domestic_work"], "Placement fees turned into debts; passports kept by the employer."),
]
# network, nominating country, title, {partner: answer}
NOMINATIONS = [
    ("Andaman Sea crew brokers", "THA", "Fishing crews recruited with false contracts",
     {"MYS": "accepted", "IDN": "pending"}),
    ("Live-streaming exploitation ring", "PHL", "Live-streaming ring: payments and viewers",
     {"AUS": "pending"}),
    ("Domestic worker placement agency", "LKA", "Placement agency debts and passports",
     {"MDV": "declined"}),
]


@receiver(demo_loaded, dispatch_uid="cooperation.demo")
def load_cooperation(*, countries, users, **kwargs) -> Counter[str]:
    created: Counter[str] = Counter()
    joint = om.JointOperation.objects.get(slug=NEXT_SLUG)
    networks = {}
    for name, code, active, given, crime, sectors, modus in NETWORKS:
        network, new = cm.Network.objects.get_or_create(
            name=name, registered_by=countries[code], defaults={
                "crime_types": [crime], "sectors": sectors, "modus_operandi": modus,
                "created_by": users[f"focal.{code.lower()}"]})
        if new:
            network.countries_active.set([countries[c] for c in active])
            network.shared_with.set([countries[c] for c in given])
        networks[name] = network
        created["networks"] += new
    # Thailand's intelligence and one suspect record are about the crew brokers.
    brokers = networks["Andaman Sea crew brokers"]
    for model in (om.IntelligenceReport, om.SuspectRecord):
        first = model.objects.filter(country=countries["THA"]).order_by("pk").first()
        if first is not None and first.network_id is None and not model.objects.filter(
                network=brokers).exists():
            model.objects.filter(pk=first.pk).update(network=brokers)
            created["records linked to networks"] += 1
    meeting, new = cm.PlanningMeeting.objects.get_or_create(
        joint_operation=joint, name="Working Group planning meeting, May 2016",
        defaults={"held_on": dt.date(2016, 5, 18), "place": "Bangkok, Thailand",
                  "created_by": users["secretariat"]})
    created["planning meetings"] += new
    for network_name, code, title, answers in NOMINATIONS:
        nomination, new = cm.Nomination.objects.get_or_create(
            meeting=meeting, network=networks[network_name], defaults={
                "proposing_country": countries[code], "title": title,
                "nominated_by": users[f"focal.{code.lower()}"]})
        created["nominations"] += new
        for partner, answer in answers.items():
            answered = answer != "pending"
            created["nomination partners"] += cm.NominationPartner.objects.get_or_create(
                nomination=nomination, country=countries[partner], defaults={
                    "answer": answer,
                    "answered_at": timezone.now() if answered else None,
                    "answered_by": users[f"focal.{partner.lower()}"] if answered else None})[1]
    return created
