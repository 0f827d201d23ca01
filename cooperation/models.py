"""Cross-border cooperation (statement paragraphs 11-14): networks, joint investigations with
their member countries and notes, and planning the next joint initiative (planning meetings,
nominations and their partner countries).

Moved from ``operations`` (issue 19) by state-only migrations: the tables keep their names
(``operations_…``), so no row moved.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from core.audit import audited
from countries.models import Country
from operations.fields import ChoiceArrayField
from operations.models import PERIOD_ORDER, CrimeType, JointOperation, Sector, check_period

# ---------------------------------------------------------------------------------------------
# Cross-border cooperation (statement paragraphs 11-14): networks and joint investigations
# ---------------------------------------------------------------------------------------------


@audited(table="operations_networkevent")
class Network(models.Model):
    """A people-smuggling or trafficking network (syndicate) a country has identified.

    Seen by the country that registered it, the countries it was given to, and the members of a
    joint investigation into it. Never names of people: modus operandi and reach only.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISRUPTED = "disrupted", _("Disrupted")
        DISMANTLED = "dismantled", _("Dismantled")
        UNKNOWN = "unknown", _("Unknown")

    name = models.CharField(_("name"), max_length=200)
    aliases = ArrayField(models.CharField(max_length=200), verbose_name=_("also known as"),
                         default=list, blank=True)
    countries_active = models.ManyToManyField(Country, verbose_name=_("active in"),
                                              related_name="+", blank=True)
    crime_types = ChoiceArrayField(models.CharField(max_length=16, choices=CrimeType),
                                   verbose_name=_("crime types"), default=list)
    sectors = ChoiceArrayField(models.CharField(max_length=32, choices=Sector),
                               verbose_name=_("sectors"), default=list, blank=True)
    modus_operandi = models.TextField(_("modus operandi"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    registered_by = models.ForeignKey(Country, verbose_name=_("registered by"),
                                      on_delete=models.PROTECT, related_name="+")
    shared_with = models.ManyToManyField(Country, verbose_name=_("given to"), related_name="+",
                                         blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        db_table = "operations_network"  # the table of before the move
        ordering = ["name", "pk"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


@audited(table="operations_jointinvestigationevent")
class JointInvestigation(models.Model):
    """Two or more countries investigating one network over a period (paragraph 13).

    The lead country proposes and invites; each invited country accepts or declines through its
    focal point. Accepted members' country groups hold guardian's view permission on the
    investigation: that grant is what shares its notes and the records attributed to it.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Under way")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.PROTECT,
                                related_name="investigations")
    lead_country = models.ForeignKey(Country, verbose_name=_("lead country"),
                                     on_delete=models.PROTECT, related_name="+")
    joint_operation = models.ForeignKey(JointOperation, verbose_name=_("joint operation"),
                                        on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=16, choices=Status,
                              default=Status.PROPOSED)
    purpose = models.TextField(_("purpose"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        db_table = "operations_jointinvestigation"  # the table of before the move
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("joint investigation")
        verbose_name_plural = _("joint investigations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="joint_investigation_period_ordered",
                violation_error_message=PERIOD_ORDER,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        check_period(self.starts_on, self.ends_on)


@audited(table="operations_investigationmemberevent")
class InvestigationMember(models.Model):
    """A country's place in a joint investigation: invited, then accepted or declined; left."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Member")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    investigation = models.ForeignKey(JointInvestigation, on_delete=models.CASCADE,
                                      related_name="members")
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.INVITED)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        db_table = "operations_investigationmember"  # the table of before the move
        ordering = ["investigation", "country__name"]
        verbose_name = _("member country")
        verbose_name_plural = _("member countries")
        constraints = [
            models.UniqueConstraint(fields=["investigation", "country"],
                                    name="investigation_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.country} · {self.get_state_display()}"


@audited(table="operations_investigationnoteevent")
class InvestigationNote(models.Model):
    """A note in a joint investigation, read by every member country."""

    investigation = models.ForeignKey(JointInvestigation, on_delete=models.CASCADE,
                                      related_name="notes")
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        db_table = "operations_investigationnote"  # the table of before the move
        ordering = ["-created_at", "-pk"]
        verbose_name = _("investigation note")
        verbose_name_plural = _("investigation notes")

    def __str__(self) -> str:
        return f"note #{self.pk}"


class JointInvestigationGroupObjectPermission(GroupObjectPermissionBase):
    """Member countries' grants on an investigation (direct foreign key: one row per member)."""

    content_object = models.ForeignKey(JointInvestigation, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        db_table = "operations_jointinvestigationgroupobjectpermission"  # of before the move
        abstract = False


# ---------------------------------------------------------------------------------------------
# Planning the next joint initiative (statement paragraph 13): networks nominated with partners
# ---------------------------------------------------------------------------------------------


@audited(table="operations_planningmeetingevent")
class PlanningMeeting(models.Model):
    """The meeting where countries pick the networks to investigate together during the next
    joint initiative (2015: "at the next planning meeting in May 2016")."""

    joint_operation = models.ForeignKey(
        JointOperation, verbose_name=_("next joint initiative"), on_delete=models.PROTECT,
        related_name="planning_meetings")
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "operations_planningmeeting"  # the table of before the move
        ordering = ["-held_on", "-pk"]
        verbose_name = _("planning meeting")
        verbose_name_plural = _("planning meetings")

    def __str__(self) -> str:
        return self.name


@audited(table="operations_nominationevent")
class Nomination(models.Model):
    """A country's proposal, at a planning meeting, to investigate one network with partner
    countries; each partner answers through its focal point, and the secretariat turns an
    accepted nomination into a joint investigation."""

    meeting = models.ForeignKey(PlanningMeeting, verbose_name=_("planning meeting"),
                                on_delete=models.PROTECT, related_name="nominations")
    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.PROTECT,
                                related_name="nominations")
    proposing_country = models.ForeignKey(Country, verbose_name=_("nominated by"),
                                          on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("proposed investigation"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    investigation = models.OneToOneField(
        JointInvestigation, verbose_name=_("joint investigation"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="nomination")
    converted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    converted_at = models.DateTimeField(_("turned into an investigation at"), null=True,
                                        blank=True)

    class Meta:
        db_table = "operations_nomination"  # the table of before the move
        ordering = ["meeting", "proposing_country__name", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "network"], name="nomination_network_once_per_meeting",
                violation_error_message=_("This network is already nominated at this meeting."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


@audited(table="operations_nominationpartnerevent")
class NominationPartner(models.Model):
    """A partner country named in a nomination, and its answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="partners")
    country = models.ForeignKey(Country, verbose_name=_("partner country"),
                                on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=16, choices=Answer, default=Answer.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        db_table = "operations_nominationpartner"  # the table of before the move
        ordering = ["nomination", "country__name"]
        verbose_name = _("partner country")
        verbose_name_plural = _("partner countries")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "country"],
                                    name="nomination_partner_once"),
            models.CheckConstraint(
                condition=Q(answer="pending", answered_at__isnull=True)
                | (~Q(answer="pending") & Q(answered_at__isnull=False)),
                name="nomination_partner_answered_has_time",
                violation_error_message=_("An answer has a time, and only an answer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} · {self.get_answer_display()}"
