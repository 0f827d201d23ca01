"""The 2015 Joint Period of Action as demo data: countries, agencies, users and outcome records.

The regional totals are the co-chairs' statement's paragraph 8; the per-country split below is
illustrative (the statement does not publish one). Loading is idempotent: a second run finds
every object it would create and creates nothing.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from countries.models import Agency, Country, FocalPoint, Membership, Role

from . import models as om

# Sent once the operations part of the demo is in: other apps add theirs (and return a
# Counter of what they created).
demo_loaded = Signal()

DEMO_PASSWORD = "jpoa-demo-2015"
JOINT_OPERATION_SLUG = "jpoa-2015"
PERIOD_START = dt.date(2015, 9, 28)
PERIOD_END = dt.date(2015, 10, 28)
# Returns were due three weeks after the period, before the debrief.
RETURNS_DUE_ON = dt.date(2015, 11, 18)

# code, name, kind, time zone
COUNTRIES = [
    ("AUS", "Australia", "state", "Australia/Sydney"),
    ("IDN", "Indonesia", "state", "Asia/Jakarta"),
    ("MYS", "Malaysia", "state", "Asia/Kuala_Lumpur"),
    ("MDV", "Maldives", "state", "Indian/Maldives"),
    ("NZL", "New Zealand", "state", "Pacific/Auckland"),
    ("PHL", "Philippines", "state", "Asia/Manila"),
    ("LKA", "Sri Lanka", "state", "Asia/Colombo"),
    ("THA", "Thailand", "state", "Asia/Bangkok"),
    ("AFG", "Afghanistan", "state", "Asia/Kabul"),
    ("IND", "India", "state", "Asia/Kolkata"),
    ("MMR", "Myanmar", "state", "Asia/Yangon"),
    ("USA", "United States of America", "state", "America/New_York"),
    ("VNM", "Viet Nam", "state", "Asia/Ho_Chi_Minh"),
    ("CAN", "Canada", "state", "America/Toronto"),
    ("INTERPOL", "INTERPOL", "organisation", "Europe/Paris"),
    ("BPRSO", "Bali Process Regional Support Office", "organisation", "Asia/Bangkok"),
]
# Population in 2015 (UN World Population Prospects, rounded): the outlier flags compare figures
# per head of population across the region (reporting/outliers.py).
POPULATION = {
    "AUS": 23_800_000, "IDN": 258_400_000, "MYS": 30_300_000, "MDV": 410_000,
    "NZL": 4_600_000, "PHL": 101_700_000, "LKA": 20_970_000, "THA": 68_700_000,
    "AFG": 33_700_000, "IND": 1_310_000_000, "MMR": 52_400_000, "USA": 320_900_000,
    "VNM": 93_600_000, "CAN": 35_900_000,
}
OPERATING = ["AUS", "IDN", "MYS", "MDV", "NZL", "PHL", "LKA", "THA"]
DEBRIEF_ONLY = ["AFG", "IND", "MMR", "USA", "VNM", "CAN"]
CO_CHAIRS = ["NZL", "LKA"]

# country -> [(acronym, name, kind)]; the first agency leads the country's operation.
AGENCIES = {
    "AUS": [("AFP", "Australian Federal Police", "police"),
            ("ABF", "Australian Border Force", "immigration"),
            ("FWO", "Fair Work Ombudsman", "labour")],
    "IDN": [("POLRI", "Indonesian National Police", "police"),
            ("DGI", "Directorate General of Immigration", "immigration")],
    "MYS": [("PDRM", "Royal Malaysia Police", "police"),
            ("JIM", "Immigration Department of Malaysia", "immigration"),
            ("JTK", "Department of Labour, Peninsular Malaysia", "labour")],
    "MDV": [("MPS", "Maldives Police Service", "police"),
            ("MI", "Maldives Immigration", "immigration")],
    "NZL": [("NZP", "New Zealand Police", "police"),
            ("INZ", "Immigration New Zealand", "immigration"),
            ("LI", "Labour Inspectorate", "labour")],
    "PHL": [("PNP", "Philippine National Police", "police"),
            ("BI", "Bureau of Immigration", "immigration"),
            ("NBI", "National Bureau of Investigation", "police")],
    "LKA": [("CID", "Criminal Investigation Department, Sri Lanka Police", "police"),
            ("DIE", "Department of Immigration and Emigration", "immigration"),
            ("AGD", "Attorney General's Department", "prosecution")],
    "THA": [("RTP", "Royal Thai Police", "police"),
            ("DSI", "Department of Special Investigation", "police"),
            ("IMM", "Immigration Bureau", "immigration"),
            ("DLPW", "Department of Labour Protection and Welfare", "labour")],
    "INTERPOL": [("IPSG", "INTERPOL General Secretariat", "police")],
    "BPRSO": [("RSO", "Bali Process Regional Support Office", "other")],
}

S = om.Sector
SECTORS = {
    "AUS": [S.AGRICULTURE, S.FARMING, S.BEAUTY_SERVICES],
    "IDN": [S.FISHING, S.DOMESTIC_WORK],
    "MYS": [S.AGRICULTURE, S.DOMESTIC_WORK, S.BEAUTY_SERVICES],
    "MDV": [S.DOMESTIC_WORK],
    "NZL": [S.AGRICULTURE, S.FARMING, S.FISHING],
    "PHL": [S.ONLINE_CHILD_EXPLOITATION, S.DOMESTIC_WORK, S.FISHING],
    "LKA": [S.DOMESTIC_WORK],
    "THA": [S.FISHING, S.ONLINE_CHILD_EXPLOITATION, S.FARMING],
}
VICTIM_NATIONALITIES = {
    "AUS": ["THA", "MYS", "KOR"], "IDN": ["IDN", "MMR", "KHM"], "MYS": ["IDN", "MMR", "BGD"],
    "MDV": ["BGD", "IND"], "NZL": ["FJI", "IND"], "PHL": ["PHL"], "LKA": ["LKA", "IND"],
    "THA": ["MMR", "KHM", "LAO", "THA"],
}
# Countries whose enquiries partly went through INTERPOL NCBs (paragraph 14: "only a handful").
NCB_USERS = {"AUS", "NZL", "PHL"}

# Illustrative per-country split; each column adds up to the statement's paragraph 8.
#             victims warrants suspects arrests investig. enquiries awareness sessions officers
SPLIT = {
    "AUS": (4, 2, 6, 3, 1, 14, 6, 2, 60),
    "IDN": (11, 0, 10, 5, 1, 8, 12, 1, 55),
    "MYS": (12, 1, 11, 6, 1, 9, 9, 2, 70),
    "MDV": (2, 0, 3, 1, 1, 4, 5, 1, 25),
    "NZL": (3, 2, 4, 2, 1, 12, 4, 1, 40),
    "PHL": (9, 1, 9, 4, 1, 7, 13, 2, 85),
    "LKA": (5, 0, 6, 3, 1, 8, 8, 1, 50),
    "THA": (13, 1, 14, 8, 1, 11, 11, 2, 100),
}
STATEMENT_TOTALS = {
    "victims_assisted": 59, "search_warrants": 7, "suspects_identified": 63, "arrests": 32,
    "investigations": 8, "enquiries": 73, "awareness_activities": 68, "training_sessions": 12,
    "officers_trained": 485,
}
RETURN_STATES = {
    "AUS": "accepted", "NZL": "accepted", "LKA": "accepted", "MYS": "accepted",
    "PHL": "submitted", "MDV": "submitted", "IDN": "open", "THA": "open",
}

# When the focal points submitted (the completeness report's "on time"): all but the Maldives
# before the due date; Indonesia's and Thailand's returns are still open, so overdue.
SUBMITTED_ON = {
    "AUS": dt.date(2015, 11, 9), "NZL": dt.date(2015, 11, 10), "LKA": dt.date(2015, 11, 12),
    "MYS": dt.date(2015, 11, 13), "PHL": dt.date(2015, 11, 17), "MDV": dt.date(2015, 11, 23),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    country: str
    agency: str
    role: str | None  # None: administrator (superuser)
    description: str


def demo_users() -> list[DemoUser]:
    users = [DemoUser("admin", "Portal", "Administrator", "BPRSO", "RSO", None, "administrator"),
             DemoUser("secretariat", "Secretariat", "Officer", "BPRSO", "RSO", Role.SECRETARIAT,
                      "secretariat (Regional Support Office)"),
             DemoUser("cochair.nzl", "Co-chair", "New Zealand", "NZL", "INZ", Role.CO_CHAIR,
                      "co-chair, New Zealand"),
             DemoUser("cochair.lka", "Co-chair", "Sri Lanka", "LKA", "AGD", Role.CO_CHAIR,
                      "co-chair, Sri Lanka"),
             DemoUser("interpol", "INTERPOL", "Officer", "INTERPOL", "IPSG", Role.OFFICER,
                      "INTERPOL officer")]
    names = dict((code, name) for code, name, *_ in COUNTRIES)
    for code in OPERATING:
        lead = AGENCIES[code][0][0]
        lower = code.lower()
        users.append(DemoUser(f"focal.{lower}", "Focal point", names[code], code, lead,
                              Role.FOCAL_POINT, f"country focal point, {names[code]}"))
        users.append(DemoUser(f"officer.{lower}", "Officer", f"{lead} {names[code]}", code, lead,
                              Role.OFFICER, f"agency officer, {lead} ({names[code]})"))
    # A second Thai agency's officer: officers change only their own agency's records.
    users.append(DemoUser("officer2.tha", "Officer", "IMM Thailand", "THA", "IMM", Role.OFFICER,
                          "agency officer, IMM (Thailand)"))
    return users


def _split(total: int, parts: int) -> list[int]:
    """``total`` in up to ``parts`` near-equal positive pieces, largest first."""
    parts = min(total, parts)
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _date(country_index: int, i: int) -> dt.date:
    span = (PERIOD_END - PERIOD_START).days + 1
    return PERIOD_START + dt.timedelta(days=(country_index * 3 + i * 7) % span)


def record_specs(code: str, country_index: int) -> dict[type[om.OutcomeRecord], list[dict]]:
    """Field values of every demo record of one country, keyed by model (agency as acronym)."""
    victims, warrants, suspects, arrests, investigations, enquiries, awareness, sessions, officers = (
        SPLIT[code]
    )
    agencies = [acronym for acronym, *_ in AGENCIES[code]]
    sectors = SECTORS[code]

    def agency(i: int) -> str:
        return agencies[i % len(agencies)]

    def sector(i: int) -> str:
        return sectors[i % len(sectors)]

    def crime(i: int) -> str:
        return om.CrimeType.SMUGGLING if i % 3 == 2 else om.CrimeType.TRAFFICKING

    specs: dict[type[om.OutcomeRecord], list[dict]] = {}
    specs[om.VictimAssistanceRecord] = [
        {
            "agency": agency(i), "occurred_on": _date(country_index, i), "count": n,
            "sex": [om.Sex.FEMALE, om.Sex.MALE][i % 2],
            "age_band": [om.AgeBand.ADULT_18_24, om.AgeBand.ADULT_25_39, om.AgeBand.CHILD_12_17][i % 3],
            "nationality": VICTIM_NATIONALITIES[code][i % len(VICTIM_NATIONALITIES[code])],
            "exploitation_type": (
                om.ExploitationType.SEXUAL
                if sector(i) in (S.ONLINE_CHILD_EXPLOITATION, S.BEAUTY_SERVICES)
                else om.ExploitationType.LABOUR
            ),
            "sector": sector(i),
        }
        for i, n in enumerate(_split(victims, 4))
    ]
    specs[om.SearchWarrantRecord] = [
        {"agency": agency(i), "occurred_on": _date(country_index, i + 1), "count": n,
         "crime_type": crime(i), "sector": sector(i)}
        for i, n in enumerate(_split(warrants, 2))
    ]
    specs[om.SuspectRecord] = [
        {"agency": agency(i), "occurred_on": _date(country_index, i + 2), "count": n,
         "role": list(om.SuspectRole)[i % 6], "crime_type": crime(i), "sector": sector(i)}
        for i, n in enumerate(_split(suspects, 4))
    ]
    specs[om.ArrestRecord] = [
        {"agency": agency(i), "occurred_on": _date(country_index, i + 3), "count": n,
         "crime_type": crime(i), "sector": sector(i)}
        for i, n in enumerate(_split(arrests, 3))
    ]
    specs[om.InvestigationRecord] = [
        {"agency": agency(i), "occurred_on": _date(country_index, i + 1), "count": n,
         "crime_type": crime(i), "sector": sector(i)}
        for i, n in enumerate(_split(investigations, 1))
    ]
    counterparts = [c for c in OPERATING if c != code] + ["MMR", "VNM"]
    enquiry_specs = []
    for i, n in enumerate(_split(enquiries, 5)):
        sent = _date(country_index, i)
        channel = (
            om.EnquiryChannel.INTERPOL_NCB
            if code in NCB_USERS and i % 2 == 0
            else [om.EnquiryChannel.DIRECT, om.EnquiryChannel.LIAISON_OFFICER][i % 2]
        )
        enquiry_specs.append({
            "agency": agency(i), "occurred_on": sent, "count": n,
            "counterpart": counterparts[(country_index + i) % len(counterparts)],
            "channel": channel, "crime_type": crime(i),
            # Answers take longer in some countries than others (the dashboard shows how long).
            "answered_on": None if i == 4 else sent + dt.timedelta(
                days=2 + i * 2 + (country_index * 3) % 7),
        })
    specs[om.EnquiryRecord] = enquiry_specs
    audiences = list(om.Audience)
    specs[om.AwarenessActivityRecord] = [
        {"agency": agency(i), "occurred_on": _date(country_index, i + 4), "count": n,
         "audience": audiences[i % len(audiences)], "people_reached": 40 * n, "sector": sector(i)}
        for i, n in enumerate(_split(awareness, 4))
    ]
    training = []
    for i, trained in enumerate(_split(officers, sessions)):
        police = trained // 2
        immigration = trained // 4
        airport = trained // 8
        training.append({
            "agency": agency(i), "occurred_on": _date(country_index, i + 5),
            "topic": ["Victim identification", "Document fraud at the border"][i % 2],
            "police_trained": police, "immigration_trained": immigration,
            "airport_trained": airport, "compliance_trained": trained - police - immigration - airport,
        })
    specs[om.TrainingSessionRecord] = training
    specs[om.IntelligenceReport] = [
        {"agency": agency(0), "occurred_on": _date(country_index, 6),
         "title": f"Recruitment pattern in {sector(0).label.lower()}",
         "crime_type": om.CrimeType.TRAFFICKING, "grading": om.IntelligenceReport.Grading.PROBABLE,
         "network_summary": "Loose network of recruiters and transport facilitators (demo data).",
         "modus_operandi": "Victims recruited with false job offers; documents withheld on "
                           "arrival (illustrative demo text)."},
    ]
    return specs


def _ensure_records(
    model: type[om.OutcomeRecord], operation: om.Operation, specs: list[dict],
    agencies: dict[str, Agency], countries: dict[str, Country], created_by,
) -> int:
    """Create the specs not yet present in the operation (matched on every field); return count."""
    fields = sorted(specs[0]) if specs else []

    def key(values: dict) -> tuple:
        return tuple(values[f] for f in fields)

    def resolve(spec: dict) -> dict:
        values = dict(spec, agency=agencies[spec["agency"]])
        if "counterpart" in values:
            values["counterpart"] = countries[values["counterpart"]]
        return values

    lookups = [f"{f}_id" if f in ("agency", "counterpart") else f for f in fields]
    existing = Counter(
        model.objects.filter(operation=operation).values_list(*lookups) if fields else []
    )
    created = 0
    for spec in specs:
        values = resolve(spec)
        comparable = {f: (values[f].pk if f in ("agency", "counterpart") else values[f]) for f in fields}
        if existing[key(comparable)] > 0:
            existing[key(comparable)] -= 1
            continue
        record = model(operation=operation, country=operation.country, created_by=created_by, **values)
        record.full_clean()
        record.save()
        created += 1
    return created


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Load (or complete) the 2015 demo; returns how many objects of each kind were created."""
    created: Counter[str] = Counter()

    countries = {}
    for code, name, kind, tz in COUNTRIES:
        country, new = Country.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "time_zone": tz,
                                "population": POPULATION.get(code)}
        )
        if country.population is None and POPULATION.get(code):  # a database of before 0005
            country.population = POPULATION[code]
            country.save(update_fields=["population"])
        countries[code] = country
        created["countries"] += new

    agencies: dict[str, dict[str, Agency]] = {}
    for code, rows in AGENCIES.items():
        agencies[code] = {}
        for acronym, name, kind in rows:
            agency, new = Agency.objects.get_or_create(
                country=countries[code], name=name, defaults={"acronym": acronym, "kind": kind}
            )
            agencies[code][acronym] = agency
            created["agencies"] += new

    joint_operation, new = om.JointOperation.objects.get_or_create(
        slug=JOINT_OPERATION_SLUG,
        defaults={
            "name": "Joint Period of Action 2015",
            "starts_on": PERIOD_START,
            "ends_on": PERIOD_END,
            "returns_due_on": RETURNS_DUE_ON,
            "status": om.JointOperation.Status.DEBRIEF,
            "description": "Bali Process Working Group on the Disruption of People Smuggling and "
                           "Trafficking in Persons Networks: separate but coordinated operations "
                           "by eight countries, with INTERPOL.",
        },
    )
    created["joint operations"] += new
    joint_operation.co_chairs.add(*(countries[c] for c in CO_CHAIRS))

    statuses = {c: om.Participation.Status.TOOK_PART for c in OPERATING}
    statuses["INTERPOL"] = om.Participation.Status.AGREED
    statuses.update({c: om.Participation.Status.OBSERVER for c in DEBRIEF_ONLY})
    for code, status in statuses.items():
        _, new = om.Participation.objects.get_or_create(
            joint_operation=joint_operation, country=countries[code],
            defaults={"status": status, "attended_debrief": code != "IDN"},
        )
        created["participations"] += new

    User = get_user_model()
    users = {}
    for spec in demo_users():
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username, first_name=spec.first_name,
                        last_name=spec.last_name, email=f"{spec.username}@demo.jpoa.invalid",
                        is_staff=spec.role is None, is_superuser=spec.role is None)
            user.set_password(DEMO_PASSWORD)
            user.save()
            created["users"] += 1
        users[spec.username] = user
        if spec.role:
            _, new = Membership.objects.get_or_create(
                user=user, agency=agencies[spec.country][spec.agency], role=spec.role
            )
            created["memberships"] += new

    for index, code in enumerate(OPERATING):
        country = countries[code]
        lead_acronym = AGENCIES[code][0][0]
        _, new = FocalPoint.objects.get_or_create(
            country=country, kind=FocalPoint.Kind.NATIONAL, served_from=dt.date(2015, 9, 1),
            defaults={"agency": agencies[code][lead_acronym], "user": users[f"focal.{code.lower()}"],
                      "full_name": f"National focal point, {country.name}",
                      "title": f"Focal point, {lead_acronym}",
                      "email": f"focal.{code.lower()}@demo.jpoa.invalid",
                      "served_until": FOCAL_POINTS_LEFT.get(code)},
        )
        created["focal points"] += new
        operation, new = om.Operation.objects.get_or_create(
            joint_operation=joint_operation, country=country,
            defaults={"name": f"JPoA 2015 — {country.name}",
                      "lead_agency": agencies[code][lead_acronym],
                      "crime_types": [om.CrimeType.TRAFFICKING, om.CrimeType.SMUGGLING],
                      "sectors": list(SECTORS[code])},
        )
        created["operations"] += new
        operation.agencies.add(*(a for acr, a in agencies[code].items() if acr != lead_acronym))
        officer = users[f"officer.{code.lower()}"]
        for model, specs in record_specs(code, index).items():
            created["outcome records"] += _ensure_records(
                model, operation, specs, agencies[code], countries, officer
            )
        state = RETURN_STATES[code]
        submitted_on = SUBMITTED_ON.get(code)
        now = (dt.datetime.combine(submitted_on, dt.time(9), tzinfo=dt.UTC)
               if submitted_on else timezone.now())
        _, new = om.CountryReturn.objects.get_or_create(
            joint_operation=joint_operation, country=country,
            defaults={
                "state": state,
                "submitted_at": now if state != "open" else None,
                "submitted_by": users[f"focal.{code.lower()}"] if state != "open" else None,
                "accepted_at": now + dt.timedelta(days=2) if state == "accepted" else None,
                "accepted_by": users["secretariat"] if state == "accepted" else None,
            },
        )
        created["country returns"] += new

    created.update(_load_planning(countries, agencies, users))
    # The other apps' parts of the demo (cooperation's networks and planning, reporting's
    # debrief workshop), each a Counter of what it created.
    for _receiver, part in demo_loaded.send(sender=None, joint_operation=joint_operation,
                                             countries=countries, agencies=agencies, users=users):
        created.update(part)
    return dict(created)


