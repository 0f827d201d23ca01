"""The record pages through the test client: entry with and without htmx, lists, errors, scoping."""
from __future__ import annotations

import copy
import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from countries.models import Agency, Country
from operations import models as om
from operations.records import KINDS, KINDS_BY_SLUG
from operations.views import PAGE_SIZE
from tests.world import MISSING_ID

HTMX = {"HTTP_HX_REQUEST": "true"}
ADD_URL = reverse("operations:record_create", args=["arrests"])
LIST_URL = reverse("operations:record_list", args=["arrests"])
LIST_MAX_QUERIES = 17  # whatever the number of rows: rows must not cost a query each
# (one of them: the returns that lock the user's entry, operations.selectors.entry_locks)


class _Forms(HTMLParser):
    """Each form of a page with the values a browser would submit from it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def _fields(self) -> dict:
        return self.forms[-1]["fields"] if self.forms else {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "method": attrs.get("method", "get"),
                               "fields": {}})
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._fields()[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select, self._first_option = attrs.get("name"), None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self._fields().setdefault(self._select, value)
            if "selected" in attrs:
                self._fields()[self._select] = value
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._fields()[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._fields()[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(html: str, action: str) -> dict:
    """The values of the page's POST form that submits to ``action``."""
    parser = _Forms()
    parser.feed(html)
    [form] = [f for f in parser.forms if f["action"] == action and f["method"] == "post"]
    return {name: value.strip("\n") for name, value in form["fields"].items()
            if name != "csrfmiddlewaretoken"}


def field_error(html: str, field: str, prefix: str = "id") -> str:
    """The error shown next to ``field`` (inside its own field block), or "".

    ``prefix`` is the form's id prefix: "id" for full-page forms, "edit<pk>" for a row's form.
    """
    block = re.search(rf'<div class="field[^"]*">(?:(?!<div class="field).)*?id="{prefix}_{field}"'
                      rf'(?:(?!<div class="field).)*', html, re.S)
    if block is None:
        return ""
    error = re.search(rf'<small class="field-error" id="{prefix}_{field}_error">([^<]*)</small>',
                      block.group(0))
    return error.group(1) if error else ""


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="record-(\d+)"', html)]


def without_csrf_token(content: bytes) -> bytes:
    """The page minus its CSRF tokens, which are masked afresh for every response."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)


def login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def agency(acronym: str) -> Agency:
    return Agency.objects.get(acronym=acronym)


def thai_arrest(acronym: str = "RTP") -> om.ArrestRecord:
    return om.ArrestRecord.objects.filter(country__code="THA", agency__acronym=acronym).first()


def arrest_post(**changes) -> dict:
    return {"occurred_on": "2015-10-03", "agency": agency("RTP").pk, "count": "2",
            "crime_type": "smuggling", "sector": "fishing", **changes}


def entered_values(kind, record) -> dict:
    """A saved record's entered fields as its form posts them."""
    values = {}
    for name in kind.entry_fields:
        field = kind.model._meta.get_field(name)
        value = getattr(record, field.attname)
        values[name] = "" if value is None else value.isoformat() if isinstance(value, dt.date) \
            else str(value)
    return values


# ---------------------------------------------------------------------------------------------
# Adding
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_add_without_htmx_redirects_to_the_list_and_saves(client, demo, kind):
    # given an officer and the values of one of his agency's records of this type
    officer = login(client, "officer.tha")
    source = kind.model.objects.filter(country__code="THA", agency__acronym="RTP").first()
    posted = entered_values(kind, source)
    before = set(kind.model.objects.values_list("pk", flat=True))

    # when
    response = client.post(reverse("operations:record_create", args=[kind.slug]), posted)

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("operations:record_list", args=[kind.slug])
    [record] = kind.model.objects.exclude(pk__in=before)
    assert entered_values(kind, record) == posted
    assert (record.created_by, record.country.code, record.version) == (officer, "THA", 1)


