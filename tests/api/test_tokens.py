"""Personal API tokens: made, named, listed and revoked in the portal; stored only hashed."""
from __future__ import annotations

import hashlib
import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken, ApiTokenEvent
from api.services import api_token_create
from countries.models import AccessEvent

PAGE = reverse("api_tokens")
RECORDS = reverse("api:arrests-list")
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, username: str = "officer.tha"):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def secret_on(html: str) -> str:
    match = re.search(r'id="new-token-secret" type="text" value="([^"]+)"', html)
    return match.group(1) if match else ""


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_page_is_linked_from_the_header_for_logged_in_users(client, demo):
    assert client.get(PAGE).status_code == 302  # to the login page
    login(client)

    home = client.get(reverse("home")).content.decode()

    assert f'href="{PAGE}"' in home


def test_a_new_token_is_shown_once_and_stored_only_as_its_sha256(client, demo):
    # given an officer on the page
    user = login(client)

    # when they create a token named for their script
    response = client.post(PAGE, {"name": "nightly upload"})

    # then its secret is on this answer only
    assert response.status_code == 200
    secret = secret_on(response.content.decode())
    assert secret.startswith("jpoa_") and len(secret) > 40
    token = ApiToken.objects.get(user=user, name="nightly upload")
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < 16
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    stored += [str(v) for event in ApiTokenEvent.objects.filter(pgh_obj_id=token.pk).values()
               for v in event.values()]
    assert not any(secret in value for value in stored)
    page = client.get(PAGE).content.decode()
    assert secret not in page and "nightly upload" in page and token.prefix in page

    # and the token works, and the page then shows when it was last used
    assert bearer(secret).get(RECORDS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Never" not in client.get(PAGE).content.decode()


def test_with_htmx_the_region_is_swapped_in_place(client, demo):
    login(client)

    response = client.post(PAGE, {"name": "script"}, **HTMX)

    html = response.content.decode()
    assert html.startswith('<div id="api-tokens">') and "<html" not in html
    assert secret_on(html)


def test_a_name_is_needed_and_unique_among_active_tokens(client, demo):
    login(client)
    client.post(PAGE, {"name": "script"})

    blank = client.post(PAGE, {"name": " "})
    nothing = client.post(PAGE)
    twice = client.post(PAGE, {"name": "script"})

    assert blank.status_code == nothing.status_code == twice.status_code == 400
    assert "This field is required." in nothing.content.decode()
    assert "You already have an active token with that name." in twice.content.decode()
    assert ApiToken.objects.filter(name="script").count() == 1


def test_revoking_ends_the_token_at_once_and_keeps_it_listed(client, demo):
    user = login(client)
    token, secret = api_token_create(user=user, name="old script")
    assert bearer(secret).get(RECORDS).status_code == 200

    response = client.post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    refused = bearer(secret).get(RECORDS)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert "Revoked" in client.get(PAGE).content.decode()


def test_one_sees_and_revokes_only_ones_own_tokens(client, demo):
    login(client, "officer.tha")
    other, secret = api_token_create(user=get_user_model().objects.get(username="admin"),
                                     name="admin's")

    assert "admin&#x27;s" not in client.get(PAGE).content.decode()
    assert client.post(reverse("api_token_revoke", args=[other.pk])).status_code == 404
    assert bearer(secret).get(RECORDS).status_code == 200


def test_a_token_of_an_inactive_user_stops_working(demo):
    user = get_user_model().objects.get(username="officer.tha")
    _token, secret = api_token_create(user=user, name="script")
    user.is_active = False
    user.save()

    assert bearer(secret).get(RECORDS).status_code == 401


def test_malformed_and_unknown_tokens_answer_401_with_a_bearer_challenge(demo):
    for header in ("Bearer", "Bearer a b", "Bearer jpoa_nosuchtoken"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get(RECORDS)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    anonymous = APIClient().get(RECORDS)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"


# ---------------------------------------------------------------------------------------------
# Getting a token with a username and password
# ---------------------------------------------------------------------------------------------

OBTAIN = reverse("api:token-obtain")


def test_a_username_and_password_get_a_token_and_the_access_log_says_so(demo):
    response = APIClient().post(OBTAIN, {"username": "officer.tha", "password": "jpoa-demo-2015",
                                         "name": "curl"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert bearer(body["token"]).get(RECORDS).status_code == 200
    assert ApiToken.objects.get(pk=body["id"]).name == "curl"
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.LOGIN, username="officer.tha",
                                      path=OBTAIN).exists()


def test_a_wrong_password_is_a_400_and_repeated_ones_lock_out_as_on_the_login_page(demo, settings):
    client = APIClient()
    wrong = {"username": "officer.tha", "password": "nope", "name": "curl"}

    first = client.post(OBTAIN, wrong, format="json")
    assert first.status_code == 400
    assert first.json()["error"]["code"] == "invalid_credentials"
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.LOGIN_FAILED,
                                      username="officer.tha").exists()

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(OBTAIN, wrong, format="json")
    locked = client.post(OBTAIN, {**wrong, "password": "jpoa-demo-2015"}, format="json")

    assert locked.status_code == 403
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["error"]["code"] == "locked_out"
    assert not ApiToken.objects.filter(name="curl").exists()


def test_password_attempts_are_throttled_per_address(demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "credentials": "2/hour"}}
    client = APIClient()
    wrong = {"username": "nobody", "password": "nope", "name": "curl"}

    statuses = [client.post(OBTAIN, wrong, format="json").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]
