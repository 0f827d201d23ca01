"""The dashboard in Chromium: the 2015 figures, the charts (SVG drawn on the server), the
tables behind them, and what a co-chair and an officer may follow. Screenshots at 1280 px and
at a 390 px phone width go to test-artifacts/browser/<test name>/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from operations.demo import demo_load
from reporting import rollups
from tests.browser.test_accessibility import DUPLICATE_IDS, UNLABELLED_CONTROLS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Charts with a drawing on screen (a visible SVG with at least one bar or row).
DRAWN_CHARTS = """() => [...document.querySelectorAll('figure.chart')]
    .filter(f => [...f.querySelectorAll('svg.chart-svg')].some(s => s.getBoundingClientRect().width > 0
        && s.getBoundingClientRect().height > 0 && s.querySelector('g'))).length"""
MAIN_RECORD_LINKS = """() => [...document.querySelectorAll('main a[href^="/records/"]')]
    .map(a => a.getAttribute('href'))"""
# How far the page's content reaches past the screen (wide tables scroll inside their own box).
HORIZONTAL_OVERFLOW = """() => Math.max(0, ...[...document.querySelectorAll('main *')]
    .filter(e => !e.closest('.overflow-auto'))
    .map(e => Math.round(e.getBoundingClientRect().right - window.innerWidth)))"""


def watch_errors(page) -> list[str]:
    """Collect script errors; charts draw without animation, so screenshots show them whole."""
    page.emulate_media(reduced_motion="reduce")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def test_the_co_chairs_dashboard_shows_the_2015_figures_and_charts(browser_session):
    demo_load()
    rollups.rollup()

    # given a co-chair
    co_chair = browser_session()
    page = co_chair.page
    errors = watch_errors(page)
    co_chair.login("cochair.nzl")

    # when they open the dashboard
    co_chair.goto("/dashboard/")

    # then paragraph 8's figures, in the statement's words
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional dashboard")
    statement = page.locator("ul.statement-line strong")
    expect(statement).to_have_text(["59", "7", "63", "32", "8", "over 70", "68", "12", "485"])
    expect(page.locator('[data-metric="officers_trained"] [data-provisional]')).to_have_text("485")
    expect(page.locator("#country-table tbody tr")).to_have_count(8)
    expect(page.locator(".dashboard-freshness")).to_contain_text("Figures last updated")
    expect(page.locator(".stale-warning")).to_have_count(0)
    # the charts are drawn; their tables are one click away
    expect(page.locator(".chart-box").first).to_be_visible()
    assert page.evaluate(DRAWN_CHARTS) == 9
    expect(page.locator("details.chart-table[open]")).to_have_count(0)
    # and there is no way from here to any country's records
    assert page.evaluate(MAIN_RECORD_LINKS) == []
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    assert page.evaluate(DUPLICATE_IDS) == []
    co_chair.screenshot("co-chair-dashboard")

    # choosing another figure redraws the charts by country, sector and week
    page.get_by_label("Figure shown in the charts").select_option(label="Officers trained")
    expect(page.locator("#chart-by-country [data-chart-metric]")).to_have_text("Officers trained")
    expect(page.locator("#chart-by-sector .chart-missing")).to_have_text(
        "This figure is not recorded by sector.")
    expect(page.locator("#chart-by-sector .chart-box")).to_be_hidden()
    # a chart's table opens for screen-reader and keyboard users
    page.locator("#chart-victims-sex summary").click()
    expect(page.locator("#chart-victims-sex table")).to_contain_text("Female")
    co_chair.screenshot("co-chair-officers-trained")

    # on a phone the page does not scroll sideways (the wide table scrolls in its own box)
    page.set_viewport_size(PHONE)
    co_chair.goto("/dashboard/")
    assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0
    assert page.evaluate(DRAWN_CHARTS) == 9
    co_chair.screenshot("co-chair-dashboard-phone")
    assert errors == []


def test_an_officer_sees_regional_totals_and_drills_down_to_their_own_records(browser_session):
    demo_load()
    rollups.rollup()

    officer = browser_session()
    page = officer.page
    errors = watch_errors(page)
    officer.login("officer.tha")
    officer.goto("/dashboard/")

    # regional totals, and record links only in Thailand's row
    expect(page.locator('[data-metric="victims_assisted"] [data-provisional]')).to_have_text("59")
    links = page.evaluate(MAIN_RECORD_LINKS)
    assert len(links) == 9 and all("country=THA" in link for link in links)
    expect(page.locator('#country-table tr[data-country="AUS"] a[href^="/records/"]')).to_have_count(0)
    officer.screenshot("officer-dashboard")

    # the country's own view: its figures and charts, with links to its records
    page.get_by_role("link", name="See Thailand's figures and charts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard: Thailand")
    expect(page.locator('[data-metric="arrests"] [data-provisional]')).to_have_text("8")
    assert page.evaluate(DRAWN_CHARTS) == 9
    officer.screenshot("officer-country-view")

    page.set_viewport_size(PHONE)
    officer.goto("/dashboard/?country=THA")
    assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0
    officer.screenshot("officer-country-view-phone")

    # and following a figure lands on Thailand's records
    page.set_viewport_size(DESKTOP)
    officer.goto("/dashboard/?country=THA")
    page.locator('[data-metric="arrests"] .figure-link a').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrests")
    expect(page.locator("main tbody tr").first).to_contain_text("THA")
    countries = page.locator("main tbody tr td:nth-child(2)").all_inner_texts()
    assert countries and set(countries) == {"THA"}
    officer.screenshot("officer-drill-down")
    assert errors == []
