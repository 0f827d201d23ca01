"""One date and time format across the portal: "14 Oct 2015" and "14 Oct 2015, 06:28"."""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from countries.models import Role
from tests import factories

WHEN = dt.datetime(2015, 10, 13, 23, 28, tzinfo=dt.UTC)  # 14 Oct 2015, 06:28 in Bangkok
DJANGO_DEFAULTS = re.compile(r"\b(a\.m\.|p\.m\.|noon|midnight)|\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}")


@pytest.mark.parametrize("language, month", [("en", "Oct"), ("id", "Okt")])
def test_the_formats_are_the_portals_in_every_language(language, month):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Asia/Bangkok")):
        in_code = date_format(timezone.localtime(WHEN), "DATETIME_FORMAT")
        in_templates = Template("{{ when }}|{{ when|date }}|{{ day }}|{{ day|date }}").render(
            Context({"when": WHEN, "day": WHEN.date()}))

    assert in_code == f"14 {month} 2015, 06:28"
    assert in_templates == f"14 {month} 2015, 06:28|14 {month} 2015|13 {month} 2015|13 {month} 2015"


def test_a_records_page_shows_its_times_in_the_one_format(client, db):
    # given an officer in Bangkok and a record saved at 23:28 UTC
    operation = factories.OperationFactory()
    officer = factories.UserFactory()
    factories.MembershipFactory(user=officer, agency=operation.lead_agency, role=Role.OFFICER)
    record = factories.ArrestRecordFactory(operation=operation)
    type(record).objects.filter(pk=record.pk).update(created_at=WHEN)
    client.force_login(officer)

    html = client.get(reverse("operations:record_detail", args=["arrests", record.pk])).content.decode()

    assert "14 Oct 2015, 06:28" in html  # the time it was saved, in the officer's time zone
    assert "28 Sep 2015" in html  # the day it happened
    assert not DJANGO_DEFAULTS.search(html), DJANGO_DEFAULTS.search(html)
