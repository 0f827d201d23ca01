"""Every list answers a page in a constant number of queries, whatever the number of rows."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import Agency, Country, FocalPoint
from operations import models as om
from operations.records import KINDS
from reporting import rollups

LIST_MAX_QUERIES = 10  # authentication, scope, count, page, prefetches: never one per row

LISTS = [
    *(reverse(f"api:{name}-list") for name in
      ("country", "agency", "focal-point", "joint-operation", "operation")),
    *(reverse(f"api:{kind.slug}-list") for kind in KINDS),
    reverse("api:return-list"),
    reverse("api:totals"),
    f"{reverse('api:totals')}?by_country=true",
    f"{reverse('api:totals')}?dimension=week",
]


def grow(copies: int) -> None:
    """Many more rows of everything the lists show: records, agencies, people, operations."""
    tha = Country.objects.get(code="THA")
    for kind in KINDS:
        for record in kind.model.objects.filter(country=tha)[:2]:
            clones = []
            for _ in range(copies):
                record.pk = None
                clones.append(kind.model(**{f.attname: getattr(record, f.attname)
                                            for f in kind.model._meta.concrete_fields}))
            kind.model.objects.bulk_create(clones)
    Agency.objects.bulk_create(
        [Agency(country=tha, name=f"Provincial police {i}", acronym=f"PP{i}", kind="police")
         for i in range(copies)])
    FocalPoint.objects.bulk_create(
        [FocalPoint(country=tha, full_name=f"Contact {i}", served_from=dt.date(2015, 1, 1))
         for i in range(copies)])
    countries = list(Country.objects.filter(code__in=["AUS", "IDN", "THA"]))
    for year in range(2030, 2030 + copies // 10):  # years the demo does not have
        joint = om.JointOperation.objects.create(
            name=f"JPoA {year}", slug=f"jpoa-{year}", starts_on=dt.date(year, 3, 1),
            ends_on=dt.date(year, 4, 1), status="planning")
        joint.co_chairs.set(countries[:2])
        for country in countries:
            om.Participation.objects.create(joint_operation=joint, country=country,
                                            status="agreed")
            lead = country.agencies.order_by("pk").first()
            operation = om.Operation.objects.create(joint_operation=joint, country=country,
                                                    name=f"Op {year}", lead_agency=lead)
            operation.agencies.set(country.agencies.all()[:3])
    rollups.rollup()


def queries(client, url: str) -> int:
    client.get(url)  # warms the process-wide caches (content types), as in a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured)


@pytest.mark.parametrize("username", ["focal.tha", "cochair.nzl"])
def test_lists_cost_the_same_queries_with_few_rows_and_with_many(api, username):
    # given the demo (added up), and a client with a token
    rollups.rollup()
    client = api(username)
    few = {url: queries(client, url) for url in LISTS}

    # when every table holds many more rows
    grow(copies=60)

    # then each list (a full page now) costs what it cost with few rows, and few at that
    many = {url: queries(client, url) for url in LISTS}
    assert many == few
    assert max(many.values()) <= LIST_MAX_QUERIES, many


def test_a_full_page_of_records_costs_the_same_as_a_short_one(api, django_assert_num_queries):
    client = api("officer.tha")
    url = f"{reverse('api:arrests-list')}?page_size=500"
    short = queries(client, url)
    grow(copies=200)

    with django_assert_num_queries(short):
        body = client.get(url).json()
    assert len(body["results"]) > 400
