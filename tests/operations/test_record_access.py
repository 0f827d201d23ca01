"""Country isolation on the record pages: IDOR sweep, list contents, sharing, guardian growth."""
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from guardian.models import GroupObjectPermission, UserObjectPermission

from countries import access
from countries.models import Country
from operations import models as om
from operations.records import KINDS
from operations.services import record_share_create, record_share_revoke
from tests.counters import CASES
from tests.world import MISSING_ID


def without_csrf_token(content: bytes) -> bytes:
    """The page minus its CSRF token, which is masked afresh for every response."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)  # htmx's header, on <body>


def guardian_rows() -> int:
    tables = [UserObjectPermission, GroupObjectPermission, *om.GROUP_PERMISSION_MODELS.values()]
    return sum(model.objects.count() for model in tables)


def test_idor_sweep_every_foreign_id_is_indistinguishable_from_a_missing_one(client, world):
    # given a Thai officer, and the page a nonexistent id produces
    client.force_login(world.users["officer"])
    tried = 0
    visible_shares = {(om.ArrestRecord, world.shared_in.pk)}
    # enquiries other countries sent to Thailand: Thailand reads them to answer them
    visible_shares |= {(om.EnquiryRecord, pk) for pk in om.EnquiryRecord.objects.filter(
        counterpart__code="THA").values_list("pk", flat=True)}
    for kind in KINDS:
        missing = client.get(reverse("operations:record_detail", args=[kind.slug, MISSING_ID]))
        assert missing.status_code == 404

        # when every other country's record of this type is requested by id
        foreign_ids = kind.model.objects.exclude(country__code="THA").values_list("pk", flat=True)
        assert foreign_ids, f"the demo has no foreign {kind.slug}"
        for pk in foreign_ids:
            if (kind.model, pk) in visible_shares:
                continue
            response = client.get(reverse("operations:record_detail", args=[kind.slug, pk]))
            tried += 1
            CASES["IDOR sweep (foreign ids)"] += 1

            # then the answer is the missing-id answer, byte for byte
            assert response.status_code == 404, (kind.slug, pk)
            assert without_csrf_token(response.content) == without_csrf_token(missing.content)

        # and sharing or revoking through a foreign id is also a plain 404
        foreign = foreign_ids.exclude(pk=world.shared_in.pk).first()
        response = client.post(reverse("operations:record_share", args=[kind.slug, foreign]),
                               {"shared_with": Country.objects.get(code="MMR").pk, "reason": "x"})
        assert response.status_code == 404
    foreign_share = om.RecordShare.objects.exclude(owner_country__code="THA").exclude(
        shared_with__code="THA").first()
    if foreign_share is not None:
        assert client.post(reverse("operations:share_revoke", args=[foreign_share.pk])).status_code == 404
    assert tried > 100


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_list_pages_never_show_another_countrys_records(client, world, kind):
    client.force_login(world.users["officer"])

    html = client.get(reverse("operations:record_list", args=[kind.slug])).content.decode()

    listed = {int(pk) for pk in re.findall(rf'href="/records/{kind.slug}/(\d+)/"', html)}
    expected = set(kind.model.objects.filter(country__code="THA").values_list("pk", flat=True))
    senders = set()
    if kind.model is om.ArrestRecord:
        expected.add(world.shared_in.pk)  # shared with Thailand, view-only
        senders.add("AUS")
    if kind.model is om.EnquiryRecord:  # sent to Thailand: read to be answered
        incoming = om.EnquiryRecord.objects.filter(counterpart__code="THA")
        expected |= set(incoming.values_list("pk", flat=True))
        senders |= set(incoming.values_list("country__code", flat=True))
    assert listed == expected
    for code in {"AUS", "IDN", "MYS", "MDV", "NZL", "PHL", "LKA"} - senders:
        assert f'<td data-label="Country">{code}</td>' not in html


def test_co_chair_and_secretariat_see_no_records_and_no_membership_fails_closed(client, world):
    for role in ("co_chair", "secretariat", "no_membership"):
        client.force_login(world.users[role])
        html = client.get(reverse("operations:record_list", args=["arrests"])).content.decode()
        assert "There are no records of this type that you may read." in html, role
        assert not re.search(r'href="/records/arrests/\d+/"', html), role


def test_no_membership_sees_no_figures_on_home(client, world):
    client.force_login(world.users["no_membership"])
    html = client.get(reverse("home")).content.decode()
    assert "Your account has no role yet" in html
    assert "figure-value" not in html


def test_creating_ten_thousand_records_adds_no_guardian_rows(world):
    # given
    before = guardian_rows()
    operation = world.own
    template = {f.name: getattr(operation, f.name) for f in om.ArrestRecord._meta.concrete_fields
                if f.name not in ("id", "created_at", "updated_at")}

    # when
    om.ArrestRecord.objects.bulk_create(om.ArrestRecord(**template) for _ in range(10_000))
    for _ in range(10):
        om.ArrestRecord.objects.create(**template)

    # then
    assert om.ArrestRecord.objects.filter(country__code="THA").count() >= 10_010
    assert guardian_rows() == before


def test_share_is_visible_to_both_sides_and_revocable(client, world):
    # given an Australian record shared with Thailand (see tests/world.py)
    record = world.shared_in
    share = om.RecordShare.objects.get(object_id=record.pk, shared_with__code="THA")
    detail = reverse("operations:record_detail", args=["arrests", record.pk])
    tha_group = Group.objects.get(name="country:THA")
    assert world.users["officer"].groups.filter(pk=tha_group.pk).exists()
    assert world.users["officer"].has_perm("operations.view_arrestrecord", record)

    # then both sides see the share, a third country sees neither share nor record
    for role in ("officer", "officer_foreign"):
        client.force_login(world.users[role])
        assert share.reason in client.get(reverse("operations:share_list")).content.decode()
    client.force_login(world.users["officer"])
    page = client.get(detail)
    assert page.status_code == 200
    assert "Shared with your country by Australia, read-only." in page.content.decode()
    assert not access.can_change_record(world.users["officer"], record)
    phl_officer = world.users["officer"].__class__.objects.get(username="officer.phl")
    client.force_login(phl_officer)
    assert client.get(detail).status_code == 404
    assert share.reason not in client.get(reverse("operations:share_list")).content.decode()

    # when Australia revokes it
    rows = guardian_rows()
    record_share_revoke(actor=world.users["officer_foreign"].__class__.objects.get(username="focal.aus"),
                        share=share)

    # then Thailand loses access at once; the share stays on record, marked revoked
    client.force_login(world.users["officer"])
    assert client.get(detail).status_code == 404
    assert guardian_rows() == rows - 1
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert "Revoked" in client.get(reverse("operations:share_list")).content.decode()


def test_sharing_adds_exactly_one_guardian_row_and_needs_a_reason(world):
    record = om.VictimAssistanceRecord.objects.filter(country__code="THA").first()
    myanmar = Country.objects.get(code="MMR")
    before = guardian_rows()

    with pytest.raises(ValidationError) as error:
        record_share_create(actor=world.users["focal_point"], record=record, shared_with=myanmar,
                            reason="   ")
    assert "reason" in error.value.message_dict
    record_share_create(actor=world.users["focal_point"], record=record, shared_with=myanmar,
                        reason="Victims are Myanmar nationals")

    assert guardian_rows() == before + 1
    assert om.GROUP_PERMISSION_MODELS[om.VictimAssistanceRecord].objects.filter(
        content_object=record, group__name="country:MMR").exists()


def test_a_record_cannot_be_shared_with_its_own_country(client, world):
    client.force_login(world.users["focal_point"])
    own_country = world.own.country

    response = client.post(reverse("operations:record_share", args=["arrests", world.own.pk]),
                           {"shared_with": own_country.pk, "reason": "x"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_officer_of_another_agency_may_read_but_not_share(client, world):
    client.force_login(world.users["officer_other_agency"])
    detail = client.get(reverse("operations:record_detail", args=["arrests", world.own.pk]))
    assert detail.status_code == 200
    assert "Share this record with another country" not in detail.content.decode()
    assert om.RecordShare.objects.filter(object_id=world.own.pk).count() == 1


def test_regional_totals_still_count_every_country(world):
    # Aggregates cross borders even though records do not.
    assert om.ArrestRecord.objects.aggregate(total=Sum("count"))["total"] == 32
