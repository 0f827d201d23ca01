"""Two-factor authentication (django-otp): who needs it, and enrolling, verifying and resetting.

Focal points, co-chairs, the secretariat and administrators (superusers and staff, who reach
the Django admin) must verify a second factor after their password; officers may enrol, and
once they have, they verify at every login too. A session is verified when django-otp's
session key names one of the user's confirmed devices (``django_otp.login``).

Factors: a TOTP authenticator app, enrolled from a QR code drawn here as inline SVG (the
``qrcode`` package; no outside service), and ten single-use recovery codes (django-otp's
static device). Wrong codes are throttled by django-otp (1, 2, 4... seconds between tries)
and counted by django-axes as failed logins, so the lockout covers this step too.
"""
from __future__ import annotations

import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import scope_for
from .models import Role

REQUIRED_ROLES = frozenset({Role.FOCAL_POINT, Role.CO_CHAIR, Role.SECRETARIAT})
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
# Session keys: the time the verifying device was last read (see jpoa.middleware), and "this
# login must verify" for users who enrolled although their role does not require it.
CHECKED_AT_SESSION_KEY = "otp_checked_at"
PENDING_SESSION_KEY = "otp_pending"


# ---------------------------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------------------------


def two_factor_required(user) -> bool:
    """The user's role requires a second factor (whether or not they have enrolled yet)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not settings.TWO_FACTOR_ENFORCED:
        return False
    scope = scope_for(user)
    return scope.is_superuser or user.is_staff or bool(scope.roles & REQUIRED_ROLES)


def session_is_verified(request) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def session_needs_verification(request) -> bool:
    """The session's user must verify a second factor before going on, and has not yet."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or session_is_verified(request):
        return False
    if not settings.TWO_FACTOR_ENFORCED:
        return False
    return bool(request.session.get(PENDING_SESSION_KEY)) or two_factor_required(user)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_any_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def mark_login_pending(request, user) -> None:
    """At login: a user with a confirmed device verifies it before going on, whatever the role."""
    if has_any_device(user):
        request.session[PENDING_SESSION_KEY] = True


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def session_verify(request, device) -> None:
    """Mark the session verified by ``device`` (django-otp's own session key)."""
    otp_login(request, device)
    request.session[CHECKED_AT_SESSION_KEY] = time.time()
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.cycle_key()  # a new session id once the second factor is in


def session_unverify(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.pop(CHECKED_AT_SESSION_KEY, None)


# ---------------------------------------------------------------------------------------------
# Enrolment, verification, reset (services)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the user is enrolling (a new secret if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the enrolment with a code from the app; returns new recovery codes, or None
    when the code is wrong (nothing changes then but django-otp's throttle)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(normalise_code(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_generate(user=user)


@transaction.atomic
def recovery_codes_generate(*, user) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def two_factor_verify(*, user, code: str):
    """The device that accepts ``code`` (six digits: the app; otherwise a recovery code, used
    up), or None. Each try counts against django-otp's throttle of the device tried."""
    code = normalise_code(code)
    if not code:
        return None
    model = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def throttled_for(user) -> bool:
    """django-otp asks the user to wait before the next try (after a wrong code)."""
    return any(not device.verify_is_allowed()[0] for device in devices_for_user(user))


@transaction.atomic
def two_factor_reset(*, user) -> None:
    """Remove every device of the user (a lost phone): they enrol again from scratch."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()


# ---------------------------------------------------------------------------------------------
# The QR code
# ---------------------------------------------------------------------------------------------


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (no style attributes: CSP-clean)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="Your key for the authenticator app, as a scannable image" class="qr-code" ', 1))


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's key in base32 (what apps accept when typed), in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
