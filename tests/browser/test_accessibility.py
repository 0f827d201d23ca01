"""Keyboard-only data entry, labelled controls, unique ids and a visible focus ring."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from operations import models as om
from operations.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
    .map(el => el.name || el.id)"""

DUPLICATE_IDS = """() => { const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
    return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]; }"""

FOCUS_OUTLINE = """() => { const s = getComputedStyle(document.activeElement);
    return {tag: document.activeElement.tagName, style: s.outlineStyle, width: s.outlineWidth}; }"""

PAGES = ["/", "/records/arrests/", "/records/victims-assisted/", "/records/enquiries/",
         "/records/training-sessions/", "/records/arrests/import/", "/returns/",
         "/returns/jpoa-2015/THA/", "/shares/", "/dashboard/", "/exports/"]


def test_every_page_labels_its_controls_and_has_unique_ids(browser_session):
    demo_load()
    focal = browser_session()
    focal.login("focal.tha")
    for path in PAGES:
        page = focal.goto(path)
        assert page.evaluate(UNLABELLED_CONTROLS) == [], path
        assert page.evaluate(DUPLICATE_IDS) == [], path
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("main#main h1").count() == 1, path


def test_an_officer_enters_an_arrest_with_the_keyboard_only(browser_session):
    demo_load()
    officer = browser_session()
    officer.login("officer.tha")
    page = officer.goto("/records/arrests/")

    # the skip link is the first stop and takes the keyboard to the content
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    outline = page.evaluate(FOCUS_OUTLINE)
    assert outline["style"] != "none" and outline["width"] != "0px", outline

    # the date picker is Chromium's own widget (its keyboard order follows the OS locale), so
    # the date is filled in; from the agency on, only Tab, typing and Enter
    page.locator("#add #id_occurred_on").fill("2015-10-05")
    page.locator("#add #id_agency").focus()  # RTP is preselected (the officer's only agency)
    page.keyboard.press("Tab")
    page.keyboard.type("2")  # people arrested
    page.keyboard.press("Tab")
    page.keyboard.type("Traf")  # crime type: typing selects the option
    page.keyboard.press("Tab")  # sector, left empty
    page.keyboard.press("Tab")
    active = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    expect(page.locator("#add button[type=submit]"), active).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("tr.just-saved")).to_be_visible()
    # and the next entry starts at once: same date and agency, the cursor on the count
    expect(page.locator("#add #id_count")).to_be_focused()
    expect(page.locator("#add #id_occurred_on")).to_have_value("2015-10-05")
    officer.screenshot("keyboard-entry")
    assert om.ArrestRecord.objects.filter(country__code="THA", count=2,
                                          crime_type="trafficking").exists()
