"""The debrief workshop: lessons filed by focal points, recommendations tracked to done by the
secretariat, and the draft co-chairs' statement for the 2015 demo."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reporting import rollups
from reporting.debrief import draft_statement
from reporting.models import Lesson, Recommendation
from tests.reporting.test_statement import PARAGRAPH_8

SLUG = "jpoa-2015"
RECOMMENDATIONS = [
    "strengthening cross border cooperation among law enforcement",
    "ensuring more tightly focused operational activities",
    "identifying specific networks / syndicates for investigation",
    "establishing bilateral or multilateral cross border investigations",
    "strengthening engagement with INTERPOL",
    "continuing involvement of identified focal points to ensure consistency within the Group",
]


@pytest.fixture
def totals(demo):
    rollups.rollup()


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_the_draft_statement_has_attendance_figures_and_recommendations(client, totals):
    login(client, "secretariat")
    response = client.get(reverse("reporting:statement_download", args=[SLUG]))
    text = b"".join([response.content]).decode()
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('co-chairs-statement-draft.txt"')

    assert "debrief workshop, Bangkok, Thailand, 25 November 2015" in text
    attendance = next(line for line in text.splitlines() if line.startswith("In attendance"))
    for country in ("Afghanistan", "Australia", "India", "Malaysia", "Maldives", "Myanmar",
                    "New Zealand", "Philippines", "Sri Lanka", "Thailand"):
        assert country in attendance, country
    assert "Indonesia" not in attendance  # the participant took ill (the statement's footnote)
    assert "INTERPOL also participated." in text
    assert "In total, authorities in the eight countries:" in text
    for item in PARAGRAPH_8:
        assert f"- {item}" in text
    for number, recommendation in enumerate(RECOMMENDATIONS, start=1):
        assert f"{number}. {recommendation} (" in text
    assert "Cross-border cooperation among law enforcement agencies was too thin" in text


def test_a_focal_point_files_lessons_starting_from_the_countrys_figures(client, totals):
    url = reverse("reporting:lessons_edit", args=[SLUG, "MYS"])
    login(client, "focal.mys")
    page = client.get(url).content.decode()
    assert "In total, authorities in Malaysia:" in page  # pre-filled from the roll-up
    assert "made six arrests" in page

    response = client.post(url, {"outcomes": "Six arrests.", "worked_well": "Liaison.",
                                 "did_not_work_well": "", "do_differently": "Plan earlier."})
    assert response.status_code == 302
    lesson = Lesson.objects.get(country__code="MYS")
    assert (lesson.worked_well, lesson.do_differently) == ("Liaison.", "Plan earlier.")

    for username in ("officer.mys", "focal.tha", "cochair.nzl"):
        login(client, username)
        assert client.get(url).status_code == 404, username
        assert client.post(url, {"worked_well": "x"}).status_code == 404, username
    assert Lesson.objects.get(country__code="MYS").worked_well == "Liaison."


def test_the_secretariat_tracks_a_recommendation_to_done(client, totals):
    recommendation = Recommendation.objects.get(number=5)
    url = reverse("reporting:recommendation_track", args=[recommendation.pk])
    login(client, "secretariat")

    client.post(url, {"status": "done", "owner": "INTERPOL", "due_on": "2016-05-31",
                      "progress_note": "NCB contacts exchanged."})
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.done_on) == ("done", dt.date.today())
    assert "done" in draft_statement(recommendation.workshop).lower()

    client.post(url, {"status": "in_progress", "owner": "INTERPOL", "due_on": "2016-05-31"})
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.done_on) == ("in_progress", None)

    response = client.post(url, {"status": "finished", "owner": "", "due_on": "soon"}, follow=True)
    html = response.content.decode()
    assert "Status: Select a valid choice" in html and "Due on: Enter a valid date." in html
    assert Recommendation.objects.get(pk=recommendation.pk).status == "in_progress"

    login(client, "cochair.nzl")  # co-chairs read, the secretariat tracks
    assert client.post(url, {"status": "open"}).status_code == 404
    assert client.get(reverse("reporting:statement_download", args=[SLUG])).status_code == 200
    login(client, "officer.tha")
    assert client.get(reverse("reporting:statement_download", args=[SLUG])).status_code == 404


def test_the_secretariat_adds_numbered_recommendations(client, totals):
    login(client, "secretariat")
    client.post(reverse("reporting:recommendation_add", args=[SLUG]),
                {"text": "Synergies with the Working Group on Trafficking in Persons",
                 "owner": "Co-chairs", "due_on": ""})
    assert Recommendation.objects.order_by("-number").first().number == 7
    page = client.get(reverse("reporting:workshop_detail", args=[SLUG])).content.decode()
    assert 'data-number="7"' in page
