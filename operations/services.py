"""The only write path for operations data: validate, check access, write (audited by triggers)."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from countries import access
from countries.models import Country

from .models import OutcomeRecord, RecordShare


def _view_permission(record: OutcomeRecord) -> str:
    return f"{record._meta.app_label}.view_{record._meta.model_name}"


@transaction.atomic
def record_share_create(
    *, actor, record: OutcomeRecord, shared_with: Country, reason: str
) -> RecordShare:
    """Share one record, view-only, with another country's group (a guardian object grant)."""
    if not access.can_share_record(actor, record):
        raise PermissionDenied(_("You cannot share this record."))
    share = RecordShare(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        owner_country_id=record.country_id,
        shared_with=shared_with,
        reason=reason.strip(),
        shared_by=actor,
    )
    if not share.reason:
        raise ValidationError({"reason": _("Say why the record is shared.")})
    share.full_clean()
    share.save()
    assign_perm(_view_permission(record), access.country_group(shared_with), record)
    return share


@transaction.atomic
def record_share_revoke(*, actor, share: RecordShare) -> RecordShare:
    """End a share: the other country loses access at once; the share stays on record."""
    record = share.record
    if not access.can_share_record(actor, record):
        raise PermissionDenied(_("You cannot revoke this share."))
    if share.revoked_at is not None:
        return share
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    remove_perm(_view_permission(record), access.country_group(share.shared_with), record)
    return share
