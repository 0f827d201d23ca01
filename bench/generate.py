"""Benchmark data at scale: countries, agencies, users of every role, joint operations, country
operations and returns through the ORM, then outcome records written with COPY.

The records are consistent by construction (each row's country is its operation's, its agency
belongs to that country, its date lies inside the joint operation's period, counts are
positive, an enquiry's counterpart is another country and is answered on or after it was
sent), so the load runs with ``session_replication_role = replica``: PostgreSQL then skips the
integrity and audit triggers (which would write a million audit events) and the foreign-key
triggers. One query per table checks those rules afterwards; a single violation fails the load.
Check constraints still apply during the load. No guardian row is written: records are never
shared by the generator, and ordinary records never need one.

Everything the generator makes is recognisable: joint operations ``bench-<year>``, users
``bench.<role>...``. A second run replaces the records of the bench joint operations (or keeps
them, with ``reuse=True``, when they already have the requested size).
"""
from __future__ import annotations

import datetime as dt
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from guardian.models.models import BaseObjectPermission

from countries.models import Agency, Country, Membership, Role
from operations import models as om

SLUG_PREFIX = "bench-"
USERNAME_PREFIX = "bench."
PASSWORD = "jpoa-bench-2015"
FIRST_YEAR = 2015
COPY_ROWS = 50_000  # rows per COPY statement
NULL = "\\N"  # COPY's text format

# Bali Process members and partners: code, name, time zone. More countries than these get
# synthetic codes (XAA, XAB...).
COUNTRIES = [
    ("AUS", "Australia", "Australia/Sydney"), ("IDN", "Indonesia", "Asia/Jakarta"),
    ("THA", "Thailand", "Asia/Bangkok"), ("MYS", "Malaysia", "Asia/Kuala_Lumpur"),
    ("PHL", "Philippines", "Asia/Manila"), ("NZL", "New Zealand", "Pacific/Auckland"),
    ("LKA", "Sri Lanka", "Asia/Colombo"), ("MDV", "Maldives", "Indian/Maldives"),
    ("AFG", "Afghanistan", "Asia/Kabul"), ("BGD", "Bangladesh", "Asia/Dhaka"),
    ("BTN", "Bhutan", "Asia/Thimphu"), ("BRN", "Brunei Darussalam", "Asia/Brunei"),
    ("KHM", "Cambodia", "Asia/Phnom_Penh"), ("CHN", "China", "Asia/Shanghai"),
    ("FJI", "Fiji", "Pacific/Fiji"), ("IND", "India", "Asia/Kolkata"),
    ("IRN", "Iran", "Asia/Tehran"), ("IRQ", "Iraq", "Asia/Baghdad"),
    ("JPN", "Japan", "Asia/Tokyo"), ("JOR", "Jordan", "Asia/Amman"),
    ("KIR", "Kiribati", "Pacific/Tarawa"), ("KOR", "Republic of Korea", "Asia/Seoul"),
    ("LAO", "Lao People's Democratic Republic", "Asia/Vientiane"),
    ("MNG", "Mongolia", "Asia/Ulaanbaatar"), ("MMR", "Myanmar", "Asia/Yangon"),
    ("NRU", "Nauru", "Pacific/Nauru"), ("NPL", "Nepal", "Asia/Kathmandu"),
    ("PAK", "Pakistan", "Asia/Karachi"), ("PLW", "Palau", "Pacific/Palau"),
    ("PNG", "Papua New Guinea", "Pacific/Port_Moresby"), ("WSM", "Samoa", "Pacific/Apia"),
    ("SGP", "Singapore", "Asia/Singapore"), ("SLB", "Solomon Islands", "Pacific/Guadalcanal"),
    ("SYR", "Syria", "Asia/Damascus"), ("TLS", "Timor-Leste", "Asia/Dili"),
    ("TON", "Tonga", "Pacific/Tongatapu"), ("TUR", "Türkiye", "Europe/Istanbul"),
    ("ARE", "United Arab Emirates", "Asia/Dubai"),
    ("USA", "United States of America", "America/New_York"), ("VUT", "Vanuatu", "Pacific/Efate"),
    ("VNM", "Viet Nam", "Asia/Ho_Chi_Minh"), ("CAN", "Canada", "America/Toronto"),
]
SECRETARIAT = ("BPRSO", "Bali Process Regional Support Office", "Asia/Bangkok")
# kind, name pattern, acronym: the first leads each country's operations.
AGENCIES = [("police", "{country} National Police", "NP"),
            ("immigration", "{country} Immigration Department", "IMM"),
            ("labour", "{country} Labour Inspectorate", "LI")]

