"""Keyboard-only data entry, labelled controls, unique ids and a visible focus ring."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
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
    focal.page.context.add_init_script(path=str(AXE))
    focal.login("focal.tha")
    for path in PAGES:
        page = focal.goto(path)
        assert page.evaluate(AXE_RUN) == [], path  # at desktop width; phones: the test below
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


# ---------------------------------------------------------------------------------------------
# Phones (issue 21): every page at 390 x 844, as the users who see it, and axe-core on each
# ---------------------------------------------------------------------------------------------

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# Every element that sticks out of the viewport and is not inside a box that scrolls or clips.
STICKING_OUT = """() => { const width = window.innerWidth; const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || (r.right <= width + 1 && r.left >= -1) || !el.checkVisibility()) continue;
      let box = el.parentElement, contained = false;
      for (; box && box !== document.body; box = box.parentElement)
        if (getComputedStyle(box).overflowX !== 'visible') { contained = true; break; }
      if (!contained && !el.closest('.skip-link'))
        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                 + ` ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return out.slice(0, 10); }"""

# Controls a finger must hit, smaller than 44 x 44 CSS pixels. A checkbox or radio counts with
# its label (a tap on the label ticks it); a link inside a sentence is exempt (WCAG 2.5.5).
SMALL_TARGETS = """() => {
    const size = el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
    const inSentence = el => {
      const parent = el.parentElement.cloneNode(true);
      parent.querySelectorAll('a, button, input, select, .visually-hidden').forEach(c => c.remove());
      return el.tagName === 'A' && /\\p{L}/u.test(parent.textContent);
    };
    return [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
      .filter(el => el.type !== 'hidden' && el.checkVisibility() && !el.closest('.skip-link, .swagger-ui'))
      .filter(el => !inSentence(el))
      .map(el => { const boxes = [el, ...(el.labels || [])].map(size);
                   return [el, Math.max(...boxes.map(b => b[0])), Math.max(...boxes.map(b => b[1]))]; })
      .filter(([, w, h]) => w < 44 || h < 44)
      .map(([el, w, h]) => `${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 30)}" ${Math.round(w)}x${Math.round(h)}`);
  }"""

# Two targets a finger cannot tell apart: their boxes overlap (by more than a pixel each way).
OVERLAPPING_TARGETS = """() => {
    const targets = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
      .filter(el => el.type !== 'hidden' && el.checkVisibility() && !el.closest('.skip-link, .swagger-ui'));
    const boxes = targets.map(el => el.getBoundingClientRect());
    const name = el => `${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 20)}"`;
    const out = [];
    for (let i = 0; i < targets.length; i++) for (let j = i + 1; j < targets.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (targets[i].contains(targets[j]) || targets[j].contains(targets[i])) continue;
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
          && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1)
        out.push(`${name(targets[i])} and ${name(targets[j])}`);
    }
    return out.slice(0, 10);
  }"""

AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
      .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')})`);
  }"""


