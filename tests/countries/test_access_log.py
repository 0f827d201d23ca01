"""The access log: every authentication event and every read of a sensitive record, append-only."""
from __future__ import annotations

import psycopg2.errors
import pytest
from django.contrib.auth import get_user_model
from django.db import InternalError, transaction
from django.urls import reverse

from countries.models import AccessEvent, Country
from operations import models as om

DEMO_PASSWORD = "jpoa-demo-2015"
CLIENT_IP = "127.0.0.1"  # what Django's test client sends as REMOTE_ADDR
LOGIN_URL = reverse("login")

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def log_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def events(kind):
    return list(AccessEvent.objects.filter(kind=kind).order_by("id"))


# ---------------------------------------------------------------------------------------------
# Authentication events
# ---------------------------------------------------------------------------------------------


def test_a_successful_login_is_logged(client, demo):
    # when
    response = log_in(client, "officer.tha", DEMO_PASSWORD)
    # then
    assert response.status_code == 302
    [event] = events(AccessEvent.Kind.LOGIN)
    assert (event.user, event.username, event.ip_address, event.path) == (
        user("officer.tha"), "officer.tha", CLIENT_IP, LOGIN_URL
    )


def test_logins_through_the_admin_are_logged_too(client, demo):
    # given
    admin_login = reverse("admin:login")
    form = {"this_is_the_login_form": "1", "next": reverse("admin:index")}
    # when
    client.post(admin_login, {**form, "username": "admin", "password": "not-the-password"})
    client.post(admin_login, {**form, "username": "admin", "password": DEMO_PASSWORD})
    # then
    assert [(e.kind, e.username, e.path) for e in AccessEvent.objects.order_by("id")] == [
        (AccessEvent.Kind.LOGIN_FAILED, "admin", admin_login),
        (AccessEvent.Kind.LOGIN, "admin", admin_login),
    ]


def test_a_failed_login_is_logged_with_the_username_tried(client, demo):
    # when: a wrong password for a real account, then an account that does not exist
    log_in(client, "officer.tha", "not-the-password")
    log_in(client, "no.such.user", "whatever")
    # then
    logged = events(AccessEvent.Kind.LOGIN_FAILED)
    assert [(e.user_id, e.username, e.ip_address, e.path) for e in logged] == [
        (None, "officer.tha", CLIENT_IP, LOGIN_URL),
        (None, "no.such.user", CLIENT_IP, LOGIN_URL),
    ]
    assert events(AccessEvent.Kind.LOGIN) == []


def test_a_logout_is_logged(client, demo):
    # given
    log_in(client, "focal.tha", DEMO_PASSWORD)
    # when
    response = client.post(reverse("logout"))
    # then
    assert response.status_code == 302
    [event] = events(AccessEvent.Kind.LOGOUT)
    assert (event.user, event.username, event.ip_address) == (user("focal.tha"), "focal.tha", CLIENT_IP)


def test_a_lockout_is_logged(client, demo, settings):
    # given: one failure short of the limit, nothing is locked yet
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "officer.aus", "not-the-password")
    assert events(AccessEvent.Kind.LOCKED_OUT) == []
    # when
    response = log_in(client, "officer.aus", "not-the-password")
    # then
    assert response.status_code == 429
    [event] = events(AccessEvent.Kind.LOCKED_OUT)
    assert (event.username, event.ip_address, event.path) == ("officer.aus", CLIENT_IP, LOGIN_URL)
    assert len(events(AccessEvent.Kind.LOGIN_FAILED)) == settings.AXES_FAILURE_LIMIT


def test_a_refused_login_during_the_lockout_is_logged_too(client, demo, settings):
    # given
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "officer.aus", "not-the-password")
    # when: the right password, refused
    response = log_in(client, "officer.aus", DEMO_PASSWORD)
    # then
    assert response.status_code == 429
    assert [e.username for e in events(AccessEvent.Kind.LOCKED_OUT)] == ["officer.aus"] * 2
    assert events(AccessEvent.Kind.LOGIN) == []


# ---------------------------------------------------------------------------------------------
# Reads of sensitive records
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        ("intelligence", om.IntelligenceReport),
        ("suspects", om.SuspectRecord),
        ("victims-assisted", om.VictimAssistanceRecord),
    ],
)
def test_reading_a_sensitive_record_is_logged(client, demo, kind, model):
    # given
    thailand = Country.objects.get(code="THA")
    record = model.objects.filter(country=thailand).order_by("pk").first()
    client.force_login(user("officer.tha"))
    url = reverse("operations:record_detail", args=[kind, record.pk])
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    [read] = events(AccessEvent.Kind.READ)
    assert (read.user, read.username, read.object_type, read.object_id, read.country, read.ip_address,
            read.path) == (user("officer.tha"), "officer.tha", model._meta.label_lower, str(record.pk),
                           thailand, CLIENT_IP, url)


def test_reading_an_arrest_record_is_not_logged(client, demo):
    # given
    record = om.ArrestRecord.objects.filter(country__code="THA").first()
    client.force_login(user("officer.tha"))
    # when
    response = client.get(reverse("operations:record_detail", args=["arrests", record.pk]))
    # then
    assert response.status_code == 200
    assert events(AccessEvent.Kind.READ) == []


def test_a_refused_read_logs_no_read(client, demo):
    # given: an Australian intelligence report, which a Thai officer may not read
    report = om.IntelligenceReport.objects.get(country__code="AUS")
    client.force_login(user("officer.tha"))
    # when
    response = client.get(reverse("operations:record_detail", args=["intelligence", report.pk]))
    # then
    assert response.status_code == 404
    assert events(AccessEvent.Kind.READ) == []


# ---------------------------------------------------------------------------------------------
# Append-only
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def logged_event():
    return AccessEvent.objects.create(kind=AccessEvent.Kind.LOGIN, username="officer.tha",
                                      ip_address=CLIENT_IP, path=LOGIN_URL)


def assert_refused_by_the_database(error) -> None:
    # pgtrigger.Protect raises a plain PL/pgSQL exception (SQLSTATE P0001), which psycopg2 maps to
    # RaiseException, an InternalError; Django re-raises it as django.db.InternalError.
    assert isinstance(error.value.__cause__, psycopg2.errors.RaiseException)
    assert "pgtrigger: Cannot" in str(error.value)
    assert "countries_accessevent" in str(error.value)


def test_the_database_refuses_to_update_the_access_log(logged_event):
    with pytest.raises(InternalError) as error, transaction.atomic():
        AccessEvent.objects.filter(pk=logged_event.pk).update(username="someone.else")
    assert_refused_by_the_database(error)
    logged_event.refresh_from_db()
    assert logged_event.username == "officer.tha"


def test_the_database_refuses_to_save_a_changed_access_log_entry(logged_event):
    logged_event.kind = AccessEvent.Kind.LOGOUT
    with pytest.raises(InternalError) as error, transaction.atomic():
        logged_event.save()
    assert_refused_by_the_database(error)
    assert AccessEvent.objects.get(pk=logged_event.pk).kind == AccessEvent.Kind.LOGIN


def test_the_database_refuses_to_delete_from_the_access_log(logged_event):
    with pytest.raises(InternalError) as error, transaction.atomic():
        AccessEvent.objects.filter(pk=logged_event.pk).delete()
    assert_refused_by_the_database(error)
    assert AccessEvent.objects.filter(pk=logged_event.pk).exists()