# Share of the records by type (by model name); a type not listed gets DEFAULT_WEIGHT.
WEIGHTS = {"VictimAssistanceRecord": 18, "EnquiryRecord": 16, "AwarenessActivityRecord": 14,
           "SuspectRecord": 14, "ArrestRecord": 12, "InvestigationRecord": 8,
           "SearchWarrantRecord": 6, "TrainingSessionRecord": 6, "IntelligenceReport": 6}
DEFAULT_WEIGHT = 6

COUNTS = [str(n) for n in [1] * 12 + [2] * 6 + [3] * 3 + [4, 5, 6, 8, 12]]
NATIONALITIES = ["MMR", "KHM", "LAO", "BGD", "IDN", "PHL", "VNM", "NPL", "LKA", "AFG", "THA",
                 "IND", "PAK", "CHN", "FJI"]
TOPICS = ["Victim identification", "Document fraud at the border", "Financial investigation",
          "Interviewing children", "Labour inspection and forced labour indicators"]
TITLES = ["Recruitment pattern in {sector}", "Transport route through the region",
          "Payment channel of a smuggling network", "Forged work permits", "Debt bondage"]
TEXTS = ["Loose network of recruiters and transport facilitators (benchmark data).",
         "Victims recruited with false job offers; documents withheld on arrival "
         "(benchmark data).",
         "Payments through informal remittance agents; boats bought for single voyages "
         "(benchmark data)."]
BASE_FIELDS = {"id", "operation", "country", "agency", "occurred_on", "created_by", "created_at",
               "updated_at", "version", "joint_investigation"}


@dataclass(frozen=True)
class BenchConfig:
    records: int = 1_000_000
    countries: int = 30
    joint_operations: int = 10
    seed: int = 2015


@dataclass
class BenchData:
    """What was generated, for the figures: ids, usernames per role, rows per record type."""

    joint_operation_ids: list[int]
    latest_joint_operation_id: int
    country_ids: list[int]  # by weight, heaviest first
    usernames: dict[str, str]  # role -> one username (officer: of the heaviest country)
    records: dict[str, int]  # model name -> rows of the bench joint operations
    guardian_rows_before: int
    guardian_rows_after: int
    seconds: float = 0.0
    reused: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def guardian_rows_added(self) -> int:
        return self.guardian_rows_after - self.guardian_rows_before


# ---------------------------------------------------------------------------------------------
# Guardian: the rows that must not grow with records
# ---------------------------------------------------------------------------------------------


def guardian_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, BaseObjectPermission)]


def guardian_rows() -> int:
    """Rows in every django-guardian table: generic and direct, user and group permissions."""
    return sum(model.objects.count() for model in guardian_models())


# ---------------------------------------------------------------------------------------------
# Reference data (ORM: a few hundred rows)
# ---------------------------------------------------------------------------------------------


def country_specs(count: int) -> list[tuple[str, str, str]]:
    specs = COUNTRIES[:count]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n = 0
    while len(specs) < count:
        code = f"X{letters[n // 26 % 26]}{letters[n % 26]}"
        specs.append((code, f"Benchmark country {code}", "UTC"))
        n += 1
    return specs


def _countries(config: BenchConfig) -> tuple[list[Country], Country]:
    countries = []
    for code, name, tz in country_specs(config.countries):
        country, _ = Country.objects.get_or_create(
            code=code, defaults={"name": name, "kind": Country.Kind.STATE, "time_zone": tz})
        countries.append(country)
    code, name, tz = SECRETARIAT
    secretariat, _ = Country.objects.get_or_create(
        code=code, defaults={"name": name, "kind": Country.Kind.ORGANISATION, "time_zone": tz})
    return countries, secretariat


