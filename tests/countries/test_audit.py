"""The audit trail: every write path leaves its events, the audit page scopes them, nobody edits them.

Writes inside a Celery task are covered by tests/test_audit_task.py (a test task); the roll-up
task's own write path will be tested when that task exists.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pghistory
import psycopg2.errors
import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import InternalError, connection, transaction
from django.urls import reverse
from pghistory.models import Events

from countries.models import AccessEvent, Country, Role
from operations import models as om
from operations.services import record_share_create
from tests.factories import (
    AgencyFactory,
    ArrestRecordFactory,
    CountryFactory,
    JointOperationFactory,
    MembershipFactory,
    OperationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AUDIT_URL = reverse("audit_log")


def user(username):
    return get_user_model().objects.get(username=username)


def arrest_events(record_pk) -> list[om.ArrestRecordEvent]:
    return list(
        om.ArrestRecordEvent.objects.filter(pgh_obj_id=record_pk)
        .select_related("pgh_context").order_by("pgh_id")
    )


def metadata(event) -> dict | None:
    return event.pgh_context.metadata if event.pgh_context is not None else None


# ---------------------------------------------------------------------------------------------
# Every write path leaves exactly its events, with who and where
# ---------------------------------------------------------------------------------------------


def test_page_add_change_and_delete_each_leave_one_event_with_the_user_and_path(client, demo):
    # given
    officer = user("officer.tha")
    client.force_login(officer)
    operation = om.Operation.objects.get(country__code="THA")
    form = {
        "agency": officer.memberships.get().agency_id, "occurred_on": "2015-10-02", "count": "4",
        "crime_type": om.CrimeType.TRAFFICKING, "sector": om.Sector.FISHING,
    }
    add_url = reverse("operations:record_create", args=["arrests"])

    # when: added
    response = client.post(add_url, form)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    record = om.ArrestRecord.objects.get(occurred_on=dt.date(2015, 10, 2), count=4,
                                         country=operation.country)
    [insert] = arrest_events(record.pk)
    assert insert.pgh_label == "insert"
    assert metadata(insert)["user"] == officer.pk
    assert metadata(insert)["url"] == add_url

    # when: changed
    change_url = reverse("operations:record_update", args=["arrests", record.pk])
    response = client.post(change_url, {**form, "count": "6", "version": "1"})
    # then
    assert response.status_code == 302
    insert_again, update = arrest_events(record.pk)
    assert insert_again == insert
    assert (update.pgh_label, update.count) == ("update", 6)
    assert metadata(update)["user"] == officer.pk
    assert metadata(update)["url"] == change_url
    assert metadata(update)["method"] == "POST"

    # when: deleted
    delete_url = reverse("operations:record_delete", args=["arrests", record.pk])
    response = client.post(delete_url, {"version": "2"})
    # then
    assert response.status_code == 302
    assert not om.ArrestRecord.objects.filter(pk=record.pk).exists()
    labels = [e.pgh_label for e in arrest_events(record.pk)]
    assert labels == ["insert", "update", "delete"]
    delete = arrest_events(record.pk)[-1]
    assert (delete.count, metadata(delete)["user"], metadata(delete)["url"]) == (6, officer.pk, delete_url)


def test_the_admin_cannot_write_records_around_the_services(client, demo):
    client.force_login(user("admin"))
    record = om.ArrestRecord.objects.filter(country__code="THA").first()
    assert client.get(reverse("admin:operations_arrestrecord_add")).status_code == 403
    assert client.post(reverse("admin:operations_arrestrecord_delete", args=[record.pk]),
                       {"post": "yes"}).status_code == 403
    client.post(reverse("admin:operations_arrestrecord_change", args=[record.pk]), {"count": "99"})
    record.refresh_from_db()
    assert record.count != 99


def test_queryset_update_inside_an_audit_context_is_attributed(demo):
    # given
    focal = user("focal.tha")
    record = om.ArrestRecord.objects.filter(country__code="THA").first()
    # when
    with pghistory.context(user=focal.pk):
        changed = om.ArrestRecord.objects.filter(pk=record.pk).update(count=record.count + 10)
    # then
    assert changed == 1
    insert, update = arrest_events(record.pk)
    assert (insert.pgh_label, update.pgh_label) == ("insert", "update")
    assert update.count == record.count + 10
    assert metadata(update) == {"user": focal.pk}


def test_a_bare_queryset_update_is_still_recorded_without_context(demo):
    # given
    record = om.ArrestRecord.objects.filter(country__code="AUS").first()
    # when
    om.ArrestRecord.objects.filter(pk=record.pk).update(count=record.count + 1)
    # then
    insert, update = arrest_events(record.pk)
    assert update.pgh_label == "update"
    assert update.pgh_context is None
    [aggregated] = Events.objects.tracks(record).filter(pgh_label="update")
    assert aggregated.pgh_context is None
    assert aggregated.pgh_diff == {"count": [record.count, record.count + 1]}


def test_bulk_writes_and_raw_sql_are_recorded_row_by_row(demo):
    # given
    operation = om.Operation.objects.get(country__code="NZL")
    template = {"operation": operation, "country": operation.country, "agency": operation.lead_agency,
                "occurred_on": dt.date(2015, 10, 5), "crime_type": om.CrimeType.SMUGGLING}
    # when
    created = om.ArrestRecord.objects.bulk_create(
        [om.ArrestRecord(count=n, **template) for n in (91, 92)]
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE operations_arrestrecord SET count = count + 100 WHERE id = %s",
                       [created[0].pk])
    om.ArrestRecord.objects.filter(pk__in=[r.pk for r in created]).delete()
    # then
    assert [e.pgh_label for e in arrest_events(created[0].pk)] == ["insert", "update", "delete"]
    assert [e.pgh_label for e in arrest_events(created[1].pk)] == ["insert", "delete"]
    assert arrest_events(created[0].pk)[-1].count == 191


def test_sharing_through_the_portal_records_the_share_with_who_and_where(client, demo):
    # given
    focal = user("focal.tha")
    record = om.ArrestRecord.objects.filter(country__code="THA").first()
    australia = Country.objects.get(code="AUS")
    client.force_login(focal)
    share_url = reverse("operations:record_share", args=["arrests", record.pk])

    # when: shared
    response = client.post(share_url, {"shared_with": australia.pk, "reason": "Suspects crossed to Australia"})
    # then
    assert response.status_code == 302
    share = om.RecordShare.objects.get(object_id=record.pk, shared_with=australia)
    [insert] = om.RecordShareEvent.objects.filter(pgh_obj_id=share.pk).select_related("pgh_context")
    assert insert.pgh_label == "insert"
    assert (insert.shared_by_id, insert.reason) == (focal.pk, "Suspects crossed to Australia")
    assert metadata(insert)["user"] == focal.pk
    assert metadata(insert)["url"] == share_url
    assert metadata(insert)["ip"] == "127.0.0.1"

    # when: revoked
    revoke_url = reverse("operations:share_revoke", args=[share.pk])
    response = client.post(revoke_url)
    # then
    assert response.status_code == 302
    events = list(om.RecordShareEvent.objects.filter(pgh_obj_id=share.pk)
                  .select_related("pgh_context").order_by("pgh_id"))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    update = events[1]
    assert (update.revoked_by_id, update.revoked_at is not None) == (focal.pk, True)
    assert metadata(update)["user"] == focal.pk
    assert metadata(update)["url"] == revoke_url
    # the record itself did not change
    assert [e.pgh_label for e in arrest_events(record.pk)] == ["insert"]


# ---------------------------------------------------------------------------------------------
# The audit page
# ---------------------------------------------------------------------------------------------


@dataclass
class TwoCountries:
    thai_record: om.ArrestRecord
    australian_record: om.ArrestRecord
    focal_tha: object
    officer_tha: object
    focal_aus: object
    admin: object


@pytest.fixture
def two_countries() -> TwoCountries:
    """A small world (few enough events for one page): a Thai and an Australian arrest record."""
    joint_operation = JointOperationFactory()
    thailand = CountryFactory(code="THA", name="Thailand")
    australia = CountryFactory(code="AUS", name="Australia", time_zone="Australia/Sydney")
    thai_agency = AgencyFactory(country=thailand, name="Royal Thai Police")
    australian_agency = AgencyFactory(country=australia, name="Australian Federal Police")
    thai_operation = OperationFactory(joint_operation=joint_operation, lead_agency=thai_agency)
    australian_operation = OperationFactory(joint_operation=joint_operation,
                                            lead_agency=australian_agency)
    return TwoCountries(
        thai_record=ArrestRecordFactory(operation=thai_operation, count=2),
        australian_record=ArrestRecordFactory(operation=australian_operation, count=3),
        focal_tha=MembershipFactory(agency=thai_agency, role=Role.FOCAL_POINT).user,
        officer_tha=MembershipFactory(agency=thai_agency, role=Role.OFFICER).user,
        focal_aus=MembershipFactory(agency=australian_agency, role=Role.FOCAL_POINT).user,
        admin=UserFactory(is_staff=True, is_superuser=True),
    )


def change_counts(world: TwoCountries, *, thai: int, australian: int) -> None:
    with pghistory.context(user=world.officer_tha.pk, url="/records/arrests/"):
        om.ArrestRecord.objects.filter(pk=world.thai_record.pk).update(count=thai)
    om.ArrestRecord.objects.filter(pk=world.australian_record.pk).update(count=australian)


def test_a_focal_point_sees_their_countrys_changes_only(client, two_countries):
    # given
    change_counts(two_countries, thai=4242, australian=9191)
    client.force_login(two_countries.focal_tha)
    # when
    response = client.get(AUDIT_URL)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "People arrested: 2 → 4242" in page
    assert "9191" not in page
    assert f"Arrests #{two_countries.thai_record.pk}" in page
    assert two_countries.officer_tha.username in page
    rows = response.context["page"].rows
    assert {r.object_label for r in rows if r.object_label.startswith("Arrests")} == {
        f"Arrests #{two_countries.thai_record.pk}"
    }


def test_the_other_countrys_focal_point_sees_the_other_side(client, two_countries):
    change_counts(two_countries, thai=4242, australian=9191)
    client.force_login(two_countries.focal_aus)
    page = client.get(AUDIT_URL).content.decode()
    assert "People arrested: 3 → 9191" in page
    assert "4242" not in page


def test_the_administrator_sees_every_countrys_changes(client, two_countries):
    change_counts(two_countries, thai=4242, australian=9191)
    client.force_login(two_countries.admin)
    page = client.get(AUDIT_URL).content.decode()
    assert "People arrested: 2 → 4242" in page
    assert "People arrested: 3 → 9191" in page


def test_the_page_names_models_and_fields_not_tables_and_columns(client, two_countries):
    # given: a change of a choice field, made through the portal's request context
    with pghistory.context(user=two_countries.officer_tha.pk, url="/somewhere/", ip="10.1.2.3"):
        om.ArrestRecord.objects.filter(pk=two_countries.thai_record.pk).update(
            crime_type=om.CrimeType.SMUGGLING
        )
    client.force_login(two_countries.focal_tha)
    # when
    page = client.get(AUDIT_URL).content.decode()
    # then
    assert "Crime type: Trafficking in persons → People smuggling" in page
    assert "operations.ArrestRecord" not in page
    assert "crime_type" not in page
    assert "/somewhere/" in page and "10.1.2.3" in page
    assert "Changed" in page and "Created" in page


def test_the_page_says_which_task_or_command_made_a_change(client, two_countries):
    # given
    with pghistory.context(task="reporting.rollup", task_id="abc"):
        om.ArrestRecord.objects.filter(pk=two_countries.thai_record.pk).update(count=5)
    with pghistory.context(command="load_demo"):
        om.ArrestRecord.objects.filter(pk=two_countries.thai_record.pk).update(count=6)
    client.force_login(two_countries.focal_tha)
    # when
    page = client.get(AUDIT_URL).content.decode()
    # then
    assert "reporting.rollup" in page
    assert "manage.py load_demo" in page


def test_a_share_of_a_countrys_record_is_in_that_countrys_history(client, two_countries):
    # given
    share = record_share_create(actor=two_countries.focal_tha, record=two_countries.thai_record,
                                shared_with=two_countries.australian_record.country,
                                reason="Suspects crossed to Australia")
    client.force_login(two_countries.focal_tha)
    # when
    page = client.get(AUDIT_URL).content.decode()
    # then
    assert f"Record share #{share.pk}" in page


@pytest.mark.parametrize("who", ["officer_tha", "no_membership"])
def test_users_who_are_not_focal_points_get_404(client, two_countries, who):
    account = UserFactory() if who == "no_membership" else getattr(two_countries, who)
    client.force_login(account)
    assert client.get(AUDIT_URL).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, two_countries):
    response = client.get(AUDIT_URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={AUDIT_URL}"


def test_the_page_costs_the_same_queries_whatever_its_length(
    client, two_countries, django_assert_max_num_queries
):
    # given: more than a page of Thai changes, by two different users
    for count in range(100, 160):
        actor = two_countries.focal_tha if count % 2 else two_countries.officer_tha
        with pghistory.context(user=actor.pk):
            om.ArrestRecord.objects.filter(pk=two_countries.thai_record.pk).update(count=count)
    client.force_login(two_countries.focal_tha)
    # when: session, user and memberships; one query for the events, one for the usernames; then
    # the session's save on every request (a savepoint, an update and a release inside a test)
    with django_assert_max_num_queries(8) as first_queries:
        first = client.get(AUDIT_URL)
    with django_assert_max_num_queries(8) as second_queries:
        second = client.get(AUDIT_URL, {"page": 2})
    # then
    assert len(first.context["page"].rows) == 50
    assert first.context["page"].has_next and not first.context["page"].has_previous
    assert 0 < len(second.context["page"].rows) < 50
    assert second.context["page"].has_previous and not second.context["page"].has_next
    assert 'href="?page=2"' in first.content.decode()
    for queries in (first_queries, second_queries):
        assert len(queries_of(queries, "WITH pghistory_events AS")) == 1
        assert len(queries_of(queries, '"auth_user"."id" IN')) == 1
    # (events of one transaction share a time, so the order across tables within it is arbitrary)
    assert {two_countries.focal_tha.username, two_countries.officer_tha.username} <= {
        r.user for r in first.context["page"].rows + second.context["page"].rows
    }


def queries_of(captured, fragment: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if fragment in q["sql"]]


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, two_countries):
    client.force_login(two_countries.focal_tha)
    response = client.get(AUDIT_URL, {"page": "last"})
    assert response.status_code == 200
    assert response.context["page"].number == 1


# ---------------------------------------------------------------------------------------------
# Nobody edits the audit trail
# ---------------------------------------------------------------------------------------------


def assert_refused_by_the_database(error, table: str) -> None:
    # pgtrigger.Protect raises SQLSTATE P0001: psycopg2's RaiseException, an InternalError.
    assert isinstance(error.value.__cause__, psycopg2.errors.RaiseException)
    assert "pgtrigger: Cannot" in str(error.value) and table in str(error.value)


def test_the_database_refuses_to_update_an_audit_event(two_countries):
    event = om.ArrestRecordEvent.objects.get(pgh_obj_id=two_countries.thai_record.pk)
    with pytest.raises(InternalError) as error, transaction.atomic():
        om.ArrestRecordEvent.objects.filter(pk=event.pk).update(count=999)
    assert_refused_by_the_database(error, "operations_arrestrecordevent")
    event.refresh_from_db()
    assert event.count == 2


def test_the_database_refuses_to_delete_an_audit_event(two_countries):
    event = om.ArrestRecordEvent.objects.get(pgh_obj_id=two_countries.thai_record.pk)
    with pytest.raises(InternalError) as error, transaction.atomic():
        om.ArrestRecordEvent.objects.filter(pk=event.pk).delete()
    assert_refused_by_the_database(error, "operations_arrestrecordevent")
    assert om.ArrestRecordEvent.objects.filter(pk=event.pk).exists()


def test_the_events_admin_offers_no_change_or_delete(client, two_countries):
    # given
    client.force_login(two_countries.admin)
    event = om.ArrestRecordEvent.objects.get(pgh_obj_id=two_countries.thai_record.pk)
    slug = quote(f"operations.ArrestRecordEvent:{event.pk}")
    # when
    changelist = client.get(reverse("admin:pghistory_events_changelist"))
    change = client.post(reverse("admin:pghistory_events_change", args=[slug]), {"pgh_label": "x"})
    delete = client.post(reverse("admin:pghistory_events_delete", args=[slug]), {"post": "yes"})
    add = client.get(reverse("admin:pghistory_events_add"))
    # then
    assert changelist.status_code == 200
    assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    event.refresh_from_db()
    assert event.pgh_label == "insert"


@pytest.fixture
def access_event():
    return AccessEvent.objects.create(kind=AccessEvent.Kind.LOGIN_FAILED, username="guessed.name",
                                      ip_address="10.9.8.7", path="/accounts/login/")


def test_the_access_log_admin_lists_entries_for_the_administrator(client, access_event):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:countries_accessevent_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "guessed.name" in page and "10.9.8.7" in page
    assert "delete_selected" not in page  # no bulk delete action either


def test_the_access_log_admin_is_read_only_even_for_the_administrator(client, access_event):
    # given
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change_url = reverse("admin:countries_accessevent_change", args=[access_event.pk])
    # when
    view = client.get(change_url)
    change = client.post(change_url, {"kind": "login", "username": "someone.else"})
    delete = client.post(reverse("admin:countries_accessevent_delete", args=[access_event.pk]),
                         {"post": "yes"})
    add = client.post(reverse("admin:countries_accessevent_add"),
                      {"kind": "login", "username": "invented"})
    # then
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    access_event.refresh_from_db()
    assert access_event.username == "guessed.name"
    assert not AccessEvent.objects.filter(username="invented").exists()


def test_the_access_log_admin_is_for_administrators_only(client, access_event):
    # given: a staff member who was even granted the model's view permission
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_accessevent"))
    client.force_login(staff)
    # when
    changelist = client.get(reverse("admin:countries_accessevent_changelist"))
    change = client.get(reverse("admin:countries_accessevent_change", args=[access_event.pk]))
    # then
    assert (changelist.status_code, change.status_code) == (403, 403)
