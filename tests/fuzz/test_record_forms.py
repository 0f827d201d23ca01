"""Fuzzing the record entry form of every outcome record type through the real page.

Each case posts the form with one field replaced by a bad value (huge or negative numbers,
wrong types, unicode with NUL and right-to-left text, empty, over-long, dates outside the
joint operation's period, another country's agency): the page answers 400 with the error on
that field, shows the message, and the database is unchanged.
"""
from __future__ import annotations

import html

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from countries.models import Agency
from operations.records import KINDS
from operations.selectors import joint_operation_current
from tests.fuzz.harness import (
    FUZZ,
    bad_values,
    changed_tables,
    checksum,
    checksum_query,
    count_case,
    login,
    names_field,
    reported_errors,
    valid_value,
)

OFFICER = "officer.tha"


def record_form_baseline(kind, form, joint_operation) -> dict:
    period = (joint_operation.starts_on, joint_operation.ends_on)
    baseline = {}
    for name in kind.entry_fields:
        field = form.fields[name]
        baseline[name] = valid_value(field, period=period if name == "occurred_on" else None)
    if "nationality" in baseline:
        baseline["nationality"] = "MMR"
    if "answered_on" in baseline:
        baseline["answered_on"] = ""
    return baseline


def foreign_agency_ids(user_agencies) -> tuple[int, ...]:
    """Agencies that exist but that the officer may not enter for (other agency, other country)."""
    return tuple(Agency.objects.exclude(pk__in=[a.pk for a in user_agencies])
                 .order_by("pk").values_list("pk", flat=True)[:20])


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_record_entry_form_refuses_bad_input(fuzz_demo, client, kind):
    # given the entry form of this record type, as officer.tha opens it
    login(client, OFFICER)
    url = reverse("operations:record_create", args=[kind.slug])
    form = client.get(url).context["form"]
    joint_operation = joint_operation_current()
    period = (joint_operation.starts_on, joint_operation.ends_on)
    baseline = record_form_baseline(kind, form, joint_operation)
    foreign = foreign_agency_ids(form.fields["agency"].queryset)
    query = checksum_query()
    before = checksum(query)
    strategies = {
        name: bad_values(form.fields[name], period=period if name == "occurred_on" else None,
                         foreign_ids=foreign if name == "agency" else ())
        for name in kind.entry_fields
    }

    @FUZZ
    @given(data=st.data())
    def case(data):
        name = data.draw(st.sampled_from(kind.entry_fields), label="field")
        value = data.draw(strategies[name], label="value")
        # when the form is posted with that one bad value
        response = client.post(url, {**baseline, name: value})
        # then a 400, the error on that field and shown on the page, and nothing written
        assert response.status_code == 400, (name, value, response.status_code)
        errors = reported_errors(response)
        assert names_field(errors, name, str(form.fields[name].label)), (name, value, errors)
        page = html.unescape(response.content.decode())
        assert all(html.unescape(str(message)) in page for message in errors[name])
        assert changed_tables(before, checksum(query)) == [], (name, value)
        count_case(f"record form {kind.slug}")

    case()
    # The baseline itself is accepted: the errors above came from the bad values.
    assert client.post(url, baseline).status_code == 302
