"""Plausibility limits of figures (issue 20 items 1 and 6): hard limits, soft bounds, history."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import reverse

from operations import models as om
from operations import plausibility
from tests import factories
from tests.operations.test_import import batch_of, confirm, page_text, preview, thai_arrests, upload
from tests.operations.test_record_pages import (
    ADD_URL,
    HTMX,
    arrest_post,
    field_error,
    form_values,
    login,
)

HARD = "Number of arrests: at most 10,000 in one record. Enter each operation as its own record."


# ---------------------------------------------------------------------------------------------
# The record pages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_figure_above_the_hard_limit_is_refused_on_the_page_naming_field_and_limit(client, demo, htmx):
    login(client, "officer.tha")
    before = thai_arrests().count()

    response = client.post(ADD_URL, arrest_post(count="2147483647"), **(HTMX if htmx else {}))

    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "count") == HARD
    assert form_values(html, ADD_URL)["count"] == "2147483647"  # what was typed stays
    assert thai_arrests().count() == before


def test_a_negative_count_gets_one_message(client, demo):
    login(client, "officer.tha")

    response = client.post(ADD_URL, arrest_post(count="-5"))

    html = response.content.decode()
    assert field_error(html, "count") == (
        "Number of arrests: enter at least 1; a record counts something that happened.")
    assert "greater than or equal" not in html


def test_the_error_summary_links_each_field_and_takes_the_focus(client, demo):
    login(client, "officer.tha")

    html = client.post(ADD_URL, arrest_post(count="20000", crime_type="")).content.decode()

    summary = html[html.index('data-error-summary'):html.index("</ul>", html.index('data-error-summary'))]
    assert 'tabindex="-1"' in html[html.rindex("<div", 0, html.index("data-error-summary")):]
    assert f'href="#id_count">People arrested: {HARD}' in summary.replace("&#x27;", "'")
    assert 'href="#id_crime_type"' in summary
    assert static("js/forms.js") in html  # which moves the focus to the summary


def test_an_unusual_figure_asks_for_a_reason_then_saves_with_it(client, demo):
    login(client, "officer.tha")
    before = thai_arrests().count()

    # when an officer enters an unusually large count
    asked = client.post(ADD_URL, arrest_post(count="450"))

    # then nothing is saved and the page asks for a reason
    assert asked.status_code == 400
    html = asked.content.decode()
    assert field_error(html, "count") == (
        "Unusually large for one record: 450 arrests; typical records hold 1–50. Check the "
        "figure, or confirm it with a reason.")
    assert '<textarea name="unusual_reason"' in html
    assert thai_arrests().count() == before

    # when saved again with a reason, it is saved with it (and kept in the history)
    saved = client.post(ADD_URL, arrest_post(count="450", unusual_reason="One raid on a port."))
    assert saved.status_code == 302
    record = thai_arrests().get(count=450)
    assert record.unusual_reason == "One raid on a port."
    assert om.ArrestRecord.pgh_event_model.objects.filter(
        pgh_obj_id=record.pk, unusual_reason="One raid on a port.").exists()


def test_victim_records_confirm_with_a_listed_reason_not_free_text(client, demo):
    login(client, "officer.tha")
    url = reverse("operations:record_create", args=["victims-assisted"])
    from countries.models import Agency

    posted = {"occurred_on": "2015-10-03", "agency": Agency.objects.get(acronym="RTP").pk,
              "count": "300", "sex": "male", "age_band": "18-24", "nationality": "MMR",
              "exploitation_type": "labour", "sector": "fishing"}

    asked = client.post(url, posted)
    assert asked.status_code == 400
    assert '<select name="unusual_reason"' in asked.content.decode()

    saved = client.post(url, {**posted, "unusual_reason": "one_case"})
    assert saved.status_code == 302
    assert om.VictimAssistanceRecord.objects.filter(count=300, unusual_reason="one_case").exists()


# ---------------------------------------------------------------------------------------------
# The spreadsheet import
# ---------------------------------------------------------------------------------------------


def test_an_import_row_above_the_hard_limit_is_an_error_naming_row_and_field(client, demo):
    login(client, "officer.tha")
    count = thai_arrests().count()
    content = ("occurred_on,agency,count,crime_type,sector\n"
               "2015-10-01,RTP,3,trafficking,fishing\n2015-10-02,RTP,99999,trafficking,\n")

    response = upload(client, "arrests", "arrests.csv", content)

    text = page_text(preview(client, response))
    assert "Row 3, column “count”:" in text
    assert HARD in text
    assert confirm(client, batch_of(response)).status_code == 409
    assert thai_arrests().count() == count


def test_an_unusual_import_row_needs_a_reason_in_its_column(client, demo):
    login(client, "officer.tha")
    count = thai_arrests().count()
    without = "occurred_on,agency,count,crime_type,sector\n2015-10-02,RTP,450,trafficking,\n"

    refused = upload(client, "arrests", "arrests.csv", without)
    text = page_text(preview(client, refused))
    assert "Row 2, column “count”:" in text
    assert "Unusually large for one record: 450 arrests" in text
    assert "write the reason in the column “unusual_reason”" in text
    assert thai_arrests().count() == count

    with_reason = ("occurred_on,agency,count,crime_type,sector,unusual_reason\n"
                   "2015-10-03,RTP,450,trafficking,,One raid on a port\n")
    accepted = upload(client, "arrests", "arrests.csv", with_reason)
    preview(client, accepted)
    assert confirm(client, batch_of(accepted)).status_code in (200, 302)
    assert thai_arrests().get(count=450).unusual_reason == "One raid on a port"


# ---------------------------------------------------------------------------------------------
# The admin: records are read-only there, so no figure gets in that way
# ---------------------------------------------------------------------------------------------


def test_the_admin_refuses_to_write_a_record_at_all(client, demo):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(is_superuser=True).first() or \
        get_user_model().objects.create_superuser("root.plausibility", "r@example.org", "x")
    client.force_login(admin)
    record = thai_arrests().first()
    before = thai_arrests().count()

    added = client.post(reverse("admin:operations_arrestrecord_add"), {"count": "99999"})
    changed = client.post(reverse("admin:operations_arrestrecord_change", args=[record.pk]),
                          {"count": "99999"})

    assert added.status_code == 403 and changed.status_code == 403
    assert thai_arrests().count() == before
    record.refresh_from_db()
    assert record.count != 99999


# ---------------------------------------------------------------------------------------------
# The rule itself: configuration and the country's history
# ---------------------------------------------------------------------------------------------


def _arrest(operation, count, day=1, **extra):
    return factories.ArrestRecordFactory.build(
        operation=operation, country=operation.country, agency=operation.lead_agency,
        occurred_on=operation.joint_operation.starts_on + dt.timedelta(days=day), count=count,
        **extra)


@pytest.mark.django_db
def test_the_soft_bound_follows_the_countrys_history_after_ten_records():
    # given a country whose records across two joint operations hold about 200 arrests each
    earlier = factories.OperationFactory(joint_operation=factories.JointOperationFactory(
        starts_on=dt.date(2014, 9, 1), ends_on=dt.date(2014, 9, 30)))
    current = factories.OperationFactory(lead_agency=earlier.lead_agency)
    figures = [180, 190, 195, 200, 200, 205, 210, 215, 220]
    for number, count in enumerate(figures):
        factories.ArrestRecordFactory(operation=earlier, count=count,
                                      occurred_on=dt.date(2014, 9, 1 + number),
                                      unusual_reason="Large port raids.")
    limit = plausibility.limits("arrests")["count"]

    # then with nine earlier records the configured bound (50) still holds
    with pytest.raises(ValidationError) as refused:
        _arrest(current, 240).full_clean()
    assert "typical records hold 1–50" in refused.value.message_dict["count"][0]

    # when a tenth is saved, the bound is median + 5 scaled MADs: 200 + 5 * 1.4826 * 7.5 = 255
    factories.ArrestRecordFactory(operation=current, count=200, unusual_reason="Port raid.")
    found = plausibility.history(om.ArrestRecord, "count", country_id=current.country_id,
                                 until=dt.date(2015, 10, 28))
    assert (found.records, found.median, found.mad) == (10, 200, 7.5)
    assert plausibility.soft_bound(limit, found) == (255, True)
    _arrest(current, 240, day=3).full_clean()  # usual for this country: no reason needed
    with pytest.raises(ValidationError) as refused:
        _arrest(current, 300, day=3).full_clean()
    message = refused.value.message_dict["count"][0]
    assert f"typical records of {current.country.name} hold 1–255" in message
    # and another country's bound is untouched
    other = factories.OperationFactory(joint_operation=current.joint_operation)
    with pytest.raises(ValidationError):
        _arrest(other, 240).full_clean()


@pytest.mark.django_db
def test_a_history_of_small_figures_never_lowers_the_configured_bound():
    operation = factories.OperationFactory()
    for _number in range(12):
        factories.ArrestRecordFactory(operation=operation, count=1,
                                      occurred_on=operation.joint_operation.starts_on)
    _arrest(operation, 50).full_clean()  # the configured bound, although the country's median is 1


@pytest.mark.django_db
def test_the_setting_overrides_the_limits(settings):
    settings.PLAUSIBILITY_LIMITS = {"arrests.count": {"hard": 500, "soft": 10}}
    operation = factories.OperationFactory()

    with pytest.raises(ValidationError) as hard:
        _arrest(operation, 501).full_clean()
    assert hard.value.message_dict["count"] == [
        "Number of arrests: at most 500 in one record. Enter each operation as its own record."]
    with pytest.raises(ValidationError) as soft:
        _arrest(operation, 11).full_clean()
    assert "typical records hold 1–10" in soft.value.message_dict["count"][0]


@pytest.mark.django_db
def test_every_count_like_field_has_a_limit():
    from operations.records import KINDS

    figures = {(kind.slug, field.name) for kind in KINDS for field in kind.model._meta.fields
               if field.get_internal_type() == "PositiveIntegerField" and field.name != "version"}
    declared = {tuple(key.split(".", 1)) for key in plausibility.DEFAULTS}
    assert figures == declared


def test_the_demo_figures_pass_every_limit_without_a_reason(demo):
    # The demo loads through full_clean; here every record is checked again, none with a reason.
    from operations.records import KINDS

    for kind in KINDS:
        for record in kind.model.objects.select_related("country"):
            assert not record.unusual_reason
            assert plausibility.hard_errors(record) == {}
            assert plausibility.soft_errors(record) == {}
