"""Logging in: lockout after repeated failures (django-axes), idle session expiry, password rules."""
from __future__ import annotations

import datetime as dt

import pytest
from axes import helpers as axes_helpers
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # UserFactory's password
LOGIN_URL = reverse("login")
ADMIN_LOGIN_URL = reverse("admin:login")
LOCKED_OUT_TEXT = "Account temporarily locked"


def log_in(client, username, password, *, url=LOGIN_URL, **extra):
    data = {"username": username, "password": password}
    if url == ADMIN_LOGIN_URL:
        data.update({"this_is_the_login_form": "1", "next": reverse("admin:index")})
    return client.post(url, data, **extra)


def fail(client, username, times, *, url=LOGIN_URL, **extra):
    return [log_in(client, username, "wrong-password", url=url, **extra) for _ in range(times)]


def assert_logged_in(response, client):
    assert response.status_code == 302, response.content[:500]
    assert "_auth_user_id" in client.session


def assert_locked_out(response, client):
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert LOCKED_OUT_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session


def move_attempts_back(by: dt.timedelta) -> None:
    """Pretend the failed attempts happened ``by`` earlier (a real change to axes' rows)."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - by)


def test_axes_reads_the_failure_limit_from_django_settings_at_call_time(settings):
    # given: axes' settings object is Django's, not a copy taken at import
    assert axes_settings is django_settings
    # when
    settings.AXES_FAILURE_LIMIT = 2
    # then
    assert axes_helpers.get_failure_limit(None, {}) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("override", [None, 3], ids=["configured limit", "limit overridden to 3"])
def test_one_failure_short_of_the_limit_the_right_password_still_logs_in(client, settings, override):
    # given
    if override is not None:
        settings.AXES_FAILURE_LIMIT = override
    limit = settings.AXES_FAILURE_LIMIT
    user = UserFactory()
    # when
    responses = fail(client, user.username, limit - 1)
    # then
    assert [r.status_code for r in responses] == [200] * (limit - 1)
    assert_logged_in(log_in(client, user.username, PASSWORD), client)


@pytest.mark.django_db
@pytest.mark.parametrize("override", [None, 3], ids=["configured limit", "limit overridden to 3"])
def test_at_exactly_the_limit_the_right_password_is_refused(client, settings, override):
    # given
    if override is not None:
        settings.AXES_FAILURE_LIMIT = override
    limit = settings.AXES_FAILURE_LIMIT
    user = UserFactory()
    # when
    responses = fail(client, user.username, limit)
    # then: the failure that reaches the limit already answers with the lockout page
    assert [r.status_code for r in responses] == [200] * (limit - 1) + [429]
    assert_locked_out(responses[-1], client)
    assert_locked_out(log_in(client, user.username, PASSWORD), client)


@pytest.mark.django_db
def test_a_locked_out_user_gets_in_only_after_the_cool_off(client, settings):
    # given
    user = UserFactory()
    fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    cool_off = settings.AXES_COOLOFF_TIME
    # when: a minute before the cool-off ends
    move_attempts_back(cool_off - dt.timedelta(minutes=1))
    # then
    assert_locked_out(log_in(client, user.username, PASSWORD), client)
    # when: a minute after it ended
    move_attempts_back(cool_off + dt.timedelta(minutes=1))
    # then
    assert_logged_in(log_in(client, user.username, PASSWORD), client)


@pytest.mark.django_db
def test_the_lockout_page_says_how_long_to_wait(client, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=45)
    user = UserFactory()
    response = fail(client, user.username, settings.AXES_FAILURE_LIMIT)[-1]
    assert "Try again in 45 minutes." in response.content.decode()


@pytest.mark.django_db
def test_failures_lock_the_username_only_at_the_address_they_came_from(client, settings):
    # given: the failures come from one address (someone who knows the username)
    user = UserFactory()
    fail(client, user.username, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="10.0.0.1")
    # when: the right password comes from that address
    # then: the attacker's address is locked for that account
    assert_locked_out(log_in(client, user.username, PASSWORD, REMOTE_ADDR="10.0.0.1"), client)
    # when: it comes from the user's own
    # then: the user is not
    assert_logged_in(log_in(client, user.username, PASSWORD, REMOTE_ADDR="10.0.0.2"), client)


@pytest.mark.django_db
def test_one_address_failing_does_not_lock_out_the_others_behind_it(client, settings):
    # given: one person behind a station's NAT fails the limit, on their own account and others
    colleague = UserFactory()
    fail(client, "guess", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="10.0.0.5")
    fail(client, UserFactory().username, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="10.0.0.5")
    # when: a colleague logs in from the same address
    response = log_in(client, colleague.username, PASSWORD, REMOTE_ADDR="10.0.0.5")
    # then
    assert_logged_in(response, client)


ADDRESS_LOCKED_TEXT = "Logins from your address temporarily blocked"


@pytest.mark.django_db
def test_failures_lock_the_address_for_every_username_at_the_higher_address_limit(client, settings):
    # given: one address guesses a different username each time, one short of its limit
    address_limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert address_limit > settings.AXES_FAILURE_LIMIT
    victim = UserFactory()
    for i in range(address_limit - 1):
        assert log_in(client, f"guess{i}", "wrong-password", REMOTE_ADDR="10.0.0.3").status_code == 200
    # then: a user behind that address still gets in
    assert_logged_in(log_in(client, victim.username, PASSWORD, REMOTE_ADDR="10.0.0.3"), client)
    client.logout()
    # when: one more failure reaches the address limit
    last = log_in(client, "guess-last", "wrong-password", REMOTE_ADDR="10.0.0.3")
    from_that_address = log_in(client, victim.username, PASSWORD, REMOTE_ADDR="10.0.0.3")
    # then: the address is blocked for everyone, and the page says it is the address
    for response in (last, from_that_address):
        assert response.status_code == 429
        page = response.content.decode()
        assert ADDRESS_LOCKED_TEXT in page and LOCKED_OUT_TEXT not in page
    assert "_auth_user_id" not in client.session
    # and from another address the same user still gets in
    assert_logged_in(log_in(client, victim.username, PASSWORD, REMOTE_ADDR="10.0.0.4"), client)


@pytest.mark.django_db
def test_the_address_limit_is_read_from_settings(client, settings):
    # given
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_ADDRESS_FAILURE_LIMIT = 3
    user = UserFactory()
    # when: three failures on three usernames
    responses = [log_in(client, f"someone{i}", "wrong", REMOTE_ADDR="10.0.0.9") for i in range(3)]
    # then
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert log_in(client, user.username, PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 429
    # and after the cool-off the address is free again
    move_attempts_back(settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1))
    assert_logged_in(log_in(client, user.username, PASSWORD, REMOTE_ADDR="10.0.0.9"), client)


@pytest.mark.django_db
def test_the_token_endpoint_says_which_lock_applies(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_ADDRESS_FAILURE_LIMIT = 4
    user = UserFactory()
    url = reverse("api:token-obtain")

    def token(username, address):
        return client.post(url, {"username": username, "password": "wrong", "name": "script"},
                           content_type="application/json", REMOTE_ADDR=address)

    # the account, at one address
    answers = [token(user.username, "10.0.1.1") for _ in range(2)]
    assert [a.status_code for a in answers] == [400, 403]
    assert answers[-1].json()["error"]["code"] == "locked_out"
    assert "this account is locked for now from your address" in answers[-1].json()["error"]["message"]
    # the address, for every account
    answers = [token(f"someone{i}", "10.0.1.2") for i in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 400, 403]
    assert "blocked for now, for every account" in answers[-1].json()["error"]["message"]


def test_an_address_limit_below_the_account_limit_stops_the_portal_at_start():
    import os
    import subprocess
    import sys

    from tests.conftest import BASE_DIR

    env = {**os.environ, "AXES_FAILURE_LIMIT": "5", "AXES_ADDRESS_FAILURE_LIMIT": "4",
           "DATABASE_URL": "postgres://unused@127.0.0.1:1/none"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "AXES_ADDRESS_FAILURE_LIMIT (4) must be at least AXES_FAILURE_LIMIT (5)" in result.stderr


@pytest.mark.django_db
def test_the_admin_login_locks_out_the_same_way(client, settings):
    # given
    admin = UserFactory(is_staff=True, is_superuser=True)
    limit = settings.AXES_FAILURE_LIMIT
    # when
    responses = fail(client, admin.username, limit, url=ADMIN_LOGIN_URL)
    # then
    assert [r.status_code for r in responses] == [200] * (limit - 1) + [429]
    assert_locked_out(log_in(client, admin.username, PASSWORD, url=ADMIN_LOGIN_URL), client)
    # and the portal login refuses the same account: one counter for every entry point
    assert_locked_out(log_in(client, admin.username, PASSWORD), client)
    # when the cool-off has passed
    move_attempts_back(settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1))
    # then
    assert_logged_in(log_in(client, admin.username, PASSWORD, url=ADMIN_LOGIN_URL), client)


@pytest.mark.django_db
def test_admin_failures_count_towards_the_portal_lockout(client, settings):
    # given: failures split between the two login pages
    user = UserFactory(is_staff=True)
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, user.username, limit - 1, url=ADMIN_LOGIN_URL)
    # when
    last = fail(client, user.username, 1)[-1]
    # then
    assert_locked_out(last, client)


# ---------------------------------------------------------------------------------------------
# Sessions expire after inactivity
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_idle_longer_than_the_timeout_is_logged_out(client):
    # given: a logged-in user whose last request was a minute longer ago than the idle timeout
    assert_logged_in(log_in(client, UserFactory().username, PASSWORD), client)
    assert client.get(reverse("home")).status_code == 200
    idle_timeout = dt.timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    last_request = timezone.now() - idle_timeout - dt.timedelta(minutes=1)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=last_request + idle_timeout
    )
    # when
    response = client.get(reverse("home"))
    # then
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=/"


@pytest.mark.django_db
def test_each_request_pushes_the_idle_timeout_back(client):
    # given: a session one minute from expiring
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    assert_logged_in(log_in(client, UserFactory().username, PASSWORD), client)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    # when
    before = timezone.now()
    response = client.get(reverse("home"))
    # then
    assert response.status_code == 200
    expire_date = Session.objects.get(session_key=key).expire_date
    assert expire_date >= before + dt.timedelta(seconds=django_settings.SESSION_COOKIE_AGE)


# ---------------------------------------------------------------------------------------------
# Password rules
# ---------------------------------------------------------------------------------------------


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Xq7!pz", "password_too_short"),
        ("password1234", "password_too_common"),
        ("184629573016", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_rejected(password, code):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert code in _codes(error.value)


@pytest.mark.django_db
def test_a_password_like_the_username_is_rejected():
    user = UserFactory.build(username="somchai.prasert", first_name="Somchai")
    with pytest.raises(ValidationError) as error:
        validate_password("somchai.prasert", user=user)
    assert "password_too_similar" in _codes(error.value)


def test_a_long_uncommon_password_is_accepted():
    assert validate_password("tidal-mango-ferry-42") is None
