"""The OpenAPI schema and Swagger UI: complete, valid, documented, and served without a CDN."""
from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

SCHEMA = reverse("api:schema")
DOCS = reverse("api:docs")


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(generated)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, (
        "drf-spectacular warned while building the schema")
    return generated


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_is_served_to_members_only(api):
    assert APIClient().get(SCHEMA).status_code == 401
    response = api("officer.tha").get(SCHEMA)
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    assert served["openapi"].startswith("3.")
    assert "/api/v1/records/arrests/bulk/" in served["paths"]


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    error_ref = "#/components/schemas/Error"
    for path, method, operation in operations(schema):
        for status in ("400", "401", "403", "404", "429"):
            assert status in operation["responses"], (method, path, status)
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"]["$ref"] == error_ref
            assert content["examples"], (method, path, status)
        if method in ("post", "put", "patch", "delete"):
            assert "409" in operation["responses"], (method, path)


def test_every_operation_has_an_example(schema):
    missing = []
    for path, method, operation in operations(schema):
        examples = [
            content.get("examples")
            for status, response in operation["responses"].items() if status.startswith("2")
            for content in response.get("content", {}).values()
        ] + [content.get("examples")
             for content in operation.get("requestBody", {}).get("content", {}).values()]
        if method != "delete" and not any(examples):
            missing.append(f"{method.upper()} {path}")
    assert not missing, missing


def test_posts_that_act_document_the_idempotency_key(schema):
    for path, method, operation in operations(schema):
        if method == "post" and path != "/api/v1/tokens/":
            names = {p["name"] for p in operation.get("parameters", [])}
            assert "Idempotency-Key" in names, path
            assert "422" in operation["responses"], path


def test_swagger_ui_comes_from_our_own_static_files(client, demo):
    from django.contrib.auth import get_user_model

    assert client.get(DOCS).status_code == 302  # to the login page
    client.force_login(get_user_model().objects.get(username="officer.tha"))

    page = client.get(DOCS).content.decode()
    script = client.get(f"{DOCS}?script=").content.decode()

    assert not re.search(r"https?://", page)
    assert "<script>" not in page  # no inline script: the set-up is a file of its own
    assert "/api/v1/schema/" in script
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', page):  # hashed, collected
        assert staticfiles_storage.exists(asset), asset