def test_add_with_htmx_returns_the_region_with_the_new_row_and_a_form_keeping_date_and_agency(
    client, demo
):
    # given a focal point, who may enter for any of Thailand's four agencies
    login(client, "focal.tha")

    # when
    response = client.post(ADD_URL, arrest_post(agency=agency("DSI").pk, occurred_on="2015-10-12",
                                                count="4"), **HTMX)

    # then the region comes back with the new row marked, and a fresh form
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="records-region">')
    assert "<html" not in html
    record = om.ArrestRecord.objects.get(agency__acronym="DSI", occurred_on=dt.date(2015, 10, 12),
                                         count=4)
    assert f'<tr id="record-{record.pk}" class="just-saved">' in html
    assert form_values(html, ADD_URL) == {
        "occurred_on": "2015-10-12", "agency": str(agency("DSI").pk), "count": "",
        "crime_type": "", "sector": "", "unusual_reason": "", "version": "",
    }
    assert "Added: arrests of 12 Oct 2015, DSI." in html


def test_add_victims_accepts_a_lower_case_nationality_code(client, demo):
    login(client, "officer.tha")

    response = client.post(reverse("operations:record_create", args=["victims-assisted"]), {
        "occurred_on": "2015-10-03", "agency": agency("RTP").pk, "count": "2", "sex": "female",
        "age_band": "12-17", "nationality": "khm", "exploitation_type": "labour", "sector": "",
    })

    assert response.status_code == 302
    assert om.VictimAssistanceRecord.objects.filter(nationality="KHM", country__code="THA",
                                                    occurred_on=dt.date(2015, 10, 3)).exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("field", "value", "message"), [
    ("count", "0", "Number of arrests: enter at least 1"),
    ("occurred_on", "2015-10-29", "The date must be between 28 Sep 2015 and 28 Oct 2015"),
    ("crime_type", "kidnap", "Select a valid choice"),
])
def test_bad_value_gives_400_with_the_error_next_to_the_field_and_keeps_the_typed_values(
    client, demo, htmx, field, value, message
):
    # given
    login(client, "officer.tha")
    posted = arrest_post(**{field: value})
    rows = om.ArrestRecord.objects.count()

    # when
    response = client.post(ADD_URL, posted, **(HTMX if htmx else {}))

    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert message in field_error(html, field)
    assert re.search(rf'aria-describedby="[^"]*\bid_{field}_error\b[^"]*" id="id_{field}"', html)
    for other in set(posted) - {field}:
        assert field_error(html, other) == "", other
    typed = form_values(html, ADD_URL)
    expected = {name: str(v) for name, v in posted.items()}
    if field == "crime_type":  # an unknown choice cannot be shown selected
        expected[field] = ""
    assert {name: typed[name] for name in posted} == expected
    assert om.ArrestRecord.objects.count() == rows


def test_service_rule_error_is_shown_next_to_its_field(client, demo):
    # given an enquiry addressed to the officer's own country: the form parses, the service refuses
    login(client, "officer.tha")
    url = reverse("operations:record_create", args=["enquiries"])
    rows = om.EnquiryRecord.objects.count()
    posted = {"occurred_on": "2015-10-10", "agency": agency("RTP").pk, "count": "3",
              "counterpart": Country.objects.get(code="THA").pk, "channel": "direct",
              "crime_type": "trafficking", "answered_on": "2015-10-08"}

    # when
    response = client.post(url, posted)

    # then both rules are named, each next to its field, and the typed values stay
    assert response.status_code == 400
    html = response.content.decode()
    assert "another country or organisation" in field_error(html, "counterpart")
    assert "cannot be answered before it was sent" in field_error(html, "answered_on")
    assert form_values(html, url) == {**{k: str(v) for k, v in posted.items()}, "unusual_reason": "", "version": ""}
    assert om.EnquiryRecord.objects.count() == rows


# ---------------------------------------------------------------------------------------------
# Editing and deleting
# ---------------------------------------------------------------------------------------------


def test_edit_without_htmx(client, demo):
    # given
    login(client, "officer.tha")
    record = thai_arrest()
    url = reverse("operations:record_update", args=["arrests", record.pk])
    opened = form_values(client.get(url).content.decode(), url)
    assert opened["version"] == "1" and opened["count"] == str(record.count)

    # when
    response = client.post(url, {**opened, "count": "7", "sector": "farming"})

    # then
    assert response.status_code == 302 and response["Location"] == LIST_URL
    record.refresh_from_db()
    assert (record.count, record.sector, record.version) == (7, "farming", 2)


