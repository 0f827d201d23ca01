"""The home page as a workspace: an officer's or focal point's own country, then the region."""
import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from countries.models import Agency
from operations import models as om
from operations.demo import SPLIT
from operations.records import KINDS
from operations.services import record_create
from reporting.metrics import HEADLINE_METRICS

FIGURE = re.compile(r'data-metric="(\w+)">\s*<p class="figure-value">([\d,]+)</p>')
COUNT_ROW = re.compile(r'<tr data-kind="([\w-]+)">\s*<th scope="row">[^<]*</th>\s*'
                       r'<td class="numeric">(\d+)</td>')


def user(name):
    return get_user_model().objects.get(username=name)


def home_as(client, username):
    client.force_login(user(username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def workspace(html: str, code: str) -> str:
    """The workspace section of one country, or '' when the page has none."""
    match = re.search(rf'<section class="workspace"[^>]*data-country="{code}">(.*?)</section>',
                      html, re.S)
    return match.group(1) if match else ""


def figures(fragment: str) -> dict[str, int]:
    return {key: int(value.replace(",", "")) for key, value in FIGURE.findall(fragment)}


def record_counts(fragment: str) -> dict[str, int]:
    return {slug: int(n) for slug, n in COUNT_ROW.findall(fragment)}


def thai_figures() -> dict[str, int]:
    return dict(zip([m.key for m in HEADLINE_METRICS], SPLIT["THA"], strict=True))


def test_officer_sees_their_countrys_operation_figures_and_records(client, demo_rolled_up):
    # given a Thai officer
    html = home_as(client, "officer.tha")

    # then the page opens on Thailand's operation
    section = workspace(html, "THA")
    assert section, "no workspace for Thailand"
    assert "JPoA 2015 — Thailand</h2>" in section
    assert "Royal Thai Police" in section
    assert "28 Sep 2015 to 28 Oct 2015" in section
    assert "return-state-open" in section and "Open" in section
    assert reverse("reporting:return_detail", args=["jpoa-2015", "THA"]) in section

    # with the nine figures of Thailand (the demo's illustrative split)
    assert figures(section) == thai_figures()

    # and one row per record type with the number of Thailand's records, a list link and Add
    expected = {kind.slug: kind.model.objects.filter(country__code="THA").count() for kind in KINDS}
    assert record_counts(section) == expected
    for kind in KINDS:
        list_url = reverse("operations:record_list", args=[kind.slug])
        assert f'href="{list_url}"' in section
        assert f'href="{list_url}#add"' in section

    # and below it, the regional figures as before; no other country's workspace
    assert "Regional results of the 8 participating countries" in html
    assert figures(html.split('id="figures-heading"')[1])["arrests"] == 32
    assert not workspace(html, "AUS")
    assert 'href="/returns/"' not in html.split('id="figures-heading"')[0].split("<main")[1]


def test_workspace_figures_follow_a_new_record(client, demo_rolled_up,
                                              django_capture_on_commit_callbacks):
    # given Thailand's figures on the workspace
    before = workspace(home_as(client, "officer.tha"), "THA")

    # when the officer enters 3 more arrests (committed: the roll-up it queues runs in-process)
    with django_capture_on_commit_callbacks(execute=True):
        record_create(
            actor=user("officer.tha"), model=om.ArrestRecord,
            joint_operation=om.JointOperation.objects.get(slug="jpoa-2015"),
            data={"agency": Agency.objects.get(acronym="RTP"), "occurred_on": dt.date(2015, 10, 9),
                  "count": 3, "crime_type": om.CrimeType.TRAFFICKING, "sector": ""},
        )

    # then the arrests figure and the arrest record count both move; nothing else does
    after = workspace(home_as(client, "officer.tha"), "THA")
    assert figures(after)["arrests"] == figures(before)["arrests"] + 3
    assert record_counts(after)["arrests"] == record_counts(before)["arrests"] + 1
    unchanged = {k: v for k, v in figures(after).items() if k != "arrests"}
    assert unchanged == {k: v for k, v in figures(before).items() if k != "arrests"}


def test_focal_point_of_a_submitted_return_gets_no_add_links(client, demo):
    section = workspace(home_as(client, "focal.phl"), "PHL")
    assert "return-state-submitted" in section
    assert "#add" not in section
    assert "Records are locked" in section


def test_an_officer_of_another_agency_sees_the_same_country_workspace(client, demo_rolled_up):
    section = workspace(home_as(client, "officer2.tha"), "THA")
    assert figures(section) == thai_figures()


@pytest.mark.parametrize("username", ["cochair.nzl", "secretariat", "admin"])
def test_co_chairs_and_secretariat_keep_the_regional_overview(client, demo, username):
    html = home_as(client, username)
    assert '<section class="workspace"' not in html
    assert f'href="{reverse("reporting:return_list")}"' in html
    assert "Regional results of the 8 participating countries" in html
    # the returns' states at a glance: 4 accepted, 2 submitted, 2 open
    summary = html.split('id="returns-heading"')[1].split("</section>")[0]
    counts = dict(re.findall(r'return-state-(\w+)"><span[^>]*>[^<]*</span> [^<]*</span>\s*(\d+)',
                             summary))
    assert counts == {"open": "2", "submitted": "2", "accepted": "4"}


def test_an_organisation_without_an_operation_gets_the_regional_overview(client, demo):
    html = home_as(client, "interpol")
    assert '<section class="workspace"' not in html
    assert "Regional results" in html


def test_an_account_without_a_role_sees_no_figures(client, demo):
    nobody = get_user_model().objects.create_user("nobody", password="jpoa-demo-2015")
    client.force_login(nobody)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Your account has no role yet" in response.content
    assert b"figure-value" not in response.content


# ---------------------------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------------------------

# session + user, the user's memberships, the joint operation with co-chairs and participants,
# the joint operation's state (reporting/totals.py: countries, roll-up, returns), the user's
# operations, their returns, 1 record-count union, and saving the session (savepoint, update,
# release: SESSION_SAVE_EVERY_REQUEST). Every figure, the country's and the region's, comes
# from the roll-up's totals: cached after the first request (one query more on a miss).
# Before the read model it was 30: 9 aggregates of the records for the country, 9 for the region.
WORKSPACE_QUERIES = 2 + 1 + 3 + 1 + 1 + 1 + 1 + 3


def test_workspace_query_count_is_flat(client, demo_rolled_up, django_assert_num_queries):
    # given a Thai officer
    client.force_login(user("officer.tha"))
    client.get(reverse("home"))  # warm the per-process caches (content types)
    with django_assert_num_queries(WORKSPACE_QUERIES):
        client.get(reverse("home"))

    # when Thailand gets more records of every type and another agency
    thailand = om.Operation.objects.get(country__code="THA")
    extra = Agency.objects.create(country=thailand.country, name="Marine Police Division",
                                  acronym="MPD", kind=Agency.Kind.POLICE)
    thailand.agencies.add(extra)
    for record in om.ArrestRecord.objects.filter(country__code="THA"):
        record.pk = None
        record.agency = extra
        record.save()

    # then the page still costs the same number of queries
    with django_assert_num_queries(WORKSPACE_QUERIES):
        client.get(reverse("home"))
