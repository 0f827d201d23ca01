"""A small world for access tests: the 2015 demo plus one share in each direction."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from countries.models import Country
from operations import models as om
from operations.demo import demo_load
from operations.services import record_share_create

MISSING_ID = 987654321


@dataclass
class World:
    users: dict  # role name -> user
    own: om.ArrestRecord  # a Thai record entered by officer.tha's agency (RTP)
    other: om.ArrestRecord  # an Australian record, never shared with Thailand
    shared_in: om.ArrestRecord  # an Australian record shared with Thailand
    own_share: om.RecordShare  # a Thai record shared with Australia


ROLE_USERNAMES = {
    "officer": "officer.tha",
    "officer_other_agency": "officer2.tha",
    "focal_point": "focal.tha",
    "officer_foreign": "officer.aus",
    "co_chair": "cochair.nzl",
    "secretariat": "secretariat",
    "admin": "admin",
}


def build_world(*, load_demo: bool = True) -> World:
    """The shares on top of the demo (loaded here unless ``load_demo`` is false: it is there)."""
    if load_demo:
        demo_load()
    User = get_user_model()
    users = {role: User.objects.get(username=name) for role, name in ROLE_USERNAMES.items()}
    users["no_membership"] = User.objects.create_user("nobody", password="jpoa-demo-2015")
    tha, aus = Country.objects.get(code="THA"), Country.objects.get(code="AUS")
    own = om.ArrestRecord.objects.filter(country=tha, agency__acronym="RTP").order_by("pk").first()
    # Neither is officer.aus's own agency (AFP): he may read them but not change or share them.
    other = om.ArrestRecord.objects.get(country=aus, agency__acronym="ABF")
    shared_in = om.ArrestRecord.objects.get(country=aus, agency__acronym="FWO")
    record_share_create(actor=User.objects.get(username="focal.aus"), record=shared_in,
                        shared_with=tha, reason="Joint lead on a fishing-sector network")
    own_share = record_share_create(actor=users["focal_point"], record=own, shared_with=aus,
                                    reason="Suspects crossed to Australia")
    return World(users=users, own=own, other=other, shared_in=shared_in, own_share=own_share)
