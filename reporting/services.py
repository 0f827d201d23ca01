"""Reporting's write path: the debrief workshop, each country's lessons, the recommendations
tracked to done (moved from ``operations`` with their models, issue 19); outlier flags checked."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from countries import access
from countries.models import Country
from operations.models import CountryReturn

from . import policies
from .models import DebriefWorkshop, Lesson, OutlierFlag, Recommendation

LESSON_FIELDS = ("outcomes", "worked_well", "did_not_work_well", "do_differently")


@transaction.atomic
def workshop_save(*, actor, joint_operation, held_on: dt.date, place: str, co_chairs: str):
    if not policies.can_manage_workshop(actor):
        raise PermissionDenied(_("The secretariat sets up the debrief workshop."))
    workshop, _created = DebriefWorkshop.objects.update_or_create(
        joint_operation=joint_operation,
        defaults={"held_on": held_on, "place": place.strip(), "co_chairs": co_chairs.strip()})
    return workshop


@transaction.atomic
def lessons_save(*, actor, workshop: DebriefWorkshop, country: Country, data: dict) -> Lesson:
    """A country's focal point files (and later amends) the country's lessons."""
    if not access.can_answer_for_country(actor, country.pk):
        raise PermissionDenied(_("The country's focal point files its lessons."))
    lesson, _created = Lesson.objects.select_for_update().get_or_create(
        workshop=workshop, country=country)
    for field in LESSON_FIELDS:
        setattr(lesson, field, data.get(field, "").strip())
    lesson.updated_by = actor
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def recommendation_add(*, actor, workshop: DebriefWorkshop, text: str, owner: str = "",
                       due_on: dt.date | None = None) -> Recommendation:
    if not policies.can_manage_workshop(actor):
        raise PermissionDenied(_("The secretariat records the recommendations."))
    if not text.strip():
        raise ValidationError({"text": _("Write the recommendation.")})
    DebriefWorkshop.objects.select_for_update().get(pk=workshop.pk)  # one number at a time
    last = workshop.recommendations.order_by("-number").values_list("number", flat=True).first()
    recommendation = Recommendation(workshop=workshop, number=(last or 0) + 1, text=text.strip(),
                                    owner=owner.strip(), due_on=due_on)
    recommendation.full_clean()
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_track(*, actor, recommendation: Recommendation, status: str,
                         progress_note: str = "", owner: str | None = None,
                         due_on: dt.date | None = None) -> Recommendation:
    """Move a recommendation along; "done" is dated today, any other status clears the date."""
    if not policies.can_manage_workshop(actor):
        raise PermissionDenied(_("The secretariat tracks the recommendations."))
    if status not in Recommendation.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    recommendation.status = status
    recommendation.done_on = (recommendation.done_on or dt.date.today()) if status == "done" else None
    recommendation.progress_note = progress_note.strip()
    if owner is not None:
        recommendation.owner = owner.strip()
    recommendation.due_on = due_on
    recommendation.full_clean()
    recommendation.save()
    return recommendation


COMMENT_MAX_LENGTH = 2000


@transaction.atomic
def outlier_flag_check(*, actor, flag: OutlierFlag, comment: str) -> OutlierFlag:
    """The focal point marks an outlier flag "checked, correct", saying why the figure is
    right; the figure stays as it is. Only while the country's return is open: a submitted
    return's review is the one the secretariat reads."""
    if not policies.can_check_outlier(actor, flag):
        raise PermissionDenied(_("The country's focal point checks its outlier flags."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the figure is right: what the records "
                                            "show.")}, code="required")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": _("Keep the comment to %(limit)s characters (it has "
                                            "%(length)s).") % {
            "limit": f"{COMMENT_MAX_LENGTH:,}", "length": f"{len(comment):,}"}}, code="max_length")
    current = OutlierFlag.objects.select_for_update().get(pk=flag.pk)
    country_return = CountryReturn.objects.filter(
        joint_operation_id=current.joint_operation_id, country_id=current.country_id).first()
    if country_return is not None and not country_return.allows("submit"):
        raise ValidationError(_("The return is %(state)s: its flags were reviewed when it was "
                                "submitted. Ask the secretariat to reopen it to check again.")
                              % {"state": country_return.get_state_display().lower()},
                              code="locked")
    if current.status == OutlierFlag.Status.CHECKED and current.comment == comment:
        return current  # typed twice: already done
    current.status = OutlierFlag.Status.CHECKED
    current.comment = comment
    current.checked_by = actor
    current.checked_at = timezone.now()
    current.save(update_fields=["status", "comment", "checked_by", "checked_at"])
    return current
