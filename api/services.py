"""Writes of the countries app: personal API tokens (create, use, revoke)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

TOKEN_PREFIX = "jpoa_"
MAX_ACTIVE_TOKENS = 20
# A token's "last used" is written at most this often: not one UPDATE per API request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which exists nowhere else: show it once."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Log in to create an API token."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the token after what uses it, e.g. “upload script”.")},
                              code="required")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError({"name": _(
            "You have %(n)s active tokens already: revoke one you no longer use first."
        ) % {"n": MAX_ACTIVE_TOKENS}}, code="too_many")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=secret[:12], key_hash=token_hash(secret))
    token.full_clean(validate_constraints=False)
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": _("You already have an active token with that name.")},
                              code="unique")
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError as error:  # the same name created at the same moment
        raise ValidationError({"name": _("You already have an active token with that name.")},
                              code="unique") from error
    return token, secret


def api_token_use(*, secret: str) -> ApiToken | None:
    """The active token of an active user that ``secret`` belongs to (and note its use), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """End a token at once; it stays listed as revoked. Only its owner revokes it."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.user_id != actor.pk:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
    return current
