"""API authentication: personal tokens (``Authorization: Bearer <token>``) besides the session."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import services

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A personal token made in the portal (or with POST /api/v1/tokens/): acts as its user.

    Requests without an ``Authorization: Bearer`` header are left to the session; a header
    with an unknown, revoked or malformed token is refused, never silently anonymous.
    """

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”, with nothing else."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        token = services.api_token_use(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_(
                "This token is not valid: it is unknown or revoked, or its user is inactive."))
        return token.user, token

    def authenticate_header(self, request):
        # Makes unauthenticated requests answer 401 (with this challenge) rather than 403.
        return f'{KEYWORD} realm="api"'


class TwoFactorRequired(exceptions.APIException):
    """403 in the API's error shape (code ``two_factor_required``)."""

    status_code = 403
    default_code = "two_factor_required"
    default_detail = _(
        "Your portal session has not verified its second factor yet. Log in to the portal and "
        "enter the code from your authenticator app (or a recovery code), or use an API token.")


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The portal session, as DRF's SessionAuthentication, once its second factor is verified
    where the user's role (or their own enrolment) requires one. API tokens are a separate
    credential: they are made in a verified session and are not asked for a code."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            from countries import two_factor

            if two_factor.session_needs_verification(request._request):
                raise TwoFactorRequired()
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http", "scheme": "bearer",
            "description": "A personal API token, made under *API tokens* in the portal.",
        }


class VerifiedSessionScheme(SessionScheme):
    """The portal session in the schema: the same cookie as DRF's SessionAuthentication."""

    target_class = "api.authentication.VerifiedSessionAuthentication"
