"""The first page: the joint operation and its nine headline figures."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_shows_the_2015_figures(client, demo_rolled_up):
    client.force_login(get_user_model().objects.get(username="officer.tha"))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Joint Period of Action 2015" in html
    assert "28 Sep 2015 to 28 Oct 2015" in html
    for metric, value in [
        ("victims_assisted", 59), ("search_warrants", 7), ("suspects_identified", 63),
        ("arrests", 32), ("investigations", 8), ("enquiries", 73),
        ("awareness_activities", 68), ("training_sessions", 12), ("officers_trained", 485),
    ]:
        assert f'data-metric="{metric}">\n          <p class="figure-value">{value}</p>' in html
    assert "Regional results of the 8 participating countries" in html
    assert "Sri Lanka" in html and "INTERPOL" in html


@pytest.mark.django_db
def test_login_with_demo_password_reaches_home(client, demo):
    # An officer: a co-chair's login goes on to the second factor (tests/test_two_factor.py).
    response = client.post(
        reverse("login"), {"username": "officer.tha", "password": "jpoa-demo-2015"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert b"Regional results" in response.content


def test_wrong_password_shows_an_error(client, demo):
    response = client.post(reverse("login"), {"username": "cochair.nzl", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_record_links_are_offered_only_to_those_who_read_records(client, demo):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for username, expected in (("officer.tha", True), ("focal.tha", True), ("admin", True),
                               ("cochair.lka", False), ("secretariat", False)):
        client.force_login(users.get(username=username))
        html = client.get("/").content.decode()
        assert ('href="/records/arrests/"' in html) is expected, username
        assert 'href="/returns/"' in html, username
