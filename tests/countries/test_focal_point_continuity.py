"""Focal point continuity (statement paragraph 17: "continuing involvement of identified focal
points"): the directory shows each country's national focal point in each joint operation and
warns when a country taking part in an upcoming one has none for its whole period.

In the demo, Maldives' 2015 focal point served until 30 June 2016 and nobody was named after,
so Maldives has no focal point for the 2016 initiative; New Zealand's was succeeded on
1 April 2016."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cooperation.planning import focal_point_continuity
from countries.models import Country, FocalPoint
from operations.models import JointOperation, Participation

URL = reverse("cooperation:directory")


def user(username):
    return get_user_model().objects.get(username=username)


def warned(page: str) -> set[str]:
    import re

    section = page.split('id="focal-point-warnings"', 1)
    if len(section) == 1:
        return set()
    return set(re.findall(r'<li data-country="(\w+)"', section[1].split("</section>", 1)[0]))


def row(page: str, code: str) -> str:
    return page.split(f'<tr data-country="{code}">', 1)[1].split("</tr>", 1)[0]


@pytest.mark.parametrize("username", ["secretariat", "cochair.lka", "admin"])
def test_those_who_follow_every_country_see_every_warning(client, demo, username):
    client.force_login(user(username))
    page = client.get(URL).content.decode()
    assert warned(page) == {"MDV"}
    assert "Maldives has no focal point serving for the whole of Joint initiative 2016" in page
    # every participating country has its row
    for code in ("AUS", "IDN", "MDV", "NZL", "THA", "INTERPOL"):
        assert f'<tr data-country="{code}">' in page


@pytest.mark.parametrize(("username", "warnings"), [
    ("focal.mdv", {"MDV"}), ("officer.mdv", {"MDV"}),  # the country's own users
    ("focal.tha", set()), ("officer.nzl", set()),  # other countries: no warning, no row
])
def test_a_country_sees_its_own_warning_only(client, demo, username, warnings):
    client.force_login(user(username))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert warned(page) == warnings
    assert ('<tr data-country="MDV">' in page) == (warnings == {"MDV"})
    # the warning is also on the planning pages
    assert warned(client.get(reverse("cooperation:planning_list")).content.decode()) == warnings


def test_the_directory_shows_who_served_in_each_joint_operation(client, demo):
    client.force_login(user("secretariat"))
    page = client.get(URL).content.decode()
    new_zealand = row(page, "NZL")
    # columns: 2016 first (newest), then 2015
    cell_2016, cell_2015 = new_zealand.split("<td")[1:3]
    assert "National focal point (2016), New Zealand" in cell_2016
    assert "National focal point, New Zealand" not in cell_2016
    assert "National focal point, New Zealand" in cell_2015
    maldives_2016, maldives_2015 = row(page, "MDV").split("<td")[1:3]
    assert "No focal point for the whole period" in maldives_2016
    assert "National focal point, Maldives" not in maldives_2016  # left on 30 June 2016
    assert "National focal point, Maldives" in maldives_2015
    assert "No focal point for the whole period" not in maldives_2015


def test_without_membership_there_is_no_directory(client, demo):
    client.force_login(get_user_model().objects.create_user("nobody", password="x" * 16))
    assert client.get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_naming_a_successor_clears_the_warning(demo):
    secretariat = user("secretariat")
    today = dt.date(2016, 7, 1)
    assert {(w.country.code, w.joint_operation.slug)
            for w in focal_point_continuity(user=secretariat, today=today)["warnings"]} == {
        ("MDV", "jpoa-2016")}
    # a successor serving from a day after the start leaves the period uncovered...
    maldives = Country.objects.get(code="MDV")
    successor = FocalPoint.objects.create(country=maldives, full_name="New focal point",
                                          served_from=dt.date(2016, 9, 27))
    assert focal_point_continuity(user=secretariat, today=today)["warnings"]
    # ...one serving from before it covers it
    successor.served_from = dt.date(2016, 7, 1)
    successor.save()
    assert focal_point_continuity(user=secretariat, today=today)["warnings"] == []


def test_agency_contacts_and_non_participants_do_not_count(demo):
    secretariat = user("secretariat")
    maldives = Country.objects.get(code="MDV")
    FocalPoint.objects.create(country=maldives, full_name="Agency contact",
                              kind=FocalPoint.Kind.AGENCY, served_from=dt.date(2016, 1, 1))
    assert [w.country.code for w in focal_point_continuity(user=secretariat)["warnings"]] == ["MDV"]
    # a country that declined (or only attends the debrief) needs no focal point
    Participation.objects.filter(joint_operation__slug="jpoa-2016", country=maldives).update(
        status=Participation.Status.DECLINED)
    assert focal_point_continuity(user=secretariat)["warnings"] == []


def test_only_upcoming_joint_operations_warn(demo):
    secretariat = user("secretariat")
    next_one = JointOperation.objects.get(slug="jpoa-2016")
    next_one.status = JointOperation.Status.CLOSED
    next_one.save()
    # closed and in the past: the gap shows in the table, without a warning
    continuity = focal_point_continuity(user=secretariat, today=dt.date(2017, 1, 1))
    assert continuity["warnings"] == []
    maldives = next(cells for country, cells in continuity["rows"] if country.code == "MDV")
    assert maldives[0].takes_part and not maldives[0].covered
    # a closed one still in the future (dates moved) warns again
    assert [w.country.code for w in focal_point_continuity(
        user=secretariat, today=dt.date(2016, 1, 1))["warnings"]] == ["MDV"]
