"""A submitted or accepted return: the records pages offer no Add, Edit or Delete, and say why."""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from countries.models import Role
from operations import models as om
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
BANNER = "Ask the secretariat to reopen it."


@pytest.fixture
def officer_world(db):
    """One officer of one country's lead agency, one arrest, and the country's return."""
    operation = factories.OperationFactory()
    officer = factories.UserFactory()
    factories.MembershipFactory(user=officer, agency=operation.lead_agency, role=Role.OFFICER)
    record = factories.ArrestRecordFactory(operation=operation)
    country_return = om.CountryReturn.objects.create(
        joint_operation=operation.joint_operation, country=operation.country)
    return officer, record, country_return


def _lock(country_return, state, submitter):
    country_return.state = state
    country_return.submitted_at = timezone.now()
    country_return.submitted_by = submitter
    if state == om.CountryReturn.State.ACCEPTED:
        country_return.accepted_at = timezone.now()
    country_return.save()


def _links(record):
    return (reverse("operations:record_update", args=["arrests", record.pk]),
            reverse("operations:record_delete", args=["arrests", record.pk]))


def test_an_open_return_offers_add_edit_and_delete_and_no_banner(client, officer_world):
    officer, record, _ = officer_world
    client.force_login(officer)

    page = client.get(reverse("operations:record_list", args=["arrests"])).content.decode()

    assert 'id="add"' in page
    assert all(link in page for link in _links(record))
    assert BANNER not in page


@pytest.mark.parametrize("state", [om.CountryReturn.State.SUBMITTED, om.CountryReturn.State.ACCEPTED])
def test_a_locked_return_hides_add_edit_and_delete_and_says_why_and_whom_to_ask(
        client, officer_world, state):
    # given the officer's country's return, submitted (or accepted) by its focal point
    officer, record, country_return = officer_world
    focal = factories.UserFactory(username="focal.qq")
    _lock(country_return, state, focal)
    client.force_login(officer)

    # when the officer opens the records list, the list's htmx region, the record and its forms
    list_url = reverse("operations:record_list", args=["arrests"])
    page = client.get(list_url).content.decode()
    region = client.get(list_url, **HTMX).content.decode()
    detail = client.get(reverse("operations:record_detail", args=["arrests", record.pk]))
    add_page = client.get(reverse("operations:record_create", args=["arrests"]))
    edit_page, delete_page = (client.get(link) for link in _links(record))

    # then no control that would only be refused is offered, and the banner says why
    for html in (page, region):
        assert 'id="add"' not in html
        assert not any(link in html for link in _links(record))
        assert BANNER in html
        assert f"is {state.label.lower()}, so its records cannot be changed" in html
    if state == om.CountryReturn.State.SUBMITTED:
        assert "Submitted by focal.qq on " in page
    assert not any(link in detail.content.decode() for link in _links(record))
    assert BANNER in detail.content.decode()
    for response in (add_page, edit_page, delete_page):
        html = response.content.decode()
        assert BANNER in html
        assert 'method="post"' not in html.split('id="main"')[1].split("</main>")[0]


def test_another_countrys_locked_return_does_not_lock_the_officers_own(client, officer_world):
    officer, record, _ = officer_world
    other = factories.OperationFactory(joint_operation=record.operation.joint_operation)
    other_return = om.CountryReturn.objects.create(
        joint_operation=other.joint_operation, country=other.country)
    _lock(other_return, om.CountryReturn.State.ACCEPTED, None)
    client.force_login(officer)

    page = client.get(reverse("operations:record_list", args=["arrests"])).content.decode()

    assert 'id="add"' in page and BANNER not in page


def test_many_locked_returns_are_summed_up_in_one_banner(client, officer_world):
    # given an administrator who may enter for every country, and three countries' returns locked
    _, record, country_return = officer_world
    joint_operation = record.operation.joint_operation
    returns = [country_return] + [
        om.CountryReturn.objects.create(
            joint_operation=joint_operation,
            country=factories.OperationFactory(joint_operation=joint_operation).country)
        for _ in range(2)]
    for each in returns:
        _lock(each, om.CountryReturn.State.ACCEPTED, None)
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))

    # when the records list is opened
    page = client.get(reverse("operations:record_list", args=["arrests"])).content.decode()

    # then one summary names the three countries, each country's banner folded inside it
    assert page.count('class="message message-locked locked-summary"') == 1
    assert "the returns of 3 countries are submitted or accepted" in page
    summary = page.split("locked-summary")[1].split("</summary>")[0]
    assert all(each.country.name in summary for each in returns)
    assert page.count("data-locked-return=") == 3