# ---------------------------------------------------------------------------------------------
# The next joint initiative: the planning meeting of May 2016 (paragraphs 13 and 19).
# Illustrative: networks, nominations and focal point changes are not in the statement.
# ---------------------------------------------------------------------------------------------

# The 2015 national focal points who handed over, and when: Maldives has named nobody since,
# so the directory warns that it has no focal point for the 2016 initiative.
FOCAL_POINTS_LEFT = {"MDV": dt.date(2016, 6, 30), "NZL": dt.date(2016, 3, 31)}
NEXT_SLUG = "jpoa-2016"
# Paragraph 19: these countries and INTERPOL committed to further joint initiatives; Indonesia
# is invited.
NEXT_PARTICIPANTS = {"AUS": "agreed", "MYS": "agreed", "MDV": "agreed", "NZL": "agreed",
                     "PHL": "agreed", "LKA": "agreed", "THA": "agreed", "INTERPOL": "agreed",
                     "IDN": "invited"}
def _load_planning(countries, agencies, users) -> Counter[str]:
    created: Counter[str] = Counter()
    joint, new = om.JointOperation.objects.get_or_create(
        slug=NEXT_SLUG, defaults={
            "name": "Joint initiative 2016", "starts_on": dt.date(2016, 9, 26),
            "ends_on": dt.date(2016, 10, 26), "status": om.JointOperation.Status.PLANNING,
            "description": "The next joint initiative: joint investigations into networks "
                           "identified at the May 2016 planning meeting (paragraph 13)."})
    created["joint operations"] += new
    if new:
        joint.co_chairs.add(*(countries[c] for c in CO_CHAIRS))
    for code, status in NEXT_PARTICIPANTS.items():
        created["participations"] += om.Participation.objects.get_or_create(
            joint_operation=joint, country=countries[code], defaults={"status": status})[1]
    for code, served_from in (("NZL", dt.date(2016, 4, 1)), ("INTERPOL", dt.date(2015, 9, 1))):
        created["focal points"] += FocalPoint.objects.get_or_create(
            country=countries[code], kind=FocalPoint.Kind.NATIONAL, served_from=served_from,
            defaults={"agency": next(iter(agencies[code].values())),
                      "full_name": f"National focal point ({served_from.year}), "
                                   f"{countries[code].name}",
                      "email": f"focal{served_from.year}.{code.lower()}@demo.jpoa.invalid"})[1]
    return created
