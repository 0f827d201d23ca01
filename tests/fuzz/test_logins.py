"""Fuzzing the ways in: the portal login, the admin login and the API's token endpoint, with a
username, password and user agent of any length and content.

The answer is never a 500; a wrong password is a normal failed login: refused, counted by
django-axes, and in the access log under the username typed (cut to the column's 150
characters). A 151-character username used to be a 500 (issue 18).
"""
from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from api.tokens import TokenRequestSerializer
from countries.models import AccessEvent
from tests.factories import UserFactory
from tests.fuzz.harness import FUZZ, count_case

PORTAL, ADMIN, TOKENS = reverse("login"), reverse("admin:login"), reverse("api:token-obtain")
USERNAME_COLUMN = AccessEvent._meta.get_field("username").max_length  # 150

# Any text a client can send (no lone surrogates: they cannot be encoded at all), long or short,
# with NUL, controls, right-to-left marks; and the lengths around the columns' limits.
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
LONG_TEXT = st.integers(min_value=USERNAME_COLUMN - 1, max_value=5000).flatmap(
    lambda n: st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                      min_size=n, max_size=n))
FIELD = st.one_of(ANY_TEXT, LONG_TEXT, ANY_TEXT.map(lambda t: f"{t}\x00{t}"),
                  st.sampled_from(["", " ", "officer.tha", "a" * 151, "a" * 256, "\x00"]))


@pytest.fixture
def fresh_cache():
    cache.clear()  # the token endpoint's throttle counts in the cache
    yield
    cache.clear()


def _failures_counted() -> int:
    return sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))


def _assert_a_normal_failed_login(response, username: str, failures_before: int) -> None:
    """The failure is counted by axes and logged under the username typed (cut to fit)."""
    assert _failures_counted() == failures_before + 1
    event = AccessEvent.objects.order_by("-id").filter(kind=AccessEvent.Kind.LOGIN_FAILED).first()
    assert event is not None and event.username == username[:USERNAME_COLUMN]


def _post_login(client, url, username, password, user_agent):
    data = {"username": username, "password": password}
    if url == ADMIN:
        data.update({"this_is_the_login_form": "1", "next": reverse("admin:index")})
    return client.post(url, data, HTTP_USER_AGENT=user_agent)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PORTAL, ADMIN], ids=["portal login", "admin login"])
@FUZZ
@given(username=FIELD, password=FIELD, user_agent=ANY_TEXT | LONG_TEXT)
def test_a_login_page_never_answers_500(client, url, username, password, user_agent):
    # given
    failures_before = _failures_counted()
    # when
    response = _post_login(client, url, username, password, user_agent)
    count_case("login" if url == PORTAL else "admin login")
    # then
    assert response.status_code in (200, 302, 429), response.status_code
    if response.status_code != 200:
        return
    form = response.context["form"]
    if not form.errors.get("username") and not form.errors.get("password"):
        # Both fields were read: Django tried the password, so it is a failed login.
        _assert_a_normal_failed_login(response, form.cleaned_data["username"], failures_before)


@pytest.mark.django_db
@FUZZ
@given(username=FIELD, password=FIELD, user_agent=ANY_TEXT | LONG_TEXT)
def test_the_token_endpoint_never_answers_500(client, fresh_cache, username, password, user_agent):
    # given
    failures_before = _failures_counted()
    # when
    response = client.post(TOKENS, {"username": username, "password": password, "name": "fuzz"},
                           content_type="application/json", HTTP_USER_AGENT=user_agent)
    count_case("token endpoint")
    # then
    assert response.status_code in (400, 403, 429), response.status_code
    if response.json()["error"]["code"] == "invalid_credentials":
        body = TokenRequestSerializer(data={"username": username, "password": password, "name": "x"})
        assert body.is_valid()  # the endpoint read both fields: it tried the password
        _assert_a_normal_failed_login(response, body.validated_data["username"], failures_before)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PORTAL, ADMIN], ids=["portal login", "admin login"])
@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_a_username_longer_than_any_account_is_a_normal_failed_login(client, url, length):
    # given: the username of an account, followed by more characters than any username has
    user = UserFactory()
    typed = (user.username + "x" * length)[:length]
    # when
    response = _post_login(client, url, typed, "wrong-password", "Mozilla/5.0")
    # then: the login page again, with its error, the failure counted and logged
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    _assert_a_normal_failed_login(response, typed, 0)
    assert AccessAttempt.objects.get().username == typed[:USERNAME_COLUMN]


@pytest.mark.django_db
def test_nul_in_the_user_agent_of_a_failed_login_is_dropped(client):
    response = _post_login(client, PORTAL, "someone", "wrong-password", "Agent\x00/1.0")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().user_agent == "Agent/1.0"
