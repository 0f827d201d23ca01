"""End to end in Chromium: an officer enters a day's results, the focal point submits the
return, the secretariat reopens it. Each page visited is saved under test-artifacts/browser/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from operations import models as om
from operations.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figure(page, metric: str):
    return page.locator(f'section.workspace [data-metric="{metric}"] .figure-value')


def as_int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_officer_enters_results_and_sees_the_country_totals_change(browser_session):
    demo_load()
    officer = browser_session()
    page = officer.page

    # given an officer on the workspace
    officer.login("officer.tha")
    expect(page.get_by_role("heading", level=2, name=re.compile("Thailand"))).to_be_visible()
    arrests_before = as_int(figure(page, "arrests").inner_text())
    victims_before = as_int(figure(page, "victims_assisted").inner_text())
    officer.screenshot("workspace")

    # when they add an arrest record, inline (htmx)
    page.locator('tr[data-kind="arrests"]').get_by_role("link", name=re.compile("^Add")).click()
    form = page.locator("#add")
    form.get_by_label("Date").fill("2015-10-05")
    form.get_by_label("People arrested").fill("3")
    form.get_by_label("Crime type").select_option(label="Trafficking in persons")
    form.get_by_label("Sector").select_option(label="Fishing")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Added")).to_be_visible()
    expect(page.locator("tr.just-saved")).to_contain_text("5 Oct 2015")
    officer.screenshot("arrest-added")

    # and a victims-assisted record with a bad value first: the error shows next to the field
    officer.goto("/records/victims-assisted/")
    form = page.locator("#add")
    form.get_by_label("Date").fill("2015-10-06")
    form.get_by_label("Persons assisted").fill("2")
    form.get_by_label("Sex").select_option(label="Female")
    form.get_by_label("Age band").select_option(label="Child, 12–17")
    form.get_by_label("Nationality").fill("Myanmar")
    form.get_by_label("Exploitation type").select_option(label="Labour exploitation")
    form.get_by_role("button", name="Add", exact=True).click()
    error = page.locator("#id_nationality_error")
    expect(error).to_contain_text("three-letter ISO code")
    expect(form.get_by_label("Persons assisted")).to_have_value("2")  # nothing typed is lost
    officer.screenshot("victims-bad-nationality")
    form.get_by_label("Nationality").fill("MMR")
    form.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("tr.just-saved")).to_contain_text("MMR")
    officer.screenshot("victims-added")

    # then the workspace's country totals include both
    officer.goto("/")
    expect(figure(page, "arrests")).to_have_text(str(arrests_before + 3))
    expect(figure(page, "victims_assisted")).to_have_text(str(victims_before + 2))
    officer.screenshot("workspace-after")
    assert om.ArrestRecord.objects.filter(country__code="THA", occurred_on="2015-10-05",
                                          count=3).exists()


def test_officer_edits_inline_and_without_javascript(browser_session, chromium, live_server):
    demo_load()
    officer = browser_session()
    page = officer.page
    officer.login("officer.tha")
    record = om.ArrestRecord.objects.filter(agency__acronym="RTP").order_by("pk").first()

    # inline edit with htmx: the row becomes a form and back
    officer.goto("/records/arrests/")
    row = page.locator(f"#record-{record.pk}")
    row.get_by_role("link", name="Edit").click()
    editing = page.locator(f"tr#record-{record.pk}.editing")
    editing.get_by_label("People arrested").fill(str(record.count + 1))
    officer.screenshot("inline-edit")
    editing.get_by_role("button", name="Save").click()
    expect(page.locator(f"tr#record-{record.pk}.just-saved")).to_contain_text(str(record.count + 1))
    record.refresh_from_db()
    assert record.version == 2

    # the same page with JavaScript off still adds a record (plain form posts)
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        from tests.browser.conftest import Session

        plain = Session(context.new_page(), live_server.url, officer.folder, officer.counter)
        plain.login("officer.tha")
        plain.goto("/records/arrests/")
        form = plain.page.locator("#add")
        form.get_by_label("Date").fill("2015-10-07")
        form.get_by_label("People arrested").fill("1")
        form.get_by_label("Crime type").select_option(label="People smuggling")
        form.get_by_role("button", name="Add", exact=True).click()
        expect(plain.page.get_by_role("status").filter(has_text="Added")).to_be_visible()
        plain.screenshot("added-without-javascript")
    finally:
        context.close()
    assert om.ArrestRecord.objects.filter(country__code="THA", occurred_on="2015-10-07").exists()


def test_focal_point_submits_and_secretariat_reopens_with_a_reason(browser_session):
    demo_load()

    # given the Thai focal point on the return page, which is the review
    focal = browser_session()
    focal.login("focal.tha")
    page = focal.goto("/returns/jpoa-2015/THA/")
    expect(page.get_by_role("heading", name=re.compile("agency", re.I))).to_be_visible()
    focal.screenshot("return-review")

    # when submitting without ticking the confirmation, the page says what is missing
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".field-error").first).to_contain_text("Tick the box")
    focal.screenshot("return-submit-unconfirmed")
    page.get_by_label("I have checked these figures").check()
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_role("status").filter(has_text="submitted")).to_be_visible()
    focal.screenshot("return-submitted")

    # then the officer is offered no form to type into that would only be refused: the
    # records page says why, by whom, and whom to ask (a late POST is still refused: 409)
    officer = browser_session()
    officer.login("officer.tha")
    page = officer.goto("/records/arrests/")
    expect(page.locator("#add")).to_have_count(0)
    expect(page.locator("#records-region").get_by_role("link", name="Edit")).to_have_count(0)
    banner = page.locator("[data-locked-return=THA]")
    expect(banner).to_contain_text("is submitted, so its records cannot be changed")
    expect(banner).to_contain_text("Ask the secretariat to reopen it.")
    expect(banner).to_contain_text("Submitted by focal.tha on ")
    officer.screenshot("locked-return")

    # when the secretariat reopens it, a reason is required
    secretariat = browser_session()
    secretariat.login("secretariat")
    page = secretariat.goto("/returns/jpoa-2015/THA/")
    page.get_by_role("button", name="Reopen").click()
    expect(page.locator("#id_reason_error, .field-error").first).to_contain_text("Say why")
    secretariat.screenshot("reopen-without-reason")
    page.get_by_label("Reason for reopening").fill("Two arrests on 12 October are missing.")
    page.get_by_role("button", name="Reopen").click()
    expect(page.get_by_role("status").filter(has_text="reopened")).to_be_visible()

    # then the timeline shows every step, with the reason
    timeline = page.locator("table.return-timeline, section[aria-labelledby=timeline-heading]").first
    expect(timeline).to_contain_text("focal.tha")
    expect(timeline).to_contain_text("Two arrests on 12 October are missing.")
    secretariat.screenshot("return-reopened")
    assert om.CountryReturn.objects.get(country__code="THA").state == "open"