def _agencies(countries: list[Country], secretariat: Country) -> dict[int, list[Agency]]:
    agencies = {}
    for country in countries:
        agencies[country.pk] = [
            Agency.objects.get_or_create(
                country=country, name=pattern.format(country=country.name),
                defaults={"acronym": acronym, "kind": kind})[0]
            for kind, pattern, acronym in AGENCIES
        ]
    agencies[secretariat.pk] = [Agency.objects.get_or_create(
        country=secretariat, name=SECRETARIAT[1],
        defaults={"acronym": "RSO", "kind": Agency.Kind.OTHER})[0]]
    return agencies


def _joint_operations(config: BenchConfig, countries: list[Country]) -> list[om.JointOperation]:
    joint_operations = []
    for index in range(config.joint_operations):
        year = FIRST_YEAR + index
        latest = index == config.joint_operations - 1
        joint_operation, _ = om.JointOperation.objects.get_or_create(
            slug=f"{SLUG_PREFIX}{year}",
            defaults={
                "name": f"Benchmark Joint Period of Action {year}",
                "starts_on": dt.date(year, 9, 28), "ends_on": dt.date(year, 10, 28),
                "status": om.JointOperation.Status.DEBRIEF if latest
                else om.JointOperation.Status.CLOSED,
                "description": "Generated by bench_data for the benchmark suite.",
            })
        joint_operation.co_chairs.set([countries[(2 * index) % len(countries)],
                                       countries[(2 * index + 1) % len(countries)]])
        om.Participation.objects.bulk_create(
            [om.Participation(joint_operation=joint_operation, country=country,
                              status=om.Participation.Status.TOOK_PART, attended_debrief=True)
             for country in countries], ignore_conflicts=True)
        joint_operations.append(joint_operation)
    return joint_operations


def _operations(joint_operations, countries, agencies) -> list[om.Operation]:
    sectors = [value for value, _label in om.Sector.choices if value != om.Sector.OTHER]
    om.Operation.objects.bulk_create([
        om.Operation(
            joint_operation=joint_operation, country=country,
            name=f"{joint_operation.name} — {country.name}",
            lead_agency=agencies[country.pk][0],
            crime_types=[om.CrimeType.TRAFFICKING, om.CrimeType.SMUGGLING],
            sectors=[sectors[(i + k) % len(sectors)] for k in range(3)],
        )
        for joint_operation in joint_operations for i, country in enumerate(countries)
    ], ignore_conflicts=True)
    operations = list(om.Operation.objects.filter(joint_operation__in=joint_operations,
                                                  country__in=countries))
    through = om.Operation.agencies.through
    through.objects.bulk_create(
        [through(operation_id=operation.pk, agency_id=agency.pk) for operation in operations
         for agency in agencies[operation.country_id][1:]], ignore_conflicts=True)
    return operations


def _returns(joint_operations, countries, users_by_country) -> None:
    """Past joint operations' returns accepted; the latest's in mixed states (the heaviest
    country's open, so its officer can still change records)."""
    now = dt.datetime.now(dt.UTC)
    returns = []
    for joint_operation in joint_operations:
        latest = joint_operation == joint_operations[-1]
        for i, country in enumerate(countries):
            state = ([om.CountryReturn.State.OPEN, om.CountryReturn.State.SUBMITTED,
                      om.CountryReturn.State.ACCEPTED][i % 3]
                     if latest else om.CountryReturn.State.ACCEPTED)
            focal = users_by_country[country.pk]["focal_point"]
            returns.append(om.CountryReturn(
                joint_operation=joint_operation, country=country, state=state,
                submitted_at=now if state != "open" else None,
                submitted_by=focal if state != "open" else None,
                accepted_at=now if state == "accepted" else None))
    # A return left by an earlier run of another size takes this run's state: the latest joint
    # operation of a smaller run was a past (accepted) one of a larger run.
    om.CountryReturn.objects.bulk_create(
        returns, update_conflicts=True, unique_fields=["joint_operation", "country"],
        update_fields=["state", "submitted_at", "submitted_by", "accepted_at"])