def test_edit_with_htmx_swaps_the_row_for_a_form_and_back(client, demo):
    # given
    login(client, "officer.tha")
    record = thai_arrest()
    url = reverse("operations:record_update", args=["arrests", record.pk])

    # when the row asks for its edit form
    opened = client.get(url, **HTMX)

    # then it gets a table row holding the form
    html = opened.content.decode()
    assert opened.status_code == 200 and "<html" not in html
    assert html.startswith(f'<tr id="record-{record.pk}" class="editing">')
    values = form_values(html, url)

    # when the form is saved
    saved = client.post(url, {**values, "count": "9"}, **HTMX)

    # then the saved row comes back in its place
    html = saved.content.decode()
    assert saved.status_code == 200
    assert html.startswith(f'<tr id="record-{record.pk}" class="just-saved">')
    assert '<td data-label="People arrested">9</td>' in html
    record.refresh_from_db()
    assert (record.count, record.version) == (9, 2)


def test_edit_with_a_bad_value_gives_400_and_changes_nothing(client, demo):
    login(client, "officer.tha")
    record = thai_arrest()
    url = reverse("operations:record_update", args=["arrests", record.pk])
    values = form_values(client.get(url).content.decode(), url)

    response = client.post(url, {**values, "count": "0"}, **HTMX)

    assert response.status_code == 400
    assert "Number of arrests: enter at least 1" in field_error(response.content.decode(), "count", f"edit{record.pk}")
    assert form_values(response.content.decode(), url)["count"] == "0"
    record.refresh_from_db()
    assert record.version == 1


