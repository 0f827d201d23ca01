"""Idempotency keys: a POST retried with the same ``Idempotency-Key`` header acts only once.

The same key, from the same user, with the same request (method, path and body) gets the
stored response again and creates nothing; the same key with another request is refused with
422. The key is claimed inside the request's own transaction, so a retry sent while the first
request is still running waits on the unique index and then replays its response, and a
request that fails with a server error leaves no claim behind (its transaction rolls back).
Keys are kept ``API_IDEMPOTENCY_TTL_HOURS`` (default 24).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.utils import encoders

from .errors import Conflict, IdempotencyKeyReused
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
KEY_PATTERN = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_KEY_LENGTH}}}")  # a UUID, say


class Replay(Exception):
    """The request was made before with this key: answer with what it got then."""

    def __init__(self, stored: IdempotencyKey):
        super().__init__(stored.key)
        self.stored = stored

    def response(self) -> Response:
        headers = {REPLAYED_HEADER: "true"}
        if self.stored.location:
            headers["Location"] = self.stored.location
        body = json.loads(self.stored.response_body) if self.stored.response_body else None
        return Response(body, status=self.stored.status_code, headers=headers)


def _ttl() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "API_IDEMPOTENCY_TTL_HOURS", 24))


def _fingerprint(request) -> str:
    """SHA-256 of what makes two requests the same: method, path with query, and body.

    A multipart body is taken field by field (files by their bytes): its boundary differs
    each time a client builds the same upload.
    """
    digest = hashlib.sha256()
    digest.update(f"{request.method}\n{request.get_full_path()}\n".encode())
    if request.content_type.startswith("multipart/"):
        for name in sorted(request.data.keys()):
            for value in request.data.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES.keys()):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}:".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise exceptions.ValidationError({HEADER: [_(
            "Send a key of 1 to %(n)s letters, digits and . _ : - (no spaces), e.g. a UUID "
            "made for this request.") % {"n": MAX_KEY_LENGTH}]})
    return key


def claim(request) -> IdempotencyKey | None:
    """The key's row for this request, new; or Replay / IdempotencyKeyReused for a known key.

    Call inside the request's transaction. None when the request carries no key.
    """
    key = _key(request)
    if key is None or not request.user.is_authenticated:
        return None
    fingerprint = _fingerprint(request)
    # Expired keys no longer count, whoever they belong to: the table holds only a day's keys.
    IdempotencyKey.objects.filter(created_at__lt=timezone.now() - _ttl()).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        pass  # used before (or by a request that has just committed): compare and replay
    stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if stored is None or stored.status_code is None:
        raise Conflict(_("A request with this Idempotency-Key is still being processed; "
                         "try again in a moment."), code="idempotency_key_in_use")
    if stored.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    raise Replay(stored)


def remember(stored: IdempotencyKey, response) -> None:
    """Keep the response a claimed key got, to replay it."""
    stored.status_code = response.status_code
    stored.response_body = "" if response.data is None else json.dumps(
        response.data, cls=encoders.JSONEncoder, ensure_ascii=True)
    stored.location = response.get("Location", "")[:500]
    stored.save(update_fields=["status_code", "response_body", "location"])


class IdempotentMixin:
    """For API views whose POSTs honour ``Idempotency-Key`` (see the module docstring)."""

    def dispatch(self, request, *args, **kwargs):
        self.idempotency_key = None
        if request.method == "POST" and HEADER in request.headers:
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        if request.method == "POST":
            self.idempotency_key = claim(request)

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return exc.response()
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.idempotency_key is not None:
            if response.status_code < 500:
                remember(self.idempotency_key, response)
            else:  # not an answer worth replaying: a retry should run again
                self.idempotency_key.delete()
        return response
