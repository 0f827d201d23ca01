"""Enquiries between countries: the addressee reads and answers them; nobody else does."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from countries.models import Country
from operations import models as om


@pytest.fixture
def to_malaysia(demo):
    """One of Thailand's enquiries, addressed to Malaysia and not yet answered."""
    enquiry = om.EnquiryRecord.objects.filter(country__code="THA").first()
    enquiry.counterpart = Country.objects.get(code="MYS")
    enquiry.answered_on = None
    enquiry.save()
    return enquiry


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def detail(enquiry):
    return reverse("operations:record_detail", args=["enquiries", enquiry.pk])


def answer(client, enquiry, answered_on):
    enquiry.refresh_from_db()
    return client.post(reverse("cooperation:enquiry_answer", args=[enquiry.pk]),
                       {"answered_on": answered_on, "version": enquiry.version}, follow=True)


def test_the_addressee_reads_and_answers(client, to_malaysia):
    login(client, "officer.mys")
    page = client.get(detail(to_malaysia))
    assert page.status_code == 200 and 'id="answer-heading"' in page.content.decode()

    incoming = client.get(reverse("cooperation:enquiries_incoming")).content.decode()
    assert detail(to_malaysia) in incoming
    listed = set(re.findall(r"/records/enquiries/(\d+)/", incoming))
    expected = set(om.EnquiryRecord.objects.filter(counterpart__code="MYS").values_list(
        "pk", flat=True))
    assert {int(pk) for pk in listed} == expected

    sent = to_malaysia.occurred_on
    response = answer(client, to_malaysia, (sent + dt.timedelta(days=4)).isoformat())
    assert "Answer date saved." in response.content.decode()
    to_malaysia.refresh_from_db()
    assert to_malaysia.answered_on == sent + dt.timedelta(days=4)


def test_an_answer_before_the_enquiry_was_sent_is_refused(client, to_malaysia):
    login(client, "focal.mys")
    sent = to_malaysia.occurred_on
    response = answer(client, to_malaysia, (sent - dt.timedelta(days=1)).isoformat())
    assert "cannot be answered before it was sent" in response.content.decode()
    to_malaysia.refresh_from_db()
    assert to_malaysia.answered_on is None

    response = answer(client, to_malaysia, "not a date")
    assert "Enter a valid date." in response.content.decode()


def test_a_stale_answer_is_a_conflict(client, to_malaysia):
    login(client, "officer.mys")
    version = to_malaysia.version
    om.EnquiryRecord.objects.filter(pk=to_malaysia.pk).update(version=version + 1)
    response = client.post(reverse("cooperation:enquiry_answer", args=[to_malaysia.pk]),
                           {"answered_on": to_malaysia.occurred_on.isoformat(),
                            "version": version}, follow=True)
    assert "changed since you opened it" in response.content.decode()
    assert om.EnquiryRecord.objects.get(pk=to_malaysia.pk).answered_on is None


@pytest.mark.parametrize(("username", "reads", "answers"), [
    ("officer.tha", True, False),   # the sender: reads its own record, does not answer for MYS
    ("officer.aus", False, False),  # a third country: sees nothing
    ("cochair.nzl", False, False),  # totals only
])
def test_only_the_addressee_answers(client, to_malaysia, username, reads, answers):
    login(client, username)
    assert client.get(detail(to_malaysia)).status_code == (200 if reads else 404)
    response = client.post(reverse("cooperation:enquiry_answer", args=[to_malaysia.pk]),
                           {"answered_on": to_malaysia.occurred_on.isoformat(),
                            "version": to_malaysia.version})
    assert response.status_code == 404
    assert om.EnquiryRecord.objects.get(pk=to_malaysia.pk).answered_on is None