def _users(countries, secretariat, agencies, joint_operations) -> tuple[dict, dict]:
    """An administrator, the secretariat, the latest joint operation's co-chairs, and a focal
    point and an officer (of the lead agency) per country. One password hash for all."""
    User = get_user_model()
    password = make_password(PASSWORD)
    specs: list[tuple[str, Agency | None, str | None]] = [
        (f"{USERNAME_PREFIX}admin", None, None),
        (f"{USERNAME_PREFIX}secretariat", agencies[secretariat.pk][0], Role.SECRETARIAT),
    ]
    for country in joint_operations[-1].co_chairs.order_by("pk"):
        specs.append((f"{USERNAME_PREFIX}cochair.{country.code.lower()}",
                      agencies[country.pk][1], Role.CO_CHAIR))
    for country in countries:
        lead = agencies[country.pk][0]
        specs.append((f"{USERNAME_PREFIX}focal.{country.code.lower()}", lead, Role.FOCAL_POINT))
        specs.append((f"{USERNAME_PREFIX}officer.{country.code.lower()}", lead, Role.OFFICER))
    existing = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
    User.objects.bulk_create([
        User(username=name, password=password, email=f"{name}@bench.jpoa.invalid",
             is_staff=role is None, is_superuser=role is None)
        for name, _agency, role in specs if name not in existing])
    users = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
    for name, agency, role in specs:
        if role is not None:
            Membership.objects.get_or_create(user=users[name], agency=agency, role=role)
    by_country = {
        country.pk: {
            "focal_point": users[f"{USERNAME_PREFIX}focal.{country.code.lower()}"],
            "officer": users[f"{USERNAME_PREFIX}officer.{country.code.lower()}"],
        }
        for country in countries
    }
    co_chair = next(name for name, _a, role in specs if role == Role.CO_CHAIR)
    usernames = {
        "administrator": f"{USERNAME_PREFIX}admin",
        "secretariat": f"{USERNAME_PREFIX}secretariat",
        "co_chair": co_chair,
        "focal_point": by_country[countries[0].pk]["focal_point"].username,
        "officer": by_country[countries[0].pk]["officer"].username,
    }
    return usernames, by_country


# ---------------------------------------------------------------------------------------------
# Records (COPY)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Op:
    """What a record row needs of its operation, precomputed as text."""

    id: str
    joint_operation_order: int  # 0 for the first joint operation
    country_id: str
    agency_ids: list[str]
    officer_id: str
    dates: list[str]  # every day of the period, then 15 more (answers may come later)
    period_days: int
    sectors: list[str]  # what a row's sector is drawn from ("" = not recorded)
    counterparts: list[str]


Filler = Callable[[random.Random, _Op, int], str]


def _choice_filler(values: list[str]) -> Filler:
    return lambda rng, op, day: rng.choice(values)


def _filler(model: type[om.OutcomeRecord], f: models.Field) -> Filler:
    """How to fill one column of ``model`` with a plausible value that keeps every rule."""
    name = f.name
    if name == "count":
        return lambda rng, op, day: rng.choice(COUNTS)
    if name == "sector":
        return lambda rng, op, day: rng.choice(op.sectors)
    if name == "nationality":
        return _choice_filler(NATIONALITIES)
    if name == "counterpart":
        return lambda rng, op, day: rng.choice(op.counterparts)
    if name == "answered_on":
        return lambda rng, op, day: (NULL if rng.random() < 0.3
                                     else op.dates[day + rng.randrange(15)])
    if name == "people_reached":
        return lambda rng, op, day: NULL if rng.random() < 0.2 else str(rng.randrange(20, 500))
    if name == "police_trained":  # at least one officer trained per session
        return lambda rng, op, day: str(rng.randrange(1, 30))
    if name.endswith("_trained"):
        return lambda rng, op, day: str(rng.randrange(0, 15))
    if name == "topic":
        return _choice_filler(TOPICS)
    if name == "title":
        return lambda rng, op, day: rng.choice(TITLES).format(sector=rng.choice(op.sectors) or
                                                              "several sectors")
    if f.choices:
        return _choice_filler([str(value) for value, _label in f.choices])
    if isinstance(f, models.TextField | models.CharField):
        return _choice_filler(TEXTS if isinstance(f, models.TextField) else ["benchmark"])
    if f.null:
        return lambda rng, op, day: NULL
    if isinstance(f, models.IntegerField):
        return lambda rng, op, day: "1"
    if isinstance(f, models.BooleanField):
        return lambda rng, op, day: "f"
    if isinstance(f, models.DateField):
        return lambda rng, op, day: op.dates[day]
    raise NotImplementedError(f"bench_data cannot fill {model.__name__}.{name}: add it to "
                              "bench.generate._filler")