def test_delete_without_htmx_confirms_then_redirects(client, demo):
    # given
    login(client, "officer.tha")
    record = thai_arrest()
    url = reverse("operations:record_delete", args=["arrests", record.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert om.ArrestRecord.objects.filter(pk=record.pk).exists()

    # when
    response = client.post(url, form_values(confirmation.content.decode(), url))

    # then
    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert not om.ArrestRecord.objects.filter(pk=record.pk).exists()


def test_delete_with_htmx_returns_an_empty_body(client, demo):
    login(client, "officer.tha")
    record = thai_arrest()

    response = client.post(reverse("operations:record_delete", args=["arrests", record.pk]),
                           {"version": record.version}, **HTMX)

    assert (response.status_code, response.content) == (200, b"")
    assert not om.ArrestRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_delete_with_a_stale_version_gives_409_and_keeps_the_record(client, demo, htmx):
    login(client, "officer.tha")
    record = thai_arrest()

    response = client.post(reverse("operations:record_delete", args=["arrests", record.pk]),
                           {"version": record.version + 1}, **(HTMX if htmx else {}))

    assert response.status_code == 409
    assert "Someone changed this record after you opened it" in response.content.decode()
    assert om.ArrestRecord.objects.filter(pk=record.pk, version=record.version).exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_locked_return_gives_409_with_the_reopen_message(client, demo, htmx):
    # given officer.phl, whose country's return is submitted, and one of his agency's records
    login(client, "officer.phl")
    headers = HTMX if htmx else {}
    record = om.ArrestRecord.objects.filter(country__code="PHL", agency__acronym="PNP").first()
    rows = om.ArrestRecord.objects.count()
    reopen = "Ask the secretariat to reopen it."

    # when he adds, edits and deletes
    added = client.post(ADD_URL, arrest_post(agency=agency("PNP").pk), **headers)
    edit_url = reverse("operations:record_update", args=["arrests", record.pk])
    edited = client.post(edit_url, {**entered_values(KINDS_BY_SLUG["arrests"], record),
                                    "count": "9", "version": record.version}, **headers)
    deleted = client.post(reverse("operations:record_delete", args=["arrests", record.pk]),
                          {"version": record.version}, **headers)

    # then each is refused with the reason, and nothing changed
    for response in (added, edited, deleted):
        assert response.status_code == 409
        assert reopen in response.content.decode()
    assert form_values(edited.content.decode(), edit_url)["count"] == "9"
    assert om.ArrestRecord.objects.count() == rows
    assert om.ArrestRecord.objects.filter(pk=record.pk, count=record.count,
                                          version=record.version).exists()


@pytest.mark.parametrize("action", ["record_update", "record_delete"])
def test_another_countrys_record_is_404_exactly_like_a_missing_one(client, demo, action):
    # given a Thai officer and an Australian record
    login(client, "officer.tha")
    foreign = om.ArrestRecord.objects.filter(country__code="AUS").first()
    foreign_url = reverse(f"operations:{action}", args=["arrests", foreign.pk])
    missing_url = reverse(f"operations:{action}", args=["arrests", MISSING_ID])
    posted = {**entered_values(KINDS_BY_SLUG["arrests"], foreign), "count": "99",
              "version": foreign.version}

    for method in ("get", "post"):
        for headers in ({}, HTMX):
            # when
            send = getattr(client, method)
            answer = send(foreign_url, posted if method == "post" else {}, **headers)
            missing = send(missing_url, posted if method == "post" else {}, **headers)

            # then
            assert answer.status_code == missing.status_code == 404, (method, headers)
            assert without_csrf_token(answer.content) == without_csrf_token(missing.content)
    assert om.ArrestRecord.objects.filter(pk=foreign.pk, count=foreign.count,
                                          version=foreign.version).exists()


def test_a_record_of_another_agency_is_404_for_an_officer_but_not_for_the_focal_point(client, demo):
    record = thai_arrest("DSI")
    url = reverse("operations:record_update", args=["arrests", record.pk])

    login(client, "officer.tha")
    assert client.get(url).status_code == 404
    assert client.post(reverse("operations:record_delete", args=["arrests", record.pk]),
                       {"version": record.version}).status_code == 404

    login(client, "focal.tha")
    assert client.get(url).status_code == 200
    assert om.ArrestRecord.objects.filter(pk=record.pk).exists()


# ---------------------------------------------------------------------------------------------
# The list: filters, sort, pagination, query count
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def many_thai_arrests(demo):
    """60 more Thai arrests: 40 of RTP and 20 of DSI, over three sectors and the whole period."""
    template = thai_arrest()
    rtp, dsi = agency("RTP"), agency("DSI")
    sectors = ["fishing", "farming", "", "fishing"]
    records = []
    for i in range(60):
        record = copy.copy(template)
        record.pk = None
        record.agency = dsi if i % 3 == 0 else rtp
        record.sector = sectors[i % 4]
        record.count = 1 + (i * 7) % 11
        record.occurred_on = dt.date(2015, 9, 28) + dt.timedelta(days=i % 31)
        records.append(record)
    om.ArrestRecord.objects.bulk_create(records)
    return om.ArrestRecord.objects.filter(country__code="THA")


def listed(client, **params) -> tuple[list[int], str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    return row_ids(html), html


@pytest.mark.parametrize(("params", "lookup"), [
    ({"occurred_from": "2015-10-05", "occurred_to": "2015-10-12"},
     {"occurred_on__range": (dt.date(2015, 10, 5), dt.date(2015, 10, 12))}),
    ({"occurred_from": "2015-10-22"}, {"occurred_on__gte": dt.date(2015, 10, 22)}),
    ({"agency": "DSI"}, {"agency__acronym": "DSI"}),
    ({"sector": "farming"}, {"sector": "farming"}),
    ({"agency": "RTP", "sector": "fishing", "occurred_to": "2015-10-15"},
     {"agency__acronym": "RTP", "sector": "fishing", "occurred_on__lte": dt.date(2015, 10, 15)}),
])
def test_list_filters(client, many_thai_arrests, params, lookup):
    # given
    login(client, "officer.tha")
    if "agency" in params:
        params = {**params, "agency": agency(params["agency"]).pk}
    expected = list(many_thai_arrests.filter(**lookup).order_by("-occurred_on", "-pk")
                    .values_list("pk", flat=True))
    assert 0 < len(expected) <= PAGE_SIZE, "the case should fit one page"

    # when
    ids, html = listed(client, **params)

    # then
    assert ids == expected
    assert f"{len(expected)} records you may read." in html


@pytest.mark.parametrize(("sort", "order"), [
    ("date", ("occurred_on", "-pk")),
    ("count", ("count", "-pk")),
    ("-count", ("-count", "-pk")),
    ("agency", ("agency__name", "-pk")),
    ("-agency", ("-agency__name", "-pk")),
])
def test_list_sort(client, many_thai_arrests, sort, order):
    login(client, "officer.tha")
    expected = list(many_thai_arrests.order_by(*order).values_list("pk", flat=True))

    first, _ = listed(client, sort=sort)
    second, _ = listed(client, sort=sort, page=2)

    assert first + second == expected[: 2 * PAGE_SIZE]


def test_pagination_keeps_the_filters(client, many_thai_arrests):
    # given more RTP arrests than fit on one page
    login(client, "officer.tha")
    rtp = agency("RTP").pk
    expected = list(many_thai_arrests.filter(agency=rtp).order_by("count", "-pk")
                    .values_list("pk", flat=True))
    assert len(expected) > PAGE_SIZE

    # when following the "Next" link of the filtered, sorted first page
    first, html = listed(client, agency=rtp, sort="count")
    [next_link] = re.findall(r'<a href="\?([^"]+)">Next</a>', html)
    params = dict(pair.split("=", 1) for pair in next_link.replace("&amp;", "&").split("&"))
    second, html = listed(client, **params)

    # then the link kept filter and sort, and the two pages hold exactly the filtered rows
    assert params == {"agency": str(rtp), "sort": "count", "page": "2"}
    assert first + second == expected
    assert "Page 2 of 2" in html


def test_list_query_count_does_not_grow_with_rows(client, demo, django_assert_max_num_queries):
    login(client, "officer.tha")
    for kind in KINDS:
        url = reverse("operations:record_list", args=[kind.slug])
        client.get(url)  # warm-up: session, content types

        # given the few demo records of this type
        with django_assert_max_num_queries(LIST_MAX_QUERIES) as few:
            response = client.get(url)
        assert 0 < len(row_ids(response.content.decode())) < PAGE_SIZE, kind.slug

        # when 60 more are added
        template = kind.model.objects.filter(country__code="THA").first()
        clones = []
        for _ in range(60):
            clone = copy.copy(template)
            clone.pk = None
            clones.append(clone)
        kind.model.objects.bulk_create(clones)

        # then a full page costs the same number of queries
        with django_assert_max_num_queries(LIST_MAX_QUERIES) as many:
            response = client.get(url)
        assert len(row_ids(response.content.decode())) == PAGE_SIZE, kind.slug
        assert len(many) == len(few), kind.slug


def test_list_page_element_ids_are_unique(client, demo):
    login(client, "officer.tha")

    html = client.get(LIST_URL).content.decode()

    ids = re.findall(r'\bid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("action", ["record_update", "record_delete"])
def test_htmx_row_actions_leave_no_message_for_a_later_page(client, demo, action):
    # given
    login(client, "officer.tha")
    record = thai_arrest()
    url = reverse(f"operations:{action}", args=["arrests", record.pk])
    posted = {**entered_values(KINDS_BY_SLUG["arrests"], record), "version": record.version}

    # when a row is saved or deleted in place, and the officer later opens another page
    assert client.post(url, posted, **HTMX).status_code == 200
    later = client.get(reverse("operations:record_list", args=["suspects"])).content.decode()

    # then no stale "Saved"/"Deleted" message about the arrest shows up there
    assert "arrests of" not in later


def test_country_filter_narrows_to_a_country_the_user_reads_and_refuses_others(client, demo):
    # given an administrator, who reads every country, and an officer, who reads only Thailand
    admin = get_user_model().objects.create_superuser("root", password="pw-root-2015!")
    indonesian = om.ArrestRecord.objects.filter(country__code="IDN").order_by("-occurred_on", "-pk")
    assert indonesian.exists()

    # when the administrator filters by Indonesia
    client.force_login(admin)
    ids, _ = listed(client, country="IDN")

    # then only Indonesia's records are listed
    assert ids == list(indonesian.values_list("pk", flat=True)[:PAGE_SIZE])

    # when the Thai officer asks for Indonesia
    login(client, "officer.tha")
    ids, html = listed(client, country="IDN")

    # then the field says so and no Indonesian record appears
    assert "Select a valid choice" in html
    assert not set(ids) & set(indonesian.values_list("pk", flat=True))
    own, _ = listed(client, country="THA")
    assert own == list(om.ArrestRecord.objects.filter(country__code="THA")
                       .order_by("-occurred_on", "-pk").values_list("pk", flat=True)[:PAGE_SIZE])
