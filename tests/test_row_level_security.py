"""Row-level security on the outcome records (core/rls.py, operations 0010): the second wall.

Each layer is tested on its own: ``records_visible`` as the tables' owner (whom the policies do
not restrict), and a plain query with no access filter as the restricted role ``jpoa_app`` —
they must agree, user by user and table by table. Then: no user set sees nothing, writes to
another country's rows are refused, the roll-up still adds up every country, and pages served
as the restricted role still answer. The number of cases is printed at the end of the run.
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.db import ProgrammingError, connection, connections, transaction
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse

from api.services import api_token_create
from cooperation import services as cooperation
from core import rls
from countries import access
from countries.models import Agency, Country, Membership, Role
from operations import models as om
from operations.records import KINDS
from operations.services import record_share_create
from reporting import rollups
from reporting.metrics import METRICS
from reporting.models import CountryTotal
from tests.cooperation import shared_investigation
from tests.counters import CASES

MODELS = [kind.model for kind in KINDS]


@contextmanager
def app_role(user=None, user_id: str | None = None):
    """A savepoint in which the connection is the restricted role, reading for ``user``; rolled
    back at the end, so the role and the setting are undone with it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {rls.APP_ROLE}")
            if user is not None or user_id is not None:
                cursor.execute("SELECT set_config(%s, %s, true)",
                               [rls.USER_SETTING, user_id if user is None else str(user.pk)])
        restricted = rls.is_restricted()
        connection.jpoa_restricted = True  # as rls.serve_as_app_role marks a new connection
        try:
            yield
        finally:
            connection.jpoa_restricted = restricted
            transaction.set_rollback(True)


def current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def rls_ids(user, model) -> set[int]:
    """The database layer alone: every row of ``model`` the restricted role returns, no filter."""
    with app_role(user):
        assert current_user() == rls.APP_ROLE
        return ids(model.objects.all())


def orm_ids(user, model) -> set[int]:
    """The ORM layer alone: ``records_visible`` as the tables' owner."""
    access.forget_scope(user)
    assert current_user() != rls.APP_ROLE
    return ids(access.records_visible(user, model.objects.all()))


@pytest.fixture
def thai_officer(demo):
    return get_user_model().objects.get(username="officer.tha")


