"""No signed-in answer may be kept by a browser's cache or a proxy: every route of the permission
matrix (pages, htmx fragments, API answers, downloads, errors, the admin) carries
``Cache-Control: no-store``. Static files keep their long cache (checked under production
settings with gunicorn, in tests/test_gunicorn_headers.py).
"""
from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.cache import get_max_age

from api import services
from operations.records import KINDS
from tests import test_permission_matrix as matrix
from tests.counters import CASES

# The roles whose answers differ the most: a record role of one country, its focal point, a
# role that follows every country, and the administrator (who reaches every admin page).
SIGNED_IN_ROLES = ("officer", "focal_point", "co_chair", "admin")


def cache_problem(response) -> str | None:
    """Why the answer could be stored by a cache, or None when it cannot."""
    directives = {d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")}
    if "no-store" not in directives:
        return f"Cache-Control is {response.get('Cache-Control')!r}"
    if "public" in directives or (get_max_age(response) or 0) > 0:
        return f"Cache-Control allows storing: {response['Cache-Control']!r}"
    return None


def walk(client, world, cases, roles=SIGNED_IN_ROLES, **headers) -> list[str]:
    problems = []
    for case in cases:
        for role in roles:
            client.logout()
            client.force_login(world.users[role])
            body = {"content_type": case.content_type} if case.content_type else {}
            with transaction.atomic():
                response = getattr(client, case.method.lower())(
                    case.url, case.data or {}, **body, **headers)
                transaction.set_rollback(True)
            CASES["cache headers"] += 1
            problem = cache_problem(response)
            if problem:
                problems.append(f"{case.method} {case.url} [{case.label}] as {role} "
                                f"({response.status_code}): {problem}")
    return problems


@pytest.fixture
def matrix_world(world):
    matrix.add_staff_officer(world)
    return world


def test_every_route_is_walked():
    # The walk below has one case per route of the permission matrix, which has every route.
    routes = matrix.portal_route_names()
    assert len(routes) > 100
    missing = [route for route in routes if route not in matrix.MATRIX]
    assert not missing, f"routes with no entry in the permission matrix: {missing}"


# One test per route (on the demo copy a world costs milliseconds), so that pytest-xdist shares
# the walk, a minute and a half in one test, out between its workers. What a route's cases make
# (an export job, an import batch...) is rolled back with the test.
@pytest.mark.parametrize("route", matrix.portal_route_names())
def test_every_signed_in_answer_of_every_route_is_no_store(route, client, matrix_world):
    assert route in matrix.MATRIX, f"route {route!r} has no entry in the permission matrix"
    problems = walk(client, matrix_world, matrix.MATRIX[route](matrix_world))
    assert not problems, "\n".join(problems)


def test_every_admin_page_is_no_store(client, matrix_world):
    from django.contrib import admin

    cases = [matrix.Case("admin index", "GET", reverse("admin:index"), {})]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        cases.append(matrix.Case(f"admin {model._meta.label}", "GET", reverse(f"{prefix}_changelist"), {}))
        first = model.objects.order_by("pk").first()
        if first is not None:
            cases.append(matrix.Case(f"admin {model._meta.label} change", "GET",
                                     reverse(f"{prefix}_change", args=[first.pk]), {}))
    problems = walk(client, matrix_world, cases, roles=("admin", "staff_officer"))
    assert not problems, "\n".join(problems)


def test_htmx_fragments_are_no_store(client, matrix_world):
    # The list pages answer an htmx request with the region they refresh, not the page.
    cases = [matrix.Case(f"list {kind.slug}", "GET",
                         reverse("operations:record_list", args=[kind.slug]), {}) for kind in KINDS]
    cases.append(matrix.Case("record row", "GET", matrix._detail_url(matrix_world.own) + "?fragment=row", {}))
    problems = walk(client, matrix_world, cases, roles=("officer",), HTTP_HX_REQUEST="true")
    assert not problems, "\n".join(problems)


def test_api_answers_to_a_token_are_no_store(client, world):
    # given a script's token (no session at all)
    _token, secret = services.api_token_create(user=world.users["officer"], name="nightly upload")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    record = world.own
    # when / then: a list, a record, a missing one
    for url in ("/api/v1/records/arrests/", f"/api/v1/records/arrests/{record.pk}/",
                "/api/v1/records/arrests/987654321/"):
        response = client.get(url, **auth)
        assert response.status_code in (200, 404)
        assert cache_problem(response) is None, (url, response.get("Cache-Control"))


def test_the_checker_finds_a_cacheable_answer():
    # Guards the walk above against passing whatever the headers say.
    from django.http import HttpResponse

    plain = HttpResponse("x")
    cached = HttpResponse("x", headers={"Cache-Control": "public, max-age=600"})
    revalidated = HttpResponse("x", headers={"Cache-Control": "private, no-cache"})
    stored_for_a_while = HttpResponse("x", headers={"Cache-Control": "no-store, max-age=60"})
    assert all(cache_problem(r) for r in (plain, cached, revalidated, stored_for_a_while))
    assert cache_problem(HttpResponse("x", headers={"Cache-Control": "private, no-store"})) is None
