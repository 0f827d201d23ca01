"""Fuzzing every other form of the portal through its real page: country returns (submit,
reopen), the debrief export, networks, joint investigations (propose, note, invite), record
shares, enquiry answers, and the debrief workshop (workshop, lessons, recommendations).

One field at a time gets a bad value; the answer is never a 500, the error names the field
(on the form, or in a message that names it where the page redirects), and the database is
unchanged. The valid baseline is then posted once and accepted.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cooperation import models as cm
from cooperation import services as cooperation
from cooperation.forms import AnswerForm, InviteForm, NoteForm
from countries.models import Country
from operations import models as om
from reporting import models as rm
from reporting.debrief import RecommendationForm, TrackForm
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


@dataclass
class FormCase:
    name: str
    username: str
    url: Callable[[dict], str]
    form: Callable[[object, dict], object]  # (client, objects) -> an unbound form to read
    fields: tuple[str, ...] = ()  # fuzzed fields (all visible ones when empty)
    baseline: Callable[[dict], dict] = lambda objects: {}
    labels: dict = field(default_factory=dict)  # how a redirecting page names a field


def page_form(key, url_name=None):
    def read(client, objects, url):
        return client.get(url).context[key]
    return read


def objects_of_demo() -> dict:
    User = get_user_model()
    tha = Country.objects.get(code="THA")
    focal = User.objects.get(username="focal.tha")
    network = cm.Network.objects.filter(registered_by=tha).order_by("pk").first()
    investigation = cooperation.investigation_propose(
        actor=focal, lead_country=tha, network=network, title="Fuzzed investigation",
        starts_on=dt.date(2015, 10, 1), ends_on=dt.date(2016, 3, 31), purpose="",
        invited=[Country.objects.get(code="AUS")])
    workshop = rm.DebriefWorkshop.objects.get(joint_operation__slug="jpoa-2015")
    return {
        "tha": tha, "network": network, "investigation": investigation, "workshop": workshop,
        "own_arrest": om.ArrestRecord.objects.filter(
            country=tha, agency__acronym="RTP").order_by("pk").first(),
        "enquiry_to_tha": om.EnquiryRecord.objects.filter(counterpart=tha).order_by("pk").first(),
        "recommendation": workshop.recommendations.order_by("number").first(),
    }


CASES = [
    FormCase("return submit", "focal.tha",
             lambda o: reverse("reporting:return_submit", args=["jpoa-2015", "THA"]),
             lambda c, o: c.get(reverse("reporting:return_detail",
                                        args=["jpoa-2015", "THA"])).context["submit_form"]),
    FormCase("return reopen", "secretariat",
             lambda o: reverse("reporting:return_reopen", args=["jpoa-2015", "MDV"]),
             lambda c, o: c.get(reverse("reporting:return_detail",
                                        args=["jpoa-2015", "MDV"])).context["reopen_form"],
             baseline=lambda o: {"reason": "Figures for week 2 are missing."}),
    FormCase("export", "cochair.nzl", lambda o: reverse("reporting:export_list"),
             lambda c, o: c.get(reverse("reporting:export_list")).context["form"],
             baseline=lambda o: {"joint_operation": "jpoa-2015", "country": "",
                                 "format": "csv", "rounded": []}),
    FormCase("network", "officer.tha", lambda o: reverse("cooperation:network_create"),
             lambda c, o: c.get(reverse("cooperation:network_create")).context["form"]),
    FormCase("investigation propose", "focal.tha",
             lambda o: reverse("cooperation:investigation_create"),
             lambda c, o: c.get(reverse("cooperation:investigation_create")).context["form"],
             baseline=lambda o: {"network": str(o["network"].pk), "purpose": "",
                                 "ends_on": "2016-01-31"}),
    FormCase("investigation note", "focal.tha",
             lambda o: reverse("cooperation:investigation_detail", args=[o["investigation"].pk]),
             lambda c, o: NoteForm()),
    FormCase("investigation invite", "focal.tha",
             lambda o: reverse("cooperation:member_invite", args=[o["investigation"].pk]),
             lambda c, o: InviteForm(), labels={"country": "country"},
             baseline=lambda o: {"country": str(Country.objects.get(code="MYS").pk)}),
    FormCase("record share", "officer.tha",
             lambda o: reverse("operations:record_share", args=["arrests", o["own_arrest"].pk]),
             lambda c, o: c.get(reverse("operations:record_detail", args=[
                 "arrests", o["own_arrest"].pk])).context["share_form"]),
    FormCase("enquiry answer", "officer.tha",
             lambda o: reverse("cooperation:enquiry_answer", args=[o["enquiry_to_tha"].pk]),
             lambda c, o: AnswerForm(), fields=("answered_on",),
             baseline=lambda o: {"version": str(o["enquiry_to_tha"].version),
                                 "answered_on": "2015-11-02"}),
    FormCase("debrief workshop", "secretariat",
             lambda o: reverse("reporting:workshop_detail", args=["jpoa-2015"]),
             lambda c, o: c.get(reverse("reporting:workshop_detail",
                                        args=["jpoa-2015"])).context["form"]),
    FormCase("debrief lessons", "focal.tha",
             lambda o: reverse("reporting:lessons_edit", args=["jpoa-2015", "THA"]),
             lambda c, o: c.get(reverse("reporting:lessons_edit",
                                        args=["jpoa-2015", "THA"])).context["form"]),
    FormCase("debrief recommendation", "secretariat",
             lambda o: reverse("reporting:recommendation_add", args=["jpoa-2015"]),
             lambda c, o: RecommendationForm()),
    FormCase("debrief recommendation tracking", "secretariat",
             lambda o: reverse("reporting:recommendation_track", args=[o["recommendation"].pk]),
             lambda c, o: TrackForm(instance=o["recommendation"])),
]


def visible_fields(form) -> tuple[str, ...]:
    return tuple(name for name, f in form.fields.items() if not f.widget.is_hidden)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_form_refuses_bad_input(fuzz_demo, client, case):
    objects = objects_of_demo()
    login(client, case.username)
    form = case.form(client, objects)
    url = case.url(objects)
    names = case.fields or visible_fields(form)
    baseline = {name: valid_value(f) for name, f in form.fields.items() if not f.widget.is_hidden}
    baseline.update(case.baseline(objects))
    strategies = {name: bad_values(form.fields[name]) for name in names}
    query = checksum_query()
    before = checksum(query)

    @FUZZ
    @given(data=st.data())
    def fuzz_case(data):
        name = data.draw(st.sampled_from(names), label="field")
        value = data.draw(strategies[name], label="value")
        response = client.post(url, {**baseline, name: value})
        # never a 500 (the test client re-raises errors); refused, saying which field
        assert response.status_code in (302, 400), (name, value, response.status_code)
        errors = reported_errors(response)
        label = case.labels.get(name, str(form.fields[name].label))
        assert names_field(errors, name, label), (name, value, errors, response.status_code,
                                                  response.get("Location"))
        assert changed_tables(before, checksum(query)) == [], (name, value)
        count_case(case.name)

    fuzz_case()
    # The baseline is accepted: the refusals above came from the bad values.
    response = client.post(url, baseline)
    assert response.status_code in (200, 302) and not reported_errors(response), (
        reported_errors(response))