def _columns(model: type[om.OutcomeRecord]) -> tuple[list[str], list[Filler]]:
    own = [f for f in model._meta.concrete_fields if f.name not in BASE_FIELDS]
    columns = ["operation_id", "country_id", "agency_id", "occurred_on", "created_by_id",
               "created_at", "updated_at", "version", *(f.column for f in own)]
    return columns, [_filler(model, f) for f in own]


def _ops(operations, joint_operations, countries, agencies, by_country) -> list[_Op]:
    periods = {}
    order = {joint_operation.pk: i for i, joint_operation in enumerate(joint_operations)}
    for joint_operation in joint_operations:
        days = (joint_operation.ends_on - joint_operation.starts_on).days + 1
        periods[joint_operation.pk] = (days, [
            (joint_operation.starts_on + dt.timedelta(days=d)).isoformat()
            for d in range(days + 15)])
    country_ids = [c.pk for c in countries]
    ops = []
    for operation in sorted(operations, key=lambda o: (o.joint_operation_id, o.country_id)):
        days, dates = periods[operation.joint_operation_id]
        ops.append(_Op(
            id=str(operation.pk), joint_operation_order=order[operation.joint_operation_id],
            country_id=str(operation.country_id),
            agency_ids=[str(a.pk) for a in agencies[operation.country_id]],
            officer_id=str(by_country[operation.country_id]["officer"].pk),
            dates=dates, period_days=days,
            sectors=[*operation.sectors, *operation.sectors, ""],
            counterparts=[str(c) for c in country_ids if c != operation.country_id],
        ))
    return ops


