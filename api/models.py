"""The API's own models: personal tokens, and the responses kept for retried POSTs.

Moved from ``countries`` (issue 19): migration ``api.0001`` renames the tables, the rows stay.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import audited


# Its last use changes with every request: kept out of the (append-only) audit events.
@audited(exclude=["last_used_at"])
class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 of its secret is stored: the secret is shown once.

    A token acts as its user, with exactly the user's access; revoking it ends it at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. “nightly upload script”."))
    # The start of the secret, so that its owner recognises it in the list; not enough to use it.
    prefix = models.CharField(_("starts with"), max_length=16)
    key_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], condition=Q(revoked_at__isnull=True),
                name="api_token_name_unique_while_active",
                violation_error_message=_("You already have an active token with that name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):
    """A POST that carried an ``Idempotency-Key`` header, and the response it got.

    A retry with the same key (same user, same request) gets this response again instead of
    acting twice. Rows older than ``API_IDEMPOTENCY_TTL_HOURS`` are deleted and no longer count.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    # SHA-256 of the method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    # JSON as text, all ASCII: jsonb could not hold the \u0000 a request may have sent.
    response_body = models.TextField(_("response body (JSON)"), blank=True)
    location = models.CharField(_("response location"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code or 'pending'})"
