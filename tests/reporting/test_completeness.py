"""Completeness and timeliness: records per week, last entry, due date, late or silent."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from operations import models as om
from reporting import completeness, rollups
from reporting.models import CountryActivity
from tests.factories import (
    ArrestRecordFactory,
    JointOperationFactory,
    OperationFactory,
    UserFactory,
    VictimAssistanceRecordFactory,
)

pytestmark = pytest.mark.django_db

DUE = dt.date(2015, 11, 18)


def submitted(operation, on: dt.date | None, state=om.CountryReturn.State.SUBMITTED):
    at = dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC) if on else None
    return om.CountryReturn.objects.create(
        joint_operation=operation.joint_operation, country=operation.country, state=state,
        submitted_at=at, accepted_at=at if state == om.CountryReturn.State.ACCEPTED else None)


def rows_by_code(report):
    return {row.country.code: row for row in report.rows}


def test_records_per_week_of_the_period_and_the_last_entry_come_from_the_roll_up():
    # given a joint operation from Monday 28 September to 28 October 2015 and one country's
    # records in its first and third weeks, of two record types
    joint = JointOperationFactory(returns_due_on=DUE)
    operation = OperationFactory(joint_operation=joint)
    ArrestRecordFactory(operation=operation, occurred_on=dt.date(2015, 9, 28))
    ArrestRecordFactory(operation=operation, occurred_on=dt.date(2015, 10, 4))  # a Sunday
    last = VictimAssistanceRecordFactory(operation=operation, occurred_on=dt.date(2015, 10, 14))

    # when the roll-up runs and the report is read
    rollups.rollup(joint_operation_id=joint.pk, country_id=operation.country_id)
    report = completeness.build(user=UserFactory(is_superuser=True), joint_operation=joint,
                                today=timezone.localdate(last.created_at) + dt.timedelta(days=3))

    # then the five weeks of the period, two records in the first, one in the third
    assert report.weeks == [dt.date(2015, 9, 28) + dt.timedelta(weeks=n) for n in range(5)]
    row = rows_by_code(report)[operation.country.code]
    assert row.weeks == (2, 0, 1, 0, 0)
    assert row.records == 3
    assert row.last_entry_at == last.created_at
    assert row.days_since_last_entry == 3
    assert not row.silent  # entered three days ago


def test_a_deleted_record_leaves_the_activity_at_the_next_roll_up():
    joint = JointOperationFactory()
    record = ArrestRecordFactory(operation=OperationFactory(joint_operation=joint))
    rollups.rollup(joint_operation_id=joint.pk)
    assert CountryActivity.objects.get(joint_operation=joint).records == 1

    record.delete()
    rollups.rollup(joint_operation_id=joint.pk)

    assert not CountryActivity.objects.filter(joint_operation=joint).exists()


@pytest.mark.parametrize("state, submitted_on, today, expected", [
    ("submitted", dt.date(2015, 11, 18), dt.date(2015, 12, 1), completeness.ON_TIME),
    ("accepted", dt.date(2015, 11, 2), dt.date(2015, 12, 1), completeness.ON_TIME),
    ("submitted", dt.date(2015, 11, 19), dt.date(2015, 12, 1), completeness.LATE),
    ("open", None, dt.date(2015, 11, 19), completeness.OVERDUE),
    ("open", None, dt.date(2015, 11, 18), completeness.DUE),
])
def test_a_return_is_on_time_late_overdue_or_not_due_yet(state, submitted_on, today, expected):
    operation = OperationFactory(joint_operation=JointOperationFactory(returns_due_on=DUE))
    country_return = submitted(operation, submitted_on, state)

    assert completeness.timeliness(country_return, DUE, today) == expected
    assert completeness.timeliness(country_return, None, today) == completeness.NO_DUE_DATE


def test_an_open_return_with_nothing_entered_for_a_week_is_silent_once_the_period_began():
    # given two countries: one entered nothing, one entered a record and submitted
    joint = JointOperationFactory(returns_due_on=DUE)
    quiet, busy = OperationFactory(joint_operation=joint), OperationFactory(joint_operation=joint)
    record = ArrestRecordFactory(operation=busy)
    submitted(busy, dt.date(2015, 11, 10))
    rollups.rollup(joint_operation_id=joint.pk)
    admin = UserFactory(is_superuser=True)

    before = completeness.build(user=admin, joint_operation=joint, today=dt.date(2015, 9, 27))
    during = completeness.build(user=admin, joint_operation=joint, today=dt.date(2015, 10, 10))
    after = completeness.build(user=admin, joint_operation=joint, today=dt.date(2015, 11, 19))

    # then the quiet country is not silent before the period, silent in it, and overdue after
    assert not rows_by_code(before)[quiet.country.code].silent
    row = rows_by_code(during)[quiet.country.code]
    assert row.silent and row.last_entry_at is None and row.records == 0
    assert [r.country.code for r in after.late_or_silent] == [quiet.country.code]
    assert rows_by_code(after)[quiet.country.code].timeliness == completeness.OVERDUE
    # and the submitted one is neither, whenever it last entered something
    assert not rows_by_code(after)[busy.country.code].needs_attention
    assert rows_by_code(after)[busy.country.code].last_entry_at == record.created_at


def test_returns_due_before_the_period_starts_are_refused_naming_the_field():
    joint = JointOperationFactory.build(returns_due_on=dt.date(2015, 9, 1))

    with pytest.raises(ValidationError) as refused:
        joint.full_clean()

    assert refused.value.message_dict["returns_due_on"] == [
        "Returns due on: the day must be on or after the period's start date."]


# ---------------------------------------------------------------------------------------------
# The pages, on the 2015 demo (due 18 November 2015)
# ---------------------------------------------------------------------------------------------


def late_or_silent(html: str) -> list[str]:
    if 'class="late-or-silent"' not in html:
        return []
    part = html.split('class="late-or-silent"', 1)[1].split("</div>", 1)[0]
    return sorted(code for code in ("AUS", "IDN", "LKA", "MDV", "MYS", "NZL", "PHL", "THA")
                  if f'data-completeness-country="{code}"' in part)


def test_the_secretariat_sees_who_is_late_on_the_returns_list_and_the_dashboard(
        client, demo_rolled_up):
    from django.contrib.auth import get_user_model
    client.force_login(get_user_model().objects.get(username="secretariat"))

    for page in ("reporting:return_list", "reporting:dashboard"):
        html = client.get(reverse(page)).content.decode()

        # Indonesia and Thailand have not submitted; the Maldives submitted on 23 November
        assert late_or_silent(html) == ["IDN", "MDV", "THA"], page
        assert "Returns are due on 18 Nov 2015." in html
        table = html.split('class="striped completeness-table"', 1)[1]
        assert table.count("<tr data-completeness-country=") == 8
        assert "Records in the week of" in table and ">28 Sep<" in table and ">26 Oct<" in table


def test_an_officer_sees_only_their_own_countrys_completeness_and_no_late_list(
        client, demo_rolled_up):
    from django.contrib.auth import get_user_model
    client.force_login(get_user_model().objects.get(username="officer.tha"))

    html = client.get(reverse("reporting:dashboard")).content.decode()

    table = html.split('class="striped completeness-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr data-completeness-country=") == 1
    assert 'data-completeness-country="THA"' in table
    assert 'class="late-or-silent"' not in html
    # Thailand's records per week add up to its records
    thailand = CountryActivity.objects.filter(country__code="THA")
    assert sum(a.records for a in thailand) > 0


def test_the_dashboards_cached_report_follows_a_return_submitted_since(client, demo_rolled_up):
    # given the secretariat's dashboard, cached, with Thailand's return overdue
    from django.contrib.auth import get_user_model

    from operations.services import country_return_submit
    client.force_login(get_user_model().objects.get(username="secretariat"))

    def thailand_row() -> str:
        html = client.get(reverse("reporting:dashboard")).content.decode()
        return html.split('<tr data-completeness-country="THA"', 1)[1].split("</tr>", 1)[0]

    assert "timeliness-overdue" in thailand_row()

    # when Thailand's focal point submits (no roll-up runs: only the return changes)
    country_return_submit(actor=get_user_model().objects.get(username="focal.tha"),
                          country_return=om.CountryReturn.objects.get(country__code="THA"))

    # then the next dashboard shows it submitted, late, not the cached report of before
    assert "timeliness-late" in thailand_row()