def record_counts(config: BenchConfig) -> dict[type[om.OutcomeRecord], int]:
    """How many records of each type: ``config.records`` split by WEIGHTS."""
    weights = {m: WEIGHTS.get(m.__name__, DEFAULT_WEIGHT) for m in om.OUTCOME_MODELS}
    total = sum(weights.values())
    counts = {m: config.records * w // total for m, w in weights.items()}
    heaviest = max(weights, key=weights.get)
    counts[heaviest] += config.records - sum(counts.values())
    return counts


def _copy_records(model, count: int, ops: list[_Op], weights: list[float],
                  rng: random.Random) -> None:
    """``count`` rows of ``model`` in the order they would have been entered: joint operation
    after joint operation, day by day, the countries interleaved. (Rows placed at random would
    scatter every country's records of one operation over the whole table, which no real
    database looks like.)"""
    columns, fillers = _columns(model)
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    cumulative, running = [], 0.0
    for weight in weights:
        running += weight
        cumulative.append(running)
    hours = [f" {h:02d}:{m:02d}:00+00" for h in range(7, 20) for m in (0, 15, 30, 45)]
    picked = rng.choices(range(len(ops)), cum_weights=cumulative, k=count)
    entries = sorted((ops[i].joint_operation_order, rng.randrange(ops[i].period_days),
                      rng.randrange(len(hours)), i) for i in picked)
    with connection.cursor() as cursor:
        for start in range(0, count, COPY_ROWS):
            lines = []
            for _order, day, hour, op_index in entries[start:start + COPY_ROWS]:
                op = ops[op_index]
                date = op.dates[day]
                entered = date + hours[hour]
                values = [op.id, op.country_id, rng.choice(op.agency_ids), date, op.officer_id,
                          entered, entered, "1"]
                values += [fill(rng, op, day) for fill in fillers]
                lines.append("\t".join(values))
            lines.append("")
            cursor.copy_expert(sql, io.StringIO("\n".join(lines)))


INTEGRITY_SQL = """
SELECT count(*) FILTER (WHERE o.id IS NULL OR a.id IS NULL OR j.id IS NULL
                          OR r.country_id <> o.country_id OR a.country_id <> r.country_id
                          OR r.occurred_on < j.starts_on OR r.occurred_on > j.ends_on)
  FROM {table} r
  LEFT JOIN operations_operation o ON o.id = r.operation_id
  LEFT JOIN operations_jointoperation j ON j.id = o.joint_operation_id
  LEFT JOIN countries_agency a ON a.id = r.agency_id
 WHERE r.operation_id = ANY(%s)
"""


def _check_integrity(operation_ids: list[int]) -> None:
    """What the record triggers would have checked, over every loaded row."""
    with connection.cursor() as cursor:
        for model in om.OUTCOME_MODELS:
            cursor.execute(INTEGRITY_SQL.format(table=model._meta.db_table), [operation_ids])
            (broken,) = cursor.fetchone()
            if broken:
                raise AssertionError(f"bench_data wrote {broken} inconsistent "
                                     f"{model.__name__} rows")


def _bench_record_counts(operation_ids: list[int]) -> dict[str, int]:
    return {m.__name__: m.objects.filter(operation_id__in=operation_ids).count()
            for m in om.OUTCOME_MODELS}


def _analyze() -> None:
    """Statistics for the planner, as autovacuum would keep them (it may be off: it is on this
    project's development machines)."""
    records = [m._meta.db_table for m in om.OUTCOME_MODELS]
    reference = [m._meta.db_table for m in (Country, Agency, Membership, om.JointOperation,
                                            om.Participation, om.Operation, om.CountryReturn)]
    with connection.cursor() as cursor:
        # VACUUM also sets the visibility map; it cannot run in a transaction (a test), where
        # ANALYZE alone keeps the statistics right.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in records + reference:
            cursor.execute(f"{command} {table}")


# ---------------------------------------------------------------------------------------------
# The whole load
# ---------------------------------------------------------------------------------------------


def generate(config: BenchConfig, *, reuse: bool = False,
             log: Callable[[str], None] = lambda message: None) -> BenchData:
    """Make (or complete) the benchmark data and return what the figures need."""
    started = time.perf_counter()
    timings = {}
    guardian_before = guardian_rows()
    rng = random.Random(config.seed)

    with transaction.atomic():
        countries, secretariat = _countries(config)
        agencies = _agencies(countries, secretariat)
        joint_operations = _joint_operations(config, countries)
        usernames, by_country = _users(countries, secretariat, agencies, joint_operations)
        operations = _operations(joint_operations, countries, agencies)
        _returns(joint_operations, countries, by_country)
    timings["reference data"] = time.perf_counter() - started
    operation_ids = [o.pk for o in operations]
    wanted = {m.__name__: n for m, n in record_counts(config).items()}

    existing = _bench_record_counts(operation_ids)
    reused = reuse and existing == wanted
    if reused:
        log(f"reusing {sum(existing.values()):,} records already generated")
        _analyze()
    else:
        ops = _ops(operations, joint_operations, countries, agencies, by_country)
        # Countries differ in size: the first about five times the thirtieth.
        country_weight = {c.pk: 1 / (1 + 0.15 * i) for i, c in enumerate(countries)}
        weights = [country_weight[int(op.country_id)] for op in ops]
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            try:
                step = time.perf_counter()
                # Records of benchmark joint operations this size does not have (left by a
                # larger run) go too: a quick run after a full one must not add them up.
                other_ids = list(om.Operation.objects.filter(
                    joint_operation__slug__startswith=SLUG_PREFIX).exclude(
                    pk__in=operation_ids).values_list("pk", flat=True))
                if any(existing.values()) or other_ids:
                    with connection.cursor() as cursor:
                        for model in om.OUTCOME_MODELS:
                            cursor.execute(f"DELETE FROM {model._meta.db_table}"
                                           " WHERE operation_id = ANY(%s)",
                                           [operation_ids + other_ids])
                    timings["delete earlier records"] = time.perf_counter() - step
                for model, count in record_counts(config).items():
                    step = time.perf_counter()
                    _copy_records(model, count, ops, weights, rng)
                    timings[f"COPY {model.__name__}"] = time.perf_counter() - step
                    log(f"  {model.__name__}: {count:,} rows in "
                        f"{timings[f'COPY {model.__name__}']:.1f} s")
                step = time.perf_counter()
                _check_integrity(operation_ids)
                timings["integrity check"] = time.perf_counter() - step
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        step = time.perf_counter()
        _analyze()
        timings["vacuum analyze"] = time.perf_counter() - step
        existing = _bench_record_counts(operation_ids)

    return BenchData(
        joint_operation_ids=[j.pk for j in joint_operations],
        latest_joint_operation_id=joint_operations[-1].pk,
        country_ids=[c.pk for c in countries],
        usernames=usernames,
        records=existing,
        guardian_rows_before=guardian_before,
        guardian_rows_after=guardian_rows(),
        seconds=time.perf_counter() - started,
        reused=reused,
        timings=timings,
    )
