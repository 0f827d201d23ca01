"""Times are stored in UTC and shown in the user's country's zone; the language switcher works."""
import datetime as dt
import zoneinfo

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from operations import models as om


def user(username):
    return get_user_model().objects.get(username=username)


def submitted_on_the_return_page(client, username, code, when):
    """The return page's submission time, as the user ``username`` sees it."""
    om.CountryReturn.objects.filter(country__code=code).update(
        state="submitted", submitted_at=when, submitted_by=user(f"focal.{code.lower()}"))
    client.force_login(user(username))
    return client.get(reverse("reporting:return_detail", args=["jpoa-2015", code])).content.decode()


def test_the_same_instant_shows_in_each_users_own_time_zone(client, demo):
    # given one instant, stored in UTC: 30 September 2015, 20:30 UTC
    when = dt.datetime(2015, 9, 30, 20, 30, tzinfo=dt.UTC)
    assert when.tzinfo is dt.UTC and timezone.is_aware(when)

    # then Thailand (UTC+7) sees 1 October 03:30, New Zealand (UTC+13 in spring) 1 October 09:30
    bangkok = submitted_on_the_return_page(client, "focal.tha", "THA", when)
    assert "1 Oct 2015" in bangkok and "03:30" in bangkok
    assert "Times are shown in Asia/Bangkok (UTC+0700)" in bangkok
    client.logout()
    auckland = submitted_on_the_return_page(client, "cochair.nzl", "THA", when)
    assert "09:30" in auckland and "Pacific/Auckland" in auckland
    # and the database still holds UTC
    stored = om.CountryReturn.objects.get(country__code="THA").submitted_at
    assert stored == when and stored.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 20


def test_an_administrator_without_a_country_sees_utc(client, demo):
    client.force_login(user("admin"))
    html = client.get(reverse("home")).content.decode()
    assert "Times are shown in UTC" in html


def test_the_language_switcher_changes_the_interface_language(client, demo):
    # given an officer on an English page with the switcher in the footer
    client.force_login(user("officer.tha"))
    page = client.get(reverse("operations:record_list", args=["arrests"])).content.decode()
    assert '<html lang="en"' in page
    assert 'name="language"' in page and 'value="id"' in page

    # when they choose Bahasa Indonesia
    response = client.post(reverse("set_language"), {"language": "id"},
                           HTTP_REFERER=reverse("operations:record_list", args=["arrests"]))
    assert response.status_code == 302

    # then the next page is in Indonesian
    page = client.get(response.url).content.decode()
    assert '<html lang="id"' in page
    assert "Keluar" in page  # "Log out"
