"""Planning in Chromium: Thailand nominates a network with Malaysia at the May 2016 meeting,
Malaysia accepts, the secretariat opens the joint investigation, and Malaysia's officer reads
it. Screenshots go to test-artifacts/browser/<test name>/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cooperation import models as cm
from countries.models import Country
from operations.demo import demo_load
from tests.browser.test_accessibility import DUPLICATE_IDS, UNLABELLED_CONTROLS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_nomination_becomes_a_joint_investigation(browser_session):
    demo_load()
    meeting = cm.PlanningMeeting.objects.get(joint_operation__slug="jpoa-2016")
    cm.Network.objects.create(name="Gulf crew recruiters", crime_types=["trafficking"],
                              registered_by=Country.objects.get(code="THA"))

    # Thailand's focal point nominates the network, with Malaysia as partner
    focal_tha = browser_session()
    focal_tha.login("focal.tha")
    page = focal_tha.goto(f"/planning/{meeting.pk}/")
    page.get_by_label("Network to investigate").select_option(label="Gulf crew recruiters")
    page.get_by_label("Proposed investigation").fill("Gulf recruiters, 2016")
    page.get_by_label("Malaysia").check()
    assert page.evaluate(UNLABELLED_CONTROLS) == [] and page.evaluate(DUPLICATE_IDS) == []
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gulf recruiters, 2016")
    expect(page.locator('tr[data-country="MYS"] [data-answer]')).to_contain_text("Awaiting")

    # Malaysia's focal point sees the network (given with the nomination) and accepts
    focal_mys = browser_session()
    focal_mys.login("focal.mys")
    page = focal_mys.goto(f"/planning/{meeting.pk}/")
    page.get_by_role("link", name="Gulf recruiters, 2016").click()
    expect(page.locator("#nominated-network")).to_have_text("Gulf crew recruiters")
    page.get_by_role("button", name="Accept for Malaysia").click()
    expect(page.locator('tr[data-country="MYS"] [data-answer]')).to_contain_text("Accepted")

    # the secretariat opens the joint investigation, without seeing the network's name
    secretariat = browser_session()
    secretariat.login("secretariat")
    page = secretariat.goto(page.url.replace(focal_mys.base_url, ""))
    expect(page.locator("main")).not_to_contain_text("Gulf crew recruiters")
    page.get_by_role("button", name="Open the joint investigation").click()
    expect(page.locator("#nomination-status")).to_have_text("Turned into a joint investigation")
    secretariat.screenshot("converted")

    # Malaysia's officer reads the investigation; Sri Lanka's sees neither it nor the nomination
    officer_mys = browser_session()
    officer_mys.login("officer.mys")
    page = officer_mys.goto("/investigations/")
    page.get_by_role("link", name="Gulf recruiters, 2016").click()
    expect(page.locator('tr[data-country="MYS"] [data-state]')).to_have_text("Member")
    officer_lka = browser_session()
    officer_lka.login("officer.lka")
    page = officer_lka.goto(f"/planning/{meeting.pk}/")
    expect(page.locator("main")).not_to_contain_text("Gulf recruiters")
    nomination = cm.Nomination.objects.get(title="Gulf recruiters, 2016")
    assert page.goto(officer_lka.base_url + f"/planning/nominations/{nomination.pk}/").status == 404
