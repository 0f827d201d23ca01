"""Two-factor authentication (django-otp): enrolment with a real TOTP code, the verify step after
the password, recovery codes, throttling and lockout, and enforcement on pages and the API.

The logins here do not verify a second factor on their own (``two_factor_unverified``): each
test goes through the steps a person would.
"""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from api.services import api_token_create
from countries import two_factor
from countries.models import AccessEvent

pytestmark = pytest.mark.two_factor_unverified

PASSWORD = "jpoa-demo-2015"
LOGIN = reverse("login")
SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")
MANAGE = reverse("two_factor_manage")
HOME = reverse("home")
API_RETURNS = reverse("api:return-list")
REQUIRED = ["focal.tha", "cochair.nzl", "secretariat", "admin"]


def user(username):
    return get_user_model().objects.get(username=username)


def code_for(device: TOTPDevice) -> str:
    """The six digits an authenticator app shows now for ``device`` (RFC 6238)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def password_login(client, username):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return response


def enrolled(username) -> TOTPDevice:
    """A confirmed authenticator (as after enrolment) and ten recovery codes."""
    device = TOTPDevice.objects.create(user=user(username), name="phone", confirmed=True)
    two_factor.recovery_codes_generate(user=device.user)
    return device


def is_verified(client) -> bool:
    return "otp_device_id" in client.session


# ---------------------------------------------------------------------------------------------
# Who needs it
# ---------------------------------------------------------------------------------------------


def test_required_for_focal_points_co_chairs_secretariat_and_administrators(demo):
    for username in REQUIRED:
        assert two_factor.two_factor_required(user(username)), username
    for username in ["officer.tha", "officer2.tha", "interpol"]:
        assert not two_factor.two_factor_required(user(username)), username


@pytest.mark.parametrize("username", REQUIRED)
def test_required_roles_are_sent_to_enrolment_until_they_have_a_factor(client, demo, username):
    # when a required role logs in with the right password
    response = password_login(client, username)
    # then they go to enrolment, and so does every page until they have enrolled
    assert response.url.startswith(SETUP)
    for path in [HOME, reverse("reporting:dashboard"), reverse("api_tokens"),
                 reverse("admin:index")]:
        page = client.get(path)
        assert page.status_code == 302 and page.url.startswith(SETUP), path
    # htmx requests are redirected the htmx way
    htmx = client.get(HOME, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(SETUP)


def test_officers_need_no_second_factor(client, demo):
    response = password_login(client, "officer.tha")
    assert response.url == HOME
    assert client.get(HOME).status_code == 200
    assert client.get(API_RETURNS).status_code == 200
    assert client.get(MANAGE).status_code == 200  # and may enrol


# ---------------------------------------------------------------------------------------------
# Enrolment
# ---------------------------------------------------------------------------------------------


def test_enrolment_with_a_real_totp_code_turns_it_on_and_shows_recovery_codes(client, demo):
    # given a focal point who logged in with the password
    password_login(client, "focal.tha")
    # when they open the enrolment page
    page = client.get(SETUP)
    # then it shows a QR code drawn on the server (inline SVG) and the key to type
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<svg [^>]*class="qr-code"', html)
    assert "style=" not in html
    device = TOTPDevice.objects.get(user=user("focal.tha"), confirmed=False)
    assert "otpauth://totp/" in device.config_url and "JPoA" in device.config_url
    assert two_factor.secret_for_typing(device) in html

    # when they type a wrong code, nothing changes
    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 400 and "not valid" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user("focal.tha"), confirmed=True).exists()

    # when they type the code their app shows (after django-otp's 1 s throttle delay is over)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post(SETUP, {"code": code_for(device)})

    # then the device is confirmed, the session verified, and ten recovery codes shown once
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=user("focal.tha"))
               .values_list("token", flat=True)) == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    assert client.get(HOME).status_code == 200
    assert client.get(API_RETURNS).status_code == 200
    assert client.get(SETUP).url == MANAGE  # enrolled: nothing more to set up


def test_a_code_is_accepted_once(client, demo):
    # given an enrolment confirmed with the current code
    password_login(client, "cochair.nzl")
    device = two_factor.totp_device_pending(user=user("cochair.nzl"))
    code = code_for(device)
    assert client.post(SETUP, {"code": code}).status_code == 200
    # when the same code is typed again at the next login
    client.post(reverse("logout"))
    password_login(client, "cochair.nzl")
    replay = client.post(VERIFY, {"code": code})
    # then it is refused (django-otp keeps the last time step used)
    assert replay.status_code == 400
    assert not is_verified(client)


# ---------------------------------------------------------------------------------------------
# The verify step
# ---------------------------------------------------------------------------------------------


def test_login_asks_for_the_code_and_goes_on_to_the_page_asked_for(client, demo):
    device = enrolled("secretariat")
    response = client.post(LOGIN, {"username": "secretariat", "password": PASSWORD,
                                   "next": reverse("reporting:return_list")})
    assert response.url.startswith(VERIFY)
    assert client.get(HOME).url.startswith(VERIFY)

    verified = client.post(VERIFY, {"code": code_for(device),
                                    "next": reverse("reporting:return_list")})

    assert verified.status_code == 302 and verified.url == reverse("reporting:return_list")
    assert is_verified(client)
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_refused_and_throttled(client, demo):
    device = enrolled("focal.tha")
    password_login(client, "focal.tha")

    wrong = client.post(VERIFY, {"code": "123456" if code_for(device) != "123456" else "654321"})

    assert wrong.status_code == 400
    assert "This code is not valid" in wrong.content.decode()
    assert not is_verified(client)
    assert client.get(HOME).url.startswith(VERIFY)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp now waits 1 s before the next try
    # and the failure is in the access log like a failed password
    [event] = AccessEvent.objects.filter(kind=AccessEvent.Kind.LOGIN_FAILED)
    assert event.username == "focal.tha" and event.path == VERIFY


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(client, demo, settings):
    # given a limit of three failures
    settings.AXES_FAILURE_LIMIT = 3
    device = enrolled("focal.tha")
    password_login(client, "focal.tha")

    # when three wrong codes are typed
    responses = [client.post(VERIFY, {"code": "abcdefgh"}) for _ in range(3)]

    # then the third locks the account out (django-axes' page) and ends the session
    assert [r.status_code for r in responses[:2]] == [400, 400]
    assert responses[2].status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.LOCKED_OUT, username="focal.tha").exists()
    # and the right password, then the right code, no longer get in while locked
    locked = client.post(LOGIN, {"username": "focal.tha", "password": PASSWORD})
    assert locked.status_code == 429
    assert code_for(device)  # (the app's code would have been right)


def test_a_recovery_code_works_once(client, demo):
    # given an enrolled focal point with recovery codes
    enrolled("focal.tha")
    code = StaticToken.objects.filter(device__user=user("focal.tha")).first().token
    password_login(client, "focal.tha")

    # when they verify with a recovery code (spaces and capitals as typed from paper)
    used = client.post(VERIFY, {"code": f" {code[:4].upper()} {code[4:]} "})

    # then they are in, and the code is used up
    assert used.status_code == 302 and is_verified(client)
    assert not StaticToken.objects.filter(token=code).exists()
    assert two_factor.recovery_codes_left(user("focal.tha")) == 9

    # when they log in again with the same code, it is refused
    client.post(reverse("logout"))
    password_login(client, "focal.tha")
    StaticDevice.objects.filter(user=user("focal.tha")).update(throttling_failure_count=0)
    again = client.post(VERIFY, {"code": code})
    assert again.status_code == 400 and not is_verified(client)


def test_an_officer_who_enrolled_verifies_at_every_login(client, demo):
    device = enrolled("officer.tha")
    response = password_login(client, "officer.tha")
    assert response.url.startswith(VERIFY)
    assert client.get(HOME).url.startswith(VERIFY)
    assert client.get(API_RETURNS).status_code == 403
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(HOME).status_code == 200


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def test_the_api_refuses_an_unverified_session_of_a_required_role(client, demo):
    device = enrolled("focal.tha")
    password_login(client, "focal.tha")

    refused = client.get(API_RETURNS)

    assert refused.status_code == 403
    body = refused.json()
    assert body["error"]["code"] == "two_factor_required"
    assert "second factor" in body["error"]["message"]
    assert body["error"]["fields"] == {}

    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(API_RETURNS).status_code == 200


def test_api_tokens_are_a_separate_credential(demo):
    # A token (made in a verified portal session) works without a code...
    _token, secret = api_token_create(user=user("focal.tha"), name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(API_RETURNS).status_code == 200
    # ...but a password alone does not make one for an account with two-factor authentication
    refused = APIClient().post(reverse("api:token-obtain"), {
        "username": "focal.tha", "password": PASSWORD, "name": "script"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "two_factor_required"
    made = APIClient().post(reverse("api:token-obtain"), {
        "username": "officer.tha", "password": PASSWORD, "name": "script"}, format="json")
    assert made.status_code == 201


# ---------------------------------------------------------------------------------------------
# Managing the factors
# ---------------------------------------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client, demo):
    device = enrolled("cochair.lka")
    old = set(StaticToken.objects.filter(device__user=user("cochair.lka")).values_list("token", flat=True))
    password_login(client, "cochair.lka")
    client.post(VERIFY, {"code": code_for(device)})

    page = client.post(reverse("two_factor_recovery_codes"))

    new = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode()))
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.filter(device__user=user("cochair.lka"))
               .values_list("token", flat=True)) == new


def test_reset_removes_the_factors_and_a_required_role_must_enrol_again(client, demo):
    device = enrolled("focal.tha")
    password_login(client, "focal.tha")
    # an unverified session cannot remove the factors
    assert client.post(reverse("two_factor_reset")).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user("focal.tha")).exists()

    client.post(VERIFY, {"code": code_for(device)})
    response = client.post(reverse("two_factor_reset"))

    assert response.url == SETUP
    assert not TOTPDevice.objects.filter(user=user("focal.tha"), confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=user("focal.tha")).exists()
    assert client.get(HOME).url.startswith(SETUP)


def test_the_verify_page_sends_only_to_this_site(client, demo):
    device = enrolled("focal.tha")
    password_login(client, "focal.tha")
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == HOME