def _demo_objects():
    """The objects behind the pages with an id in their address: the demo's, and the few it has
    none of (a joint investigation, an export, an import preview), made through the services."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from cooperation import models as cm
    from cooperation import services as cooperation_services
    from countries.models import Country
    from operations import imports
    from operations.records import KINDS_BY_SLUG
    from reporting import export_jobs
    from reporting import models as rm

    users = get_user_model().objects
    tha, mys = Country.objects.get(code="THA"), Country.objects.get(code="MYS")
    jpoa_2015 = om.JointOperation.objects.get(slug="jpoa-2015")
    network = cm.Network.objects.filter(registered_by=tha).first()
    investigation = cooperation_services.investigation_propose(
        actor=users.get(username="focal.tha"), lead_country=tha, network=network,
        title="Operation Andaman", starts_on=dt.date(2015, 10, 1), ends_on=dt.date(2016, 3, 31),
        purpose="Crews trafficked onto fishing boats.", invited=[mys])
    job = export_jobs.request_export(
        user=users.get(username="secretariat"), joint_operation=jpoa_2015, country=None,
        fmt="csv", profile="restricted", rounded=[])
    batch = imports.record_import_preview(
        actor=users.get(username="officer.tha"), kind=KINDS_BY_SLUG["arrests"],
        joint_operation=jpoa_2015, file_name="arrests.csv",
        content=b"occurred_on,agency,count,crime_type,sector,unusual_reason\r\n"
                b"2015-10-05,RTP,2,trafficking,,\r\n2015-10-06,RTP,,,,\r\n")
    return SimpleNamespace(
        arrest=om.ArrestRecord.objects.filter(country=tha, agency__acronym="RTP").first(),
        network=network, investigation=investigation, job=job, batch=batch,
        meeting=cm.PlanningMeeting.objects.get(nominations__proposing_country=tha),
        nomination=cm.Nomination.objects.get(proposing_country=tha),
        workshop=rm.DebriefWorkshop.objects.get(joint_operation=jpoa_2015))


# (login, route name, its arguments from the objects above). Each page is seen by the user who
# works on it; "-" is a visitor who has not logged in.
PHONE_PAGES = [
    ("-", "login", lambda o: {}),
    ("officer.tha", "home", lambda o: {}),
    *[("officer.tha", "operations:record_list", lambda o, slug=slug: {"kind": slug})
      for slug in ("arrests", "search-warrants", "suspects", "victims-assisted", "investigations",
                   "enquiries", "awareness-activities", "training-sessions", "intelligence")],
    ("officer.tha", "operations:record_create", lambda o: {"kind": "victims-assisted"}),
    ("officer.tha", "operations:record_detail", lambda o: {"kind": "arrests", "pk": o.arrest.pk}),
    ("officer.tha", "operations:record_update", lambda o: {"kind": "arrests", "pk": o.arrest.pk}),
    ("officer.tha", "operations:record_delete", lambda o: {"kind": "arrests", "pk": o.arrest.pk}),
    ("officer.tha", "operations:record_import", lambda o: {"kind": "arrests"}),
    ("officer.tha", "operations:import_detail", lambda o: {"pk": o.batch.pk}),
    ("officer.tha", "operations:share_list", lambda o: {}),
    ("officer.tha", "cooperation:investigation_list", lambda o: {}),
    ("officer.tha", "cooperation:network_create", lambda o: {}),
    ("officer.tha", "cooperation:network_detail", lambda o: {"pk": o.network.pk}),
    ("officer.tha", "cooperation:enquiries_incoming", lambda o: {}),
    ("officer.tha", "cooperation:planning_list", lambda o: {}),
    ("officer.tha", "cooperation:planning_meeting", lambda o: {"pk": o.meeting.pk}),
    ("officer.tha", "cooperation:planning_nomination", lambda o: {"pk": o.nomination.pk}),
    ("officer.tha", "cooperation:directory", lambda o: {}),
    ("officer.tha", "api_tokens", lambda o: {}),
    ("officer.tha", "password_change", lambda o: {}),
    ("officer.tha", "two_factor_manage", lambda o: {}),
    ("officer.tha", "two_factor_setup", lambda o: {}),
    ("focal.tha", "home", lambda o: {}),
    ("focal.tha", "reporting:return_detail", lambda o: {"joint_operation": "jpoa-2015", "country": "THA"}),
    ("focal.tha", "cooperation:investigation_create", lambda o: {}),
    ("focal.tha", "cooperation:investigation_detail", lambda o: {"pk": o.investigation.pk}),
    ("focal.tha", "reporting:lessons_edit", lambda o: {"slug": "jpoa-2015", "code": "THA"}),
    ("focal.tha", "audit_log", lambda o: {}),
    ("cochair.nzl", "home", lambda o: {}),
    ("cochair.nzl", "reporting:dashboard", lambda o: {}),
    ("cochair.nzl", "reporting:return_list", lambda o: {}),
    ("secretariat", "home", lambda o: {}),
    ("secretariat", "reporting:dashboard", lambda o: {}),
    ("secretariat", "reporting:return_list", lambda o: {}),
    ("secretariat", "reporting:return_detail", lambda o: {"joint_operation": "jpoa-2015", "country": "MDV"}),
    ("secretariat", "reporting:export_list", lambda o: {}),
    ("secretariat", "reporting:export_detail", lambda o: {"pk": o.job.pk}),
    ("secretariat", "reporting:workshop_detail", lambda o: {"slug": o.workshop.joint_operation.slug}),
]

# The routes that are no page of ours: files, POST-only actions, JSON, and pages made by others.
NOT_PAGES = {
    "healthz", "logout", "set_language", "password_change_done", "two_factor_verify",
    "two_factor_recovery_codes", "two_factor_reset", "api_token_revoke",
    "operations:record_export_csv", "operations:import_template_csv",
    "operations:import_template_xlsx", "operations:import_confirm", "operations:record_share",
    "operations:share_revoke", "cooperation:member_invite", "cooperation:investigation_close",
    "cooperation:member_respond", "cooperation:member_leave", "cooperation:enquiry_answer",
    "cooperation:record_attribute", "cooperation:nomination_convert",
    "cooperation:nomination_answer", "cooperation:record_network_link",
    "reporting:recommendation_add", "reporting:recommendation_track",
    "reporting:statement_download", "reporting:export_download", "reporting:export_retry",
    "reporting:return_submit", "reporting:return_accept", "reporting:return_reopen",
    "reporting:outlier_check",
}


def test_every_page_of_the_portal_is_on_the_phone_list():
    from tests.test_permission_matrix import portal_route_names

    routes = {name for name in portal_route_names() if not name.startswith("api:")}
    on_the_list = {name for _, name, _ in PHONE_PAGES}
    assert routes - on_the_list - NOT_PAGES == set(), "add the new page to PHONE_PAGES"


def test_every_page_fits_a_phone_and_axe_finds_nothing_serious(browser_session):
    """At 390 x 844 no page scrolls sideways or has an element sticking out, every control a
    finger must hit is 44 px or more, and axe-core finds no serious or critical violation.
    A screenshot of each page goes to test-artifacts/browser/<this test>/."""
    demo_load()
    objects = _demo_objects()
    sessions, problems = {}, []
    for login, route, arguments in PHONE_PAGES:
        if login not in sessions:
            sessions[login] = browser_session(phone=True)
            sessions[login].page.context.add_init_script(path=str(AXE))
            if login != "-":
                sessions[login].login(login)
        session = sessions[login]
        path = reverse(route, kwargs=arguments(objects))
        page = session.goto(path)
        page.wait_for_load_state("networkidle")
        where = f"{login} {path}"
        if page.locator("main#main h1").count() != 1:
            problems.append(f"{where}: not a portal page with one heading")
        session.screenshot(f"{'visitor' if login == '-' else login}-{path.strip('/').replace('/', '_') or 'home'}")
        scroll_width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if scroll_width > page.evaluate("() => window.innerWidth"):
            problems.append(f"{where}: the page is {scroll_width} px wide")
        problems += [f"{where}: sticks out: {e}" for e in page.evaluate(STICKING_OUT)]
        problems += [f"{where}: target under 44 px: {e}" for e in page.evaluate(SMALL_TARGETS)]
        problems += [f"{where}: overlapping targets: {e}" for e in page.evaluate(OVERLAPPING_TARGETS)]
        problems += [f"{where}: axe: {v}" for v in page.evaluate(AXE_RUN)]
    assert problems == [], "\n".join(problems)


def test_an_officer_corrects_a_record_in_place_on_a_phone(browser_session):
    """The record list is a column of cards at 390 px; Edit opens the form inside its card and
    Save puts the card back, the page never wider than the screen."""
    demo_load()
    record = om.ArrestRecord.objects.filter(country__code="THA", agency__acronym="RTP").first()
    count_before = record.count
    officer = browser_session(phone=True)
    officer.login("officer.tha")
    page = officer.goto("/records/arrests/")
    card = page.locator(f"#record-{record.pk}")
    expect(card.locator("td").first).to_have_css("display", "grid")  # a card, not a table row
    card.get_by_role("link", name="Edit").tap()
    form = page.locator(f"#record-{record.pk}.editing form")
    form.get_by_label("People arrested").fill(str(count_before + 1))
    officer.screenshot("editing-on-a-phone")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
    form.get_by_role("button", name="Save").tap()
    expect(card.locator(".saved-note")).to_be_visible()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
    officer.screenshot("saved-on-a-phone")
    record.refresh_from_db()
    assert record.count == count_before + 1
