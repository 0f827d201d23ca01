"""Reporting's part of the 2015 demo: the debrief workshop (paragraphs 4-6), one country's
lessons and the recommendations (paragraph 17). Loaded through ``operations.demo.demo_loaded``."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from django.dispatch import receiver

from operations.demo import demo_loaded

from . import models as rm

# Paragraph 17: "The last session summarised the recommendations that emerged from the debrief
# workshop". Owners, due dates and statuses are illustrative.
RECOMMENDATIONS_2015 = [
    ("strengthening cross border cooperation among law enforcement", "Co-chairs"),
    ("ensuring more tightly focused operational activities", "Co-chairs"),
    ("identifying specific networks / syndicates for investigation", "Participating countries"),
    ("establishing bilateral or multilateral cross border investigations",
     "Participating countries"),
    ("strengthening engagement with INTERPOL", "INTERPOL and participating countries"),
    ("continuing involvement of identified focal points to ensure consistency within the Group",
     "Secretariat"),
]


@receiver(demo_loaded, dispatch_uid="reporting.demo")
def load_debrief(*, joint_operation, countries, users, **kwargs) -> Counter[str]:
    """The 2015 debrief workshop (paragraphs 4-6) and its recommendations (paragraph 17)."""
    created: Counter[str] = Counter()
    workshop, new = rm.DebriefWorkshop.objects.get_or_create(
        joint_operation=joint_operation,
        defaults={"held_on": dt.date(2015, 11, 25), "place": "Bangkok, Thailand",
                  "co_chairs": "Kapila Waidyaratne, Additional Solicitor General, Sri Lankan "
                               "Attorney General's Department\nSteve Stuart, General Manager, "
                               "Compliance, Risk and Intelligence Services, Immigration New Zealand"})
    created["debrief workshops"] += new
    for number, (text, owner) in enumerate(RECOMMENDATIONS_2015, start=1):
        _, new = rm.Recommendation.objects.get_or_create(
            workshop=workshop, number=number,
            defaults={"text": text, "owner": owner, "due_on": dt.date(2016, 5, 31)})
        created["recommendations"] += new
    _, new = rm.Lesson.objects.get_or_create(
        workshop=workshop, country=countries["THA"],
        defaults={
            "worked_well": "Inter-agency mechanisms were tested and held.",
            "did_not_work_well": "Cross-border cooperation among law enforcement agencies was "
                                 "too thin for highly mobile networks.",
            "do_differently": "Identify networks in advance and agree joint investigations with "
                              "partner countries.",
            "updated_by": users["focal.tha"]})
    created["lessons"] += new
    return created