def test_every_record_table_has_row_level_security(db):
    # given the record types the pages show
    tables = {model._meta.db_table for model in MODELS}
    assert set(om.OUTCOME_MODELS) == set(MODELS)
    # then each table has RLS enabled (not forced: the owner migrates) and all four policies
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   array_agg(p.polname ORDER BY p.polname)
              FROM pg_class c LEFT JOIN pg_policy p ON p.polrelid = c.oid
             WHERE c.relname = ANY(%s) GROUP BY 1, 2, 3""", [sorted(tables)])
        rows = {name: (enabled, forced, policies) for name, enabled, forced, policies in cursor}
    assert rows.keys() == tables
    for table, (enabled, forced, policies) in rows.items():
        assert enabled and not forced, table
        assert policies == ["jpoa_delete", "jpoa_insert", "jpoa_read", "jpoa_update"], table
        CASES["row-level security: tables checked"] += 1


def test_a_plain_query_returns_only_the_users_country(thai_officer):
    # given the demo (no shares), a Thai officer and every record type
    tha = Country.objects.get(code="THA")
    for model in MODELS:
        everything = ids(model.objects.all())  # the owner: every country's rows
        thai = ids(model.objects.filter(country=tha))
        addressed = (ids(model.objects.filter(**{f"{model.addressee_field}": tha}))
                     if getattr(model, "addressee_field", None) else set())
        assert thai and everything - thai - addressed, f"{model.__name__}: no foreign rows"
        # when the restricted role queries with no access filter at all
        seen = rls_ids(thai_officer, model)
        # then it gets the Thai rows (and enquiries addressed to Thailand), nothing else
        assert seen == thai | addressed, model.__name__
        CASES["row-level security: plain queries (tables) checked"] += 1


@pytest.fixture
def cooperating_world(world):
    """The access test world (a share each way) plus a joint investigation (Thailand leads,
    Malaysia a member, Indonesia invited), a shared intelligence report and a shared enquiry."""
    User = get_user_model()
    investigation = shared_investigation()
    thai_suspects = om.SuspectRecord.objects.filter(country__code="THA").first()
    cooperation.record_attribute(actor=User.objects.get(username="focal.tha"),
                                 record=thai_suspects, investigation=investigation,
                                 version=thai_suspects.version)
    report = om.IntelligenceReport.objects.filter(country__code="THA").first()
    record_share_create(actor=User.objects.get(username="focal.tha"), record=report,
                        shared_with=Country.objects.get(code="IDN"), reason="Shared lead")
    enquiry = om.EnquiryRecord.objects.filter(country__code="AUS").exclude(
        counterpart__code="THA").first()
    record_share_create(actor=User.objects.get(username="focal.aus"), record=enquiry,
                        shared_with=Country.objects.get(code="THA"), reason="For the reply")
    # edge cases of the scope: an inactive user, a lapsed membership, a group without a role
    rtp = Agency.objects.get(country__code="THA", acronym="RTP")
    inactive = User.objects.create_user("inactive.tha", is_active=False)
    Membership.objects.create(user=inactive, agency=rtp, role=Role.OFFICER)
    lapsed = User.objects.create_user("lapsed.tha")
    Membership.objects.create(user=lapsed, agency=rtp, role=Role.OFFICER, is_active=False)
    cochair = User.objects.get(username="cochair.nzl")
    cochair.groups.add(access.country_group(Country.objects.get(code="THA")))
    return world


USERNAMES = ("officer.tha", "officer2.tha", "focal.tha", "officer.aus", "focal.aus",
             "officer.mys", "focal.idn", "focal.phl", "cochair.nzl", "secretariat", "admin",
             "nobody", "inactive.tha", "lapsed.tha")


def test_both_layers_agree_user_by_user(cooperating_world):
    User = get_user_model()
    users = [User.objects.get(username=name) for name in USERNAMES]
    seen_shared = seen_attributed = seen_addressed = 0
    for user in users:
        for model in MODELS:
            # when each layer answers on its own
            by_orm = orm_ids(user, model)
            by_database = rls_ids(user, model)
            # then they agree exactly
            assert by_database == by_orm, (user.username, model.__name__)
            CASES["row-level security: users x tables compared with records_visible"] += 1
            CASES["row-level security: visible rows compared"] += len(by_orm)
            # (and the world exercises every clause of the policy)
            scope = access.scope_for(user)
            if not scope.is_superuser:
                foreign = model.objects.filter(pk__in=by_orm).exclude(
                    country_id__in=scope.record_country_ids)
                seen_attributed += foreign.filter(joint_investigation__isnull=False).count()
                if model is om.EnquiryRecord:
                    seen_addressed += foreign.filter(
                        counterpart_id__in=scope.record_country_ids).count()
                seen_shared += foreign.filter(joint_investigation__isnull=True).exclude(
                    **({"counterpart_id__in": scope.record_country_ids}
                       if model is om.EnquiryRecord else {})).count()
    assert seen_shared and seen_attributed and seen_addressed
    # both layers together (the portal as it serves) give the same rows again
    for user in users[:5]:
        expected = orm_ids(user, om.ArrestRecord)
        with app_role(user):
            assert ids(access.records_visible(user, om.ArrestRecord.objects.all())) == expected


def test_a_superuser_reads_everything_and_nobody_reads_nothing(cooperating_world):
    admin = get_user_model().objects.get(username="admin")
    for model in MODELS:
        assert rls_ids(admin, model) == ids(model.objects.all())
    # an inactive superuser has no scope (access.scope_for): nothing
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    assert rls_ids(admin, om.ArrestRecord) == set() == orm_ids(admin, om.ArrestRecord)


def test_no_user_set_sees_no_rows(thai_officer):
    for model in MODELS:
        assert model.objects.exists()
        # no setting at all, an empty one (a reset connection), and a user who does not exist
        with app_role():
            assert not model.objects.exists(), model.__name__
        for user_id in ("", "987654321"):
            with app_role(user_id=user_id):
                assert not model.objects.exists(), (model.__name__, user_id)
        CASES["row-level security: fail-closed reads"] += 3


def test_writes_to_another_countrys_rows_are_refused(cooperating_world):
    User = get_user_model()
    officer = User.objects.get(username="officer.tha")
    world = cooperating_world
    aus_operation, aus_agency = world.other.operation, world.other.agency
    # INSERT of an Australian row by a Thai officer: refused by the policy's WITH CHECK
    with app_role(officer):
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            om.ArrestRecord.objects.create(
                operation=aus_operation, country_id=aus_operation.country_id, agency=aus_agency,
                occurred_on=world.other.occurred_on, count=1, crime_type=world.other.crime_type)
        # ... while a Thai row goes in
        om.ArrestRecord.objects.create(
            operation=world.own.operation, country_id=world.own.country_id,
            agency=world.own.agency, occurred_on=world.own.occurred_on, count=1,
            crime_type=world.own.crime_type)
    # UPDATE of an Australian row, shared with Thailand or not: no row is touched
    for record in (world.other, world.shared_in):
        with app_role(officer):
            assert om.ArrestRecord.objects.filter(pk=record.pk).update(count=99) == 0
            with connection.cursor() as cursor:  # the row alone (the ORM would cascade too)
                cursor.execute(f"DELETE FROM {om.ArrestRecord._meta.db_table} WHERE id = %s",
                               [record.pk])
                assert cursor.rowcount == 0
        record.refresh_from_db()
        assert record.count != 99
    # moving a Thai row to Australia (operation, agency and country together): refused
    with app_role(officer):
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            om.ArrestRecord.objects.filter(pk=world.own.pk).update(
                operation=aus_operation, country_id=aus_operation.country_id, agency=aus_agency)
    CASES["row-level security: foreign writes refused"] += 6
    # the addressee still answers an enquiry sent to it (an update of a foreign row)
    focal = User.objects.get(username="focal.tha")
    enquiry = om.EnquiryRecord.objects.filter(counterpart__code="THA").exclude(
        country__code="THA").first()
    with app_role(focal):
        answered = cooperation.enquiry_answer(actor=focal, record=enquiry, answered_on=enquiry.occurred_on,
                                  version=enquiry.version)
        assert answered.answered_on == enquiry.occurred_on
        assert om.EnquiryRecord.objects.filter(pk=enquiry.pk, answered_on__isnull=False).exists()


def _raw_totals() -> dict[tuple, int]:
    return {tuple(key): value for metric in METRICS
            for *key, value in rollups.metric_rows(metric, Q())}


def test_the_rollup_adds_up_every_country_under_the_restricted_role(thai_officer):
    # given the raw aggregate, read as the owner
    expected = _raw_totals()
    countries = {key[1] for key in expected}
    assert len(countries) > 1
    # when the roll-up runs as the restricted role, for a Thai officer's request (eager mode)
    with app_role(thai_officer):
        seen_by_officer = {tuple(k) for metric in METRICS
                           for *k, _v in rollups.metric_rows(metric, Q())}
        run = rollups.rollup()
        stored = {tuple(key): value for *key, value in
                  CountryTotal.objects.values_list(*rollups.COLUMNS)}
        differences = rollups.differences()
        # the bypass ended with the roll-up: the officer reads Thai rows only again
        assert ids(om.ArrestRecord.objects.all()) == ids(
            om.ArrestRecord.objects.filter(country__code="THA"))
    # then the totals are every country's, equal to the raw aggregate
    assert run.outcome == run.Outcome.SUCCEEDED
    # (without the bypass, the officer's connection would add up only what Thailand reads)
    assert seen_by_officer < set(expected)
    assert {key[1] for key in seen_by_officer if key[2] == "arrests"} == {
        Country.objects.get(code="THA").pk}
    assert {k: v for k, v in stored.items() if v} == {k: v for k, v in expected.items() if v}
    assert differences == []
    CASES["row-level security: roll-up totals compared"] += len(expected)


def test_a_new_connection_serves_as_the_app_role(db, settings):
    settings.DATABASE_APP_ROLE = rls.APP_ROLE
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT current_user, session_user")
            current, session = cursor.fetchone()
        restricted = rls.is_restricted(fresh)
    finally:
        fresh.close()
    assert current == rls.APP_ROLE and session != rls.APP_ROLE
    assert restricted and not rls.is_restricted()  # the suite's own connection is the owner's


def test_pages_served_as_the_app_role(world, client):
    officer = world.users["officer"]
    client.force_login(officer)
    admin_client = type(client)()
    admin_client.force_login(world.users["admin"])
    _token, secret = api_token_create(user=officer, name="row-level security")
    expected_api_ids = orm_ids(officer, om.ArrestRecord)
    assert len(expected_api_ids) <= 50  # one page
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {rls.APP_ROLE}")
    connection.jpoa_restricted = True  # as rls.serve_as_app_role marks a new connection
    try:
        with override_settings(DATABASE_APP_ROLE=rls.APP_ROLE):
            assert current_user() == rls.APP_ROLE

            def detail(c, record):
                return c.get(reverse("operations:record_detail", args=["arrests", record.pk]))

            # then the owner country's record and one shared with it open; a foreign one is 404
            assert detail(client, world.own).status_code == 200
            assert detail(client, world.shared_in).status_code == 200
            assert detail(client, world.other).status_code == 404
            listing = client.get(reverse("operations:record_list", args=["arrests"]))
            assert listing.status_code == 200
            # an administrator reads every country's record
            assert detail(admin_client, world.other).status_code == 200
            # the API authenticates a token in the view, after the middleware: the user is
            # set again before the records are read
            api = type(client)().get(reverse("api:arrests-list"),
                                     HTTP_AUTHORIZATION=f"Bearer {secret}")
            assert api.status_code == 200
            assert {row["id"] for row in api.json()["results"]} == expected_api_ids
            # and the request's user was cleared when it ended
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting(%s, true)", [rls.USER_SETTING])
                assert cursor.fetchone()[0] in ("", None)
            with app_role():
                assert not om.ArrestRecord.objects.exists()
            CASES["row-level security: page requests as the app role"] += 6
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        connection.jpoa_restricted = False
    assert current_user() != rls.APP_ROLE
