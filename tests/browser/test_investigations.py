"""A joint investigation in Chromium: Thailand and Malaysia set it up and share records; a third
country sees nothing. Screenshots go to test-artifacts/browser/<test name>/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cooperation import models as cm
from operations import models as om
from operations.demo import demo_load
from tests.browser.test_accessibility import DUPLICATE_IDS, UNLABELLED_CONTROLS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def attribute(session, kind_slug, record, title):
    page = session.goto(f"/records/{kind_slug}/{record.pk}/")
    page.get_by_label("Share with the members of").select_option(label=title)
    page.locator("#attribute-heading").locator("xpath=../..").get_by_role("button", name="Save").click()
    expect(page.locator(".message-success")).to_contain_text("Shared with the investigation's members.")


def test_two_countries_share_an_investigation_and_a_third_sees_nothing(browser_session):
    demo_load()
    thai_record = om.ArrestRecord.objects.filter(country__code="THA", agency__acronym="RTP").first()
    malaysian_record = om.ArrestRecord.objects.filter(country__code="MYS").first()

    # a Thai officer registers the network
    officer_tha = browser_session()
    officer_tha.login("officer.tha")
    page = officer_tha.goto("/investigations/")
    page.get_by_role("button", name="Register a network").click()
    page.get_by_label("Name").fill("Andaman fishing crews")
    page.get_by_label("Trafficking in persons").check()
    page.get_by_label("Modus operandi").fill("False contracts for crews; transfers at sea.")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Andaman fishing crews")

    # Thailand's focal point proposes a joint investigation and invites Malaysia
    focal_tha = browser_session()
    focal_tha.login("focal.tha")
    page = focal_tha.goto("/investigations/new/")
    page.get_by_label("Title").fill("Operation Andaman")
    page.get_by_label("Network").select_option(label="Andaman fishing crews")
    page.get_by_label("Starts on").fill("2015-10-01")
    page.get_by_label("Ends on").fill("2016-03-31")
    page.get_by_label("Malaysia").check()
    assert page.evaluate(UNLABELLED_CONTROLS) == [] and page.evaluate(DUPLICATE_IDS) == []
    focal_tha.screenshot("propose")
    page.get_by_role("button", name="Propose and invite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operation Andaman")
    expect(page.locator('tr[data-country="MYS"] [data-state]')).to_have_text("Invited")

    # Malaysia's focal point accepts
    focal_mys = browser_session()
    focal_mys.login("focal.mys")
    page = focal_mys.goto("/investigations/")
    page.get_by_role("link", name="Operation Andaman").click()
    focal_mys.screenshot("invitation")
    page.get_by_role("button", name="Accept for Malaysia").click()
    expect(page.locator('tr[data-country="MYS"] [data-state]')).to_have_text("Member")

    # each country's officer shares a record and reads the other's
    officer_mys = browser_session()
    officer_mys.login("officer.mys")
    attribute(officer_tha, "arrests", thai_record, "Operation Andaman")
    attribute(officer_mys, "arrests", malaysian_record, "Operation Andaman")
    page = officer_mys.goto(f"/records/arrests/{thai_record.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page = officer_tha.goto("/investigations/")
    page.get_by_role("link", name="Operation Andaman").click()
    expect(page.locator("#shared-records tbody tr")).to_have_count(2)
    page.get_by_label("New note").fill("Crew transfer seen off Songkhla on 14 October.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator("article.note")).to_contain_text("Songkhla")
    officer_tha.screenshot("investigation")
    page = officer_mys.goto(page.url.replace(officer_tha.base_url, ""))
    expect(page.locator("article.note")).to_contain_text("Songkhla")
    page.get_by_role("link", name=f"Arrests #{thai_record.pk}").click()
    expect(page).to_have_url(f"{officer_mys.base_url}/records/arrests/{thai_record.pk}/")

    # a third country's officer sees none of it
    officer_lka = browser_session()
    officer_lka.login("officer.lka")
    page = officer_lka.goto("/investigations/")
    expect(page.get_by_role("link", name="Operation Andaman")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Andaman fishing crews")
    response = page.goto(officer_lka.base_url + f"/records/arrests/{thai_record.pk}/")
    assert response.status == 404
    investigation = cm.JointInvestigation.objects.get()
    response = page.goto(officer_lka.base_url + f"/investigations/{investigation.pk}/")
    assert response.status == 404
    officer_lka.screenshot("third-country")
