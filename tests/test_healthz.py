"""The health check answers without login and reveals nothing but up or down."""
from django.db import connection
from django.urls import reverse


def test_healthz_is_ok_when_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_reports_unavailable_when_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert connection.is_usable()


def test_healthz_answers_plain_http_and_is_never_cached(db, settings):
    # The container health check calls http://127.0.0.1:8000/healthz: with the production
    # HTTPS redirect on, the health check is the one path exempt from it.
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {"status": "ok"}
    assert Client().get(reverse("login")).status_code == 301  # (other pages are redirected)
