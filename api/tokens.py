"""Getting a token with a username and password, for scripts (``POST /api/v1/tokens/``).

The same checks as the login page: Django's authentication with django-axes in front (a locked
account or address stays locked here too), every success and failure in the access log. The
token's secret is in the answer once and nowhere else; tokens are listed and revoked in the
portal (*API tokens*).
"""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from countries import access, lockout, two_factor
from countries.models import AccessEvent

from . import services
from .base import ApiViewMixin
from .errors import ApiError
from .throttling import CredentialsThrottle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False,
                                     style={"input_type": "password"})
    name = serializers.CharField(max_length=100, help_text=(
        "What the token is for, e.g. “nightly upload script”: you will see it in the portal."))


class NewTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    token = serializers.CharField(help_text=(
        "The secret: send it as `Authorization: Bearer <token>`. It is shown only now."))
    prefix = serializers.CharField(help_text="How the token's secret starts, to recognise it.")
    created_at = serializers.DateTimeField()


class InvalidCredentials(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Unable to log in with this username and password.")
    default_code = "invalid_credentials"


class LockedOut(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("Too many failed logins: this account or address is locked for now. "
                       "Try again later, or ask an administrator.")
    default_code = "locked_out"


class TwoFactorTokenRefused(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("Your account uses two-factor authentication, so a password alone cannot "
                       "make a token. Log in to the portal (with your code) and make one under "
                       "API tokens.")
    default_code = "two_factor_required"


class TokenObtainView(ApiViewMixin, APIView):
    """Exchange a username and password for a new personal token."""

    authentication_classes = []  # the credentials are in the body
    permission_classes = [permissions.AllowAny]
    throttle_classes = [CredentialsThrottle]

    @extend_schema(
        summary="Get a token with your username and password", tags=["tokens"], auth=[],
        request=TokenRequestSerializer, responses={201: NewTokenSerializer},
        examples=[
            OpenApiExample("Credentials", request_only=True, value={
                "username": "officer.tha", "password": "…", "name": "nightly upload script"}),
            OpenApiExample("New token", response_only=True, value={
                "id": 7, "name": "nightly upload script", "token": "jpoa_3q2…", "prefix":
                "jpoa_3q2Xh9K", "created_at": "2015-10-05T09:00:00Z"}),
        ],
        description=(
            "Logs in as the login page does (failed attempts count towards the lockout) and "
            "answers with a new token. 400 `invalid_credentials` for a wrong username or "
            "password, 403 `locked_out` while locked out, 403 `two_factor_required` for an "
            "account with two-factor authentication (make its tokens in the portal)."),
    )
    def post(self, request, *args, **kwargs):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(django_request, username=body.validated_data["username"],
                            password=body.validated_data["password"])
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                # Answer in JSON here; the flag would make AxesMiddleware send its HTML page.
                django_request.axes_locked_out = False
                raise LockedOut(lockout.lockout_message(django_request))
            raise InvalidCredentials()
        if two_factor.two_factor_required(user) or two_factor.has_any_device(user):
            raise TwoFactorTokenRefused()  # a password alone is one factor
        token, secret = services.api_token_create(user=user, name=body.validated_data["name"])
        django_request.user = user  # so that the access log (and the audit) name them
        access.log_access(django_request, AccessEvent.Kind.LOGIN)
        return Response(
            NewTokenSerializer({"id": token.pk, "name": token.name, "token": secret,
                                "prefix": token.prefix, "created_at": token.created_at}).data,
            status=status.HTTP_201_CREATED)
