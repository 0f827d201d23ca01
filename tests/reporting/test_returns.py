"""The country return pages: the list, the review page, and submitting, accepting, reopening."""
import re
import zoneinfo

import pghistory
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from countries.models import Agency
from operations import models as om
from operations.demo import SPLIT
from operations.services import country_return_submit
from reporting.metrics import HEADLINE_METRICS
from tests.operations.test_record_access import without_csrf_token

FIGURE = re.compile(r'data-metric="(\w+)">\s*<p class="figure-value">([\d,]+)</p>')


def user(name):
    return get_user_model().objects.get(username=name)


def url(name, code, slug="jpoa-2015"):
    return reverse(f"reporting:{name}", args=[slug, code])


def state(code) -> str:
    return om.CountryReturn.objects.get(joint_operation__slug="jpoa-2015", country__code=code).state


def page(client, username, code):
    client.force_login(user(username))
    response = client.get(url("return_detail", code))
    return response, response.content.decode()


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


# ---------------------------------------------------------------------------------------------
# The return page
# ---------------------------------------------------------------------------------------------


def test_focal_point_reviews_an_open_return_with_totals_and_agencies(client, demo_rolled_up):
    # given Thailand's focal point and its open return
    response, html = page(client, "focal.tha", "THA")

    # then the page shows the state, the nine totals and each agency's share of them
    assert response.status_code == 200
    assert "Return of Thailand" in html
    assert "return-state-open" in html
    totals = {k: int(v.replace(",", "")) for k, v in FIGURE.findall(section(html, "totals-heading"))}
    assert totals == dict(zip([m.key for m in HEADLINE_METRICS], SPLIT["THA"], strict=True))
    breakdown = section(html, "agencies-heading")
    for acronym in ("RTP", "DSI", "IMM", "DLPW"):
        assert f">{acronym}</abbr>" in breakdown
    arrests_row = re.search(r'<tr data-metric="arrests">(.*?)</tr>', breakdown, re.S).group(1)
    cells = [int(n) for n in re.findall(r'<td class="numeric">(?:<strong>)?(\d+)', arrests_row)]
    assert sum(cells[:-1]) == cells[-1] == 8

    # and the submit form with its confirmation, but no secretariat actions
    actions = section(html, "actions-heading")
    assert f'action="{url("return_submit", "THA")}"' in actions
    assert 'name="confirm"' in actions and "I have checked these figures" in actions
    assert url("return_accept", "THA") not in html and url("return_reopen", "THA") not in html


def test_focal_point_of_a_submitted_return_has_nothing_to_submit(client, demo):
    response, html = page(client, "focal.phl", "PHL")
    assert response.status_code == 200
    assert url("return_submit", "PHL") not in html
    assert "nothing to submit" in html


def test_submitting_through_the_page(client, demo):
    # given Thailand's focal point on the review page
    client.force_login(user("focal.tha"))

    # when they confirm and submit
    response = client.post(url("return_submit", "THA"), {"confirm": "on"}, follow=True)

    # then the return is submitted, the page says so, and the history names them
    assert response.redirect_chain == [(url("return_detail", "THA"), 302)]
    html = response.content.decode()
    assert state("THA") == "submitted"
    assert "The return of Thailand is submitted." in html
    timeline = section(html, "timeline-heading")
    last_row = timeline.split("<tr>")[-1]
    assert "Submitted" in last_row and "focal.tha" in last_row
    assert url("return_submit", "THA") not in html  # nothing left to submit


def test_submitting_without_confirming_is_refused_next_to_the_checkbox(client, demo):
    client.force_login(user("focal.tha"))

    response = client.post(url("return_submit", "THA"), {})

    assert response.status_code == 400
    assert state("THA") == "open"
    html = response.content.decode()
    assert re.search(r'<input type="checkbox" name="confirm"[^>]*aria-describedby="[^"]*id_confirm_error',
                     html)
    assert 'id="id_confirm_error"' in html
    assert "Tick the box to confirm that you have checked these figures." in html


