"""The exports page in Chromium: the secretariat asks for the debrief pack and downloads it; a
mistake is named beside its field. Screenshots go to test-artifacts/browser/<test name>/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from operations.demo import demo_load
from reporting import rollups
from tests.browser.test_accessibility import DUPLICATE_IDS, UNLABELLED_CONTROLS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_exports_the_debrief_pack(browser_session, tmp_path):
    demo_load()
    rollups.rollup()
    secretariat = browser_session()
    page = secretariat.page
    secretariat.login("secretariat")
    secretariat.goto("/exports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Debrief exports")
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    assert page.evaluate(DUPLICATE_IDS) == []
    secretariat.screenshot("export-form")

    # a joint operation that is not offered is refused beside its field
    page.evaluate("""() => { const o = document.createElement('option');
        o.value = 'jpoa-1999'; o.text = 'Forged'; document.querySelector('#export_joint_operation').add(o);
        document.querySelector('#export_joint_operation').value = 'jpoa-1999'; }""")
    page.get_by_label("PDF debrief pack").check()
    page.get_by_role("button", name="Export").click()
    expect(page.locator("#export_joint_operation_error")).to_contain_text("Select a valid choice")
    secretariat.screenshot("export-refused")

    # the PDF pack is made, then offered for download
    page.get_by_label("Joint operation").select_option("jpoa-2015")
    page.get_by_label("PDF debrief pack").check()
    page.get_by_label("Public: for a media release").check()
    page.get_by_role("button", name="Export").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "succeeded")
    secretariat.screenshot("export-ready")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").or_(page.get_by_role("link", name="Download")).click()
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("jpoa-2015-debrief-region-public-")
    reader = PdfReader(path)
    assert len(reader.pages) == 4
    assert "PUBLIC" in reader.pages[0].extract_text()

    # and the list shows it
    secretariat.goto("/exports/")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody tr")).to_contain_text("Ready")
