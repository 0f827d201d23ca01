"""Countries and organisations taking part, their agencies, focal points, user memberships and API tokens."""
import zoneinfo

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import audited


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


@audited()
class Country(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("State")
        ORGANISATION = "organisation", _("International organisation")

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3,8}$", _("Use 3 to 8 capital letters."))],
        help_text=_("ISO 3166-1 alpha-3 for a state (e.g. THA); a short code for an organisation."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.STATE)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    population = models.PositiveBigIntegerField(
        _("population"), null=True, blank=True,
        help_text=_("For comparing figures per head of population across the region (outlier "
                    "flags); leave empty for an organisation."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("country or organisation")
        verbose_name_plural = _("countries and organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="state") | Q(code__regex=r"^[A-Z]{3}$"),
                name="country_state_code_is_alpha3",
                violation_error_message=_("A state's code must be its ISO 3166-1 alpha-3 code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_state(self) -> bool:
        return self.kind == self.Kind.STATE


@audited()
class Agency(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        IMMIGRATION = "immigration", _("Immigration")
        LABOUR = "labour", _("Labour inspectorate")
        PROSECUTION = "prosecution", _("Prosecution")
        CUSTOMS = "customs", _("Customs")
        OTHER = "other", _("Other")

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"],
                name="agency_name_unique_per_country",
                violation_error_message=_("This country already has an agency with that name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.acronym or self.name} ({self.country.code})"


class Role(models.TextChoices):
    OFFICER = "officer", _("Agency officer")
    FOCAL_POINT = "focal_point", _("Country focal point")
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARIAT = "secretariat", _("Secretariat")


@audited()
class Membership(models.Model):
    """A user's place in an agency (hence a country) with a role; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                name="membership_unique_role_per_agency",
                violation_error_message=_("This user already holds that role in that agency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"

    @property
    def country(self) -> Country:
        return self.agency.country


@audited()
class FocalPoint(models.Model):
    """A named contact for a country or one of its agencies, with the dates they served."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National focal point")
        AGENCY = "agency", _("Agency focal point")
        INTERPOL_NCB = "interpol_ncb", _("INTERPOL National Central Bureau contact")
        ALTERNATE = "alternate", _("Alternate")

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="focal_points"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="focal_points",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal user"),
        on_delete=models.SET_NULL,
        related_name="focal_point_roles",
        null=True,
        blank=True,
    )
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    kind = models.CharField(_("role"), max_length=16, choices=Kind, default=Kind.NATIONAL)
    served_from = models.DateField(_("served from"))
    served_until = models.DateField(_("served until"), null=True, blank=True)

    class Meta:
        ordering = ["country__name", "-served_from"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=Q(served_until__isnull=True) | Q(served_until__gte=models.F("served_from")),
                name="focal_point_service_dates_ordered",
                violation_error_message=_("“Served until” cannot be before “served from”."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.country.code})"

    def clean(self) -> None:
        super().clean()
        if self.agency_id and self.country_id and self.agency.country_id != self.country_id:
            raise ValidationError({"agency": _("The agency must belong to the focal point's country.")})


class AccessEvent(models.Model):
    """Who read or exported what, and every authentication event: the access log.

    Append-only: a trigger refuses updates and deletes.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOGOUT = "logout", _("Logged out")
        READ = "read", _("Read a sensitive record")
        EXPORT = "export", _("Exported")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=16, choices=Kind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+",
        db_constraint=False,
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+",
        db_constraint=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        triggers = [
            pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"
