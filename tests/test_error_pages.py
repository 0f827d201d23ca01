"""The portal's own 404, 403 and 500 pages, in the portal's layout with a way back, in every
mode: with DEBUG on (as under `make run`) Django would show its technical pages instead."""
from __future__ import annotations

import logging

import pytest

from tests import factories

BACK = '<a href="/">Back to the overview</a>'


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def officer(db):
    agency = factories.AgencyFactory()
    user = factories.UserFactory(username="officer.err")
    factories.MembershipFactory(user=user, agency=agency)
    return user


@pytest.mark.urls("tests.error_pages_urls")
@pytest.mark.parametrize("path, status, heading", [
    ("/no-such-page/", 404, "Not found"),
    ("/records/no-such-kind/", 404, "Not found"),  # an Http404 raised by a view
    ("/test-errors/forbidden/", 403, "Not allowed"),
])
def test_error_pages_are_the_portals_in_every_mode(client, officer, mode, path, status, heading):
    client.force_login(officer)

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert BACK in html
    assert 'class="portal-header"' in html and "officer.err" in html  # the layout, menu included
    assert "technical_404" not in html and "Django" not in html


@pytest.mark.urls("tests.error_pages_urls")
def test_a_crash_shows_the_portals_500_page_in_every_mode_and_logs_the_traceback(
        client, officer, mode, caplog):
    client.force_login(officer)
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test-errors/crash/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html and BACK in html
    assert 'class="portal-header"' in html
    assert "Traceback" not in html and "RuntimeError" not in html
    assert any(record.exc_info and record.exc_info[0] is RuntimeError for record in caplog.records)


def test_the_api_keeps_its_json_errors_with_debug_on(client, officer, settings):
    settings.DEBUG = True
    client.force_login(officer)

    response = client.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_debug_technical_errors_gives_djangos_pages_back(client, officer, settings):
    settings.DEBUG, settings.DEBUG_TECHNICAL_ERRORS = True, True
    client.force_login(officer)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert BACK not in response.content.decode()
