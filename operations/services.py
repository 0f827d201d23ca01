"""The only write path for operations data: validate, check access, write (audited by triggers)."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from countries import access
from countries.models import Agency, Country

from . import policies, review
from .models import CountryReturn, JointOperation, Operation, OutcomeRecord, RecordShare
from .records import KINDS_BY_MODEL


class ReturnLocked(ValidationError):
    """The country's return is not open: its records cannot change."""


class RecordConflict(Exception):
    """The record changed since the form was opened; ``current`` is what is saved now."""

    def __init__(self, current: OutcomeRecord):
        super().__init__(f"{current} is at version {current.version}")
        self.current = current


# ---------------------------------------------------------------------------------------------
# Outcome records: create, update, delete
# ---------------------------------------------------------------------------------------------


def _hold_return_open(*, joint_operation_id: int, country_id: int) -> None:
    """Keep the country's return open until this transaction ends, or raise ReturnLocked.

    The row is read FOR SHARE: record writes run side by side, while a submission (which
    takes the row FOR UPDATE) waits for them, so no record changes after a return leaves open.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT state FROM operations_countryreturn"
            " WHERE joint_operation_id = %s AND country_id = %s FOR SHARE",
            [joint_operation_id, country_id],
        )
        row = cursor.fetchone()
    if row is None:
        # The first record of a country opens its return.
        country_return_open(joint_operation_id=joint_operation_id, country_id=country_id)
        return _hold_return_open(joint_operation_id=joint_operation_id, country_id=country_id)
    if CountryReturn(state=row[0]).locks_records:
        country_return = CountryReturn.objects.select_related("country", "joint_operation").get(
            joint_operation_id=joint_operation_id, country_id=country_id
        )
        raise ReturnLocked(country_return.locked_message(), code="return_locked")


def _check_agency(actor, agency: Agency) -> None:
    if not access.can_enter_for_agency(actor, agency):
        raise ValidationError(
            {"agency": _("You cannot enter records for %(agency)s.") % {"agency": agency}},
            code="agency_not_allowed",
        )


@transaction.atomic
def record_create(
    *, actor, model: type[OutcomeRecord], joint_operation: JointOperation, data: dict
) -> OutcomeRecord:
    """Create one outcome record for the agency in ``data`` in its country's operation.

    ``data`` holds the entered fields (``occurred_on``, ``agency`` and the type's own). The
    country and operation follow from the agency; the country's return must be open.
    """
    agency = data.get("agency")
    if agency is None:
        raise ValidationError({"agency": _("Choose the agency that achieved this result.")})
    _check_agency(actor, agency)
    operation = Operation.objects.filter(
        joint_operation=joint_operation, country_id=agency.country_id
    ).select_related("joint_operation").first()
    if operation is None:
        raise ValidationError({"agency": _(
            "%(country)s has no operation in %(operation)s."
        ) % {"country": agency.country, "operation": joint_operation}})
    _hold_return_open(joint_operation_id=joint_operation.pk, country_id=agency.country_id)
    record = model(operation=operation, country_id=agency.country_id, created_by=actor, **data)
    record.full_clean()
    record.save()
    return record


def _locked_current(actor, record: OutcomeRecord, version: int) -> OutcomeRecord:
    """The saved row, locked for this transaction, after the access, version and return checks."""
    current = (
        type(record).objects.select_for_update(of=("self",))
        .select_related("operation__joint_operation", "agency")
        .filter(pk=record.pk).first()
    )
    if current is None:
        raise ValidationError(
            _("This record has been deleted by someone else."), code="deleted"
        )
    if not access.can_change_record(actor, current):
        raise PermissionDenied(_("You cannot change this record."))
    if current.version != version:
        raise RecordConflict(current)
    _hold_return_open(
        joint_operation_id=current.operation.joint_operation_id, country_id=current.country_id
    )
    return current


@transaction.atomic
def record_update(*, actor, record: OutcomeRecord, data: dict, version: int) -> OutcomeRecord:
    """Save ``data`` over ``record`` if nobody saved it since ``version`` was read.

    A stale version raises RecordConflict and writes nothing. The record stays in its country.
    """
    current = _locked_current(actor, record, version)
    agency = data.get("agency", current.agency)
    if agency.pk != current.agency_id:
        _check_agency(actor, agency)
        if agency.country_id != current.country_id:
            raise ValidationError({"agency": _(
                "A record stays in its country: choose an agency of %(country)s."
            ) % {"country": current.country}})
    for name, value in data.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def record_delete(*, actor, record: OutcomeRecord, version: int) -> None:
    """Delete ``record`` if nobody saved it since ``version`` was read (RecordConflict if so)."""
    current = _locked_current(actor, record, version)
    # Its shares end with it (guardian's rows go by cascade); they stay on record as revoked.
    RecordShare.objects.filter(
        content_type=ContentType.objects.get_for_model(current), object_id=current.pk,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now(), revoked_by=actor)
    current.delete()


class BatchRefused(Exception):
    """Rows of a batch were refused: nothing was written. ``errors`` holds every row's errors
    as ``{"row": number, "field": name or None, "message": text}``."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _row_errors(row: int, error: ValidationError, fields) -> list[dict]:
    """A refused row's errors, each with its message and its code (``too_large``...)."""
    if not hasattr(error, "error_dict"):
        return [{"row": row, "field": None, "message": message, "code": item.code}
                for item in error.error_list for message in item.messages]
    return [
        {"row": row, "field": field if field in fields else None, "message": message,
         "code": field_error.code}
        for field, field_errors in error.error_dict.items()
        for field_error in field_errors
        for message in field_error.messages
    ]


@transaction.atomic
def record_create_batch(
    *, actor, model: type[OutcomeRecord], joint_operation: JointOperation,
    rows: list[tuple[int, dict]],
) -> list[OutcomeRecord]:
    """Create every row through ``record_create``, all or none, in one transaction.

    ``rows`` are (row number, data) pairs. Every row is tried (each in its own savepoint), so
    one refused row does not hide the next one's errors; then any refusal rolls the whole batch
    back and raises BatchRefused. ReturnLocked is about the whole batch and is raised at once.
    """
    created, errors = [], []
    fields = KINDS_BY_MODEL[model].entry_fields
    for number, data in rows:
        try:
            created.append(record_create(actor=actor, model=model,
                                         joint_operation=joint_operation, data=data))
        except ReturnLocked:
            raise
        except ValidationError as error:
            errors += _row_errors(number, error, fields)
    if errors:
        raise BatchRefused(errors)
    return created


# ---------------------------------------------------------------------------------------------
# Country returns: open -> submitted -> accepted; reopened by the secretariat with a reason
# ---------------------------------------------------------------------------------------------


def country_return_open(*, joint_operation_id: int, country_id: int) -> CountryReturn:
    """The country's return, created open if it does not exist yet (safe under concurrency)."""
    country_return, _created = CountryReturn.objects.get_or_create(
        joint_operation_id=joint_operation_id, country_id=country_id
    )
    return country_return


def _locked_return(country_return: CountryReturn) -> CountryReturn:
    return CountryReturn.objects.select_for_update(of=("self",)).select_related(
        "country", "joint_operation"
    ).get(pk=country_return.pk)


def _wrong_state(current: CountryReturn) -> ValidationError:
    return ValidationError(
        _("This return is %(state)s now; reload the page to see its current state.")
        % {"state": current.get_state_display().lower()},
        code="wrong_state",
    )


# Who moves a return, and what a refusal says: the pages and the API ask here first.
RETURN_ACTORS = {
    "submit": (lambda actor, country_return: policies.can_submit_return(actor, country_return),
               gettext_lazy("Only the country's focal point submits its return.")),
    "accept": (lambda actor, _country_return: policies.can_decide_return(actor),
               gettext_lazy("Only the secretariat accepts returns.")),
    "reopen": (lambda actor, _country_return: policies.can_decide_return(actor),
               gettext_lazy("Only the secretariat reopens returns.")),
}


def country_return_check(*, actor, country_return: CountryReturn, action: str) -> None:
    """Raise PermissionDenied, saying who may, unless ``actor`` may ``action`` the return."""
    may, refusal = RETURN_ACTORS[action]
    if not may(actor, country_return):
        raise PermissionDenied(str(refusal))


def _transition(*, actor, country_return: CountryReturn, action: str,
                before_state=None) -> CountryReturn:
    """The return locked, checked for ``actor`` (then ``before_state``, the action's own rule)
    and ``action``'s starting state, and moved to its next state (not saved yet)."""
    current = _locked_return(country_return)
    country_return_check(actor=actor, country_return=current, action=action)
    if before_state is not None:
        before_state()
    if not current.allows(action):
        raise _wrong_state(current)
    current.state = CountryReturn.TRANSITIONS[action][1]
    return current


@transaction.atomic
def country_return_submit(*, actor, country_return: CountryReturn,
                          warnings_reason: str = "") -> CountryReturn:
    """The focal point submits the country's figures; its records are locked from now on.

    The review's checks (``operations.review``) run first: an error refuses the submission;
    warnings need ``warnings_reason``, the focal point's word that the figures are right."""
    warnings_reason = (warnings_reason or "").strip()

    current = _transition(actor=actor, country_return=country_return, action="submit")
    found = review.findings(current)
    errors = [f.message for f in found if f.severity == review.ERROR]
    if errors:
        raise ValidationError(_("Correct the records before submitting: %(errors)s")
                              % {"errors": " ".join(errors)}, code="review")
    if any(f.severity == review.WARNING for f in found) and not warnings_reason:
        raise ValidationError({"warnings_reason": [_(
            "Some figures look unusual (see the checks above): say why they are right, or "
            "correct the records.")]}, code="required")
    current.warnings_reason = warnings_reason
    current.submitted_at = timezone.now()
    current.submitted_by = actor
    current.save()
    return current


@transaction.atomic
def country_return_accept(*, actor, country_return: CountryReturn) -> CountryReturn:
    """The secretariat accepts a submitted return: its figures count as final."""
    current = _transition(actor=actor, country_return=country_return, action="accept")
    current.accepted_at = timezone.now()
    current.accepted_by = actor
    current.save()
    return current


@transaction.atomic
def country_return_reopen(*, actor, country_return: CountryReturn, reason: str) -> CountryReturn:
    """The secretariat reopens a submitted or accepted return, saying why; records unlock."""
    reason = (reason or "").strip()

    def reason_given():
        if not reason:
            raise ValidationError({"reason": _("Say why the return is reopened.")},
                                  code="required")

    current = _transition(actor=actor, country_return=country_return, action="reopen",
                          before_state=reason_given)
    current.reopen_reason = reason
    current.submitted_at = current.accepted_at = None
    current.warnings_reason = ""  # asked again at the next submission
    current.submitted_by = current.accepted_by = None
    current.save()
    return current


# ---------------------------------------------------------------------------------------------
# Sharing
# ---------------------------------------------------------------------------------------------


def _view_permission(record: OutcomeRecord) -> str:
    return f"{record._meta.app_label}.view_{record._meta.model_name}"


@transaction.atomic
def record_share_create(
    *, actor, record: OutcomeRecord, shared_with: Country, reason: str
) -> RecordShare:
    """Share one record, view-only, with another country's group (a guardian object grant)."""
    if not policies.can_share_record(actor, record):
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
    if not policies.can_share_record(actor, record):
        raise PermissionDenied(_("You cannot revoke this share."))
    if share.revoked_at is not None:
        return share
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    remove_perm(_view_permission(record), access.country_group(share.shared_with), record)
    return share
