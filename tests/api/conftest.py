"""Fixtures of the API tests: the demo, and clients that call the API with a real token."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def token_client(username: str, name: str = "tests") -> APIClient:
    """An API client that sends a personal token of ``username``, made by the real service."""
    user = get_user_model().objects.get(username=username)
    _token, secret = api_token_create(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.user = user
    client.secret = secret
    return client


@pytest.fixture
def api(demo):
    """``api("officer.tha")``: a client with a new token of that demo user."""
    made = {}

    def client_for(username: str) -> APIClient:
        if username not in made:
            made[username] = token_client(username, name=f"tests {len(made)}")
        return made[username]

    return client_for