@pytest.mark.parametrize("username", ["officer.tha", "cochair.nzl", "secretariat"])
def test_those_who_see_the_return_but_may_not_submit_get_403(client, demo, username):
    client.force_login(user(username))
    response = client.post(url("return_submit", "THA"), {"confirm": "on"})
    assert response.status_code == 403
    assert b"Only the country&#x27;s focal point submits its return." in response.content
    assert state("THA") == "open"


def test_secretariat_accepts_a_submitted_return(client, demo):
    client.force_login(user("secretariat"))
    response = client.post(url("return_accept", "PHL"), follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert state("PHL") == "accepted"
    assert "The return of Philippines is accepted" in response.content.decode()


def test_accepting_an_open_return_is_a_conflict(client, demo):
    client.force_login(user("secretariat"))
    response = client.post(url("return_accept", "THA"))
    assert response.status_code == 409
    assert b"This return is open now" in response.content
    assert state("THA") == "open"


def test_secretariat_reopens_with_a_reason(client, demo):
    # given the secretariat on Australia's accepted return
    response, html = page(client, "secretariat", "AUS")
    assert f'action="{url("return_reopen", "AUS")}"' in html
    assert url("return_accept", "AUS") not in html  # already accepted

    # when it reopens the return with a reason
    response = client.post(url("return_reopen", "AUS"),
                           {"reason": "Training figures include a session held in November"},
                           follow=True)

    # then it is open again, and the history shows who reopened it and why
    assert state("AUS") == "open"
    html = response.content.decode()
    assert "The return of Australia is reopened" in html
    last_row = section(html, "timeline-heading").split("<tr>")[-1]
    assert "Reopened" in last_row and "secretariat" in last_row
    assert "Training figures include a session held in November" in last_row


def test_reopening_without_a_reason_shows_the_error_next_to_the_field(client, demo):
    client.force_login(user("secretariat"))

    response = client.post(url("return_reopen", "MDV"), {"reason": "   "})

    assert response.status_code == 400
    assert state("MDV") == "submitted"
    html = response.content.decode()
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'name="reason"' in textarea and 'aria-invalid="true"' in textarea
    assert re.search(r'aria-describedby="[^"]*id_reason_error', textarea)
    error = re.search(r'<small class="field-error" id="id_reason_error">([^<]*)</small>', html)
    assert error and error.group(1) == "Say why the return is reopened."
    # the accept button is still offered: nothing changed
    assert url("return_accept", "MDV") in html


def test_co_chair_reads_the_return_without_any_action(client, demo):
    response, html = page(client, "cochair.nzl", "PHL")
    assert response.status_code == 200
    assert "return-state-submitted" in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'id="actions-heading"' not in html
    client.force_login(user("cochair.nzl"))
    assert client.post(url("return_accept", "PHL")).status_code == 403
    assert client.post(url("return_reopen", "PHL"), {"reason": "x"}).status_code == 403
    assert state("PHL") == "submitted"


def test_another_countrys_return_is_a_404_like_a_missing_one(client, demo):
    # given an Australian officer, and the answer for a return that does not exist
    client.force_login(user("officer.aus"))
    missing = client.get(url("return_detail", "ZZZ"))
    assert missing.status_code == 404

    # then every foreign return, and every action on it, answers exactly the same
    for code in ("THA", "IDN", "PHL", "NZL"):
        foreign = client.get(url("return_detail", code))
        assert foreign.status_code == 404
        assert without_csrf_token(foreign.content) == without_csrf_token(missing.content)
        for action in ("return_submit", "return_accept", "return_reopen"):
            assert client.post(url(action, code), {"confirm": "on", "reason": "x"}).status_code == 404
    assert client.get(url("return_detail", "AUS")).status_code == 200
    assert client.get(url("return_detail", "THA", slug="no-such-operation")).status_code == 404


def test_the_history_shows_times_in_the_current_time_zone(client, demo, settings):
    # given a submission made through the page
    settings.TIME_ZONE = "Asia/Bangkok"
    client.force_login(user("focal.tha"))
    client.post(url("return_submit", "THA"), {"confirm": "on"})
    event = om.CountryReturnEvent.objects.filter(state="submitted",
                                                 country__code="THA").latest("pgh_id")

    # then the history shows it in Bangkok time, and says which zone that is
    html = client.get(url("return_detail", "THA")).content.decode()
    timeline = section(html, "timeline-heading")
    assert "When (Asia/Bangkok)" in timeline
    local = event.pgh_created_at.astimezone(zoneinfo.ZoneInfo("Asia/Bangkok"))
    assert local.strftime("%H:%M") in timeline.split("<tr>")[-1]


def test_a_country_without_a_return_row_is_listed_and_shown_as_open(client, demo):
    # given Thailand with no return row yet
    om.CountryReturn.objects.filter(country__code="THA").delete()
    client.force_login(user("focal.tha"))

    # then reading the list and the page shows it open and writes nothing
    listing = client.get(reverse("reporting:return_list")).content.decode()
    assert re.search(r'data-country="THA">.*?return-state-open', listing, re.S)
    response = client.get(url("return_detail", "THA"))
    assert response.status_code == 200 and b"return-state-open" in response.content
    assert not om.CountryReturn.objects.filter(country__code="THA").exists()

    # and submitting creates it and submits it
    assert client.post(url("return_submit", "THA"), {"confirm": "on"}).status_code == 302
    assert state("THA") == "submitted"


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


def list_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-country="(\w+)">.*?return-state-(\w+)', html, re.S))


def test_secretariat_lists_every_countrys_return(client, demo):
    client.force_login(user("secretariat"))
    response = client.get(reverse("reporting:return_list"))
    assert response.status_code == 200
    assert list_rows(response.content.decode()) == {
        "AUS": "accepted", "IDN": "open", "MYS": "accepted", "MDV": "submitted",
        "NZL": "accepted", "PHL": "submitted", "LKA": "accepted", "THA": "open",
    }
    html = response.content.decode()
    phl = html.split('data-country="PHL"')[1].split("</tr>")[0]
    assert "by focal.phl" in phl and "Not accepted" in phl


@pytest.mark.parametrize(("username", "expected"), [
    ("officer.tha", {"THA": "open"}), ("focal.phl", {"PHL": "submitted"}), ("interpol", {}),
])
def test_officers_and_focal_points_list_only_their_countrys_return(client, demo, username, expected):
    client.force_login(user(username))
    assert list_rows(client.get(reverse("reporting:return_list")).content.decode()) == expected


# ---------------------------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------------------------

# session + user, memberships, the return, the joint operation's state (reporting/totals.py),
# the agencies, the history's events and usernames, saving the session (savepoint, update,
# release). The totals and the per-agency breakdown come from the roll-up: cached after the
# first request (one query more on a miss). Before the read model: 9 per-agency aggregates of
# the records and 9 totals in place of the state (28 queries). The review's checks add one
# aggregate per record type its rules read (4, reporting.validation) and one for the records
# confirmed as unusually large (operations.review), and one for the outlier flags
# (reporting.outliers).
DETAIL_QUERIES = 2 + 1 + 1 + 1 + 1 + 2 + 3 + 4 + 1 + 1


def test_return_page_query_count_is_flat(client, demo_rolled_up, django_assert_num_queries):
    # given a Thai return with one transition by a user, read by the secretariat
    thailand = om.Operation.objects.get(country__code="THA")
    with pghistory.context(user=user("focal.tha").pk):
        country_return_submit(actor=user("focal.tha"),
                              country_return=om.CountryReturn.objects.get(country__code="THA"))
    client.force_login(user("secretariat"))
    client.get(url("return_detail", "THA"))  # warm the per-process caches
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url("return_detail", "THA")).status_code == 200

    # when the return has more history and the operation more agencies and records
    client.post(url("return_reopen", "THA"), {"reason": "More to come"})
    client.force_login(user("focal.tha"))
    client.post(url("return_submit", "THA"), {"confirm": "on"})
    extra = Agency.objects.create(country=thailand.country, name="Marine Police Division",
                                  acronym="MPD", kind=Agency.Kind.POLICE)
    thailand.agencies.add(extra)
    client.force_login(user("secretariat"))

    # then the page costs the same number of queries
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url("return_detail", "THA"))
    assert ">MPD</abbr>" in response.content.decode()
    assert len(section(response.content.decode(), "timeline-heading").split("<tr>")) >= 5
