"""`Idempotency-Key` for every POST and PATCH under /api/v1/, whichever app serves it.

A middleware rather than a mixin, so that no viewset can forget it. For a request that carries
the header and an authenticated user (token or session):

- the first request claims an `IdempotencyRecord` (unique per user and key) *before* the view
  runs, in its own committed statement; its answer is stored when the view returns (not a 5xx:
  a server error frees the key so the client can try again) and kept for 24 hours;
- the same key with the same method, path and body replays the stored answer
  (`Idempotent-Replayed: true`), without running the view again;
- the same key with another request answers 422;
- a request with a key whose first request is still running answers 409;
- a key is bound to the credential that used it (the API token, or the browser session): the
  same key and body from another token of the same user is "another request" (422), so a
  read-only token can never replay what a read-write one did;
- an answer that shows a secret once (`holding_a_secret`: a new token's key, a webhook signing
  secret) is never stored: its replay answers 409 and the secret exists nowhere in clear.
"""

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import exceptions

from partnership.api.base import SECRET_ATTRIBUTE
from partnership.api.errors import INVALID, json_error

from .choices import IdempotencyState
from .models import IdempotencyRecord

logger = logging.getLogger("portal.integrations")

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
METHODS = ("POST", "PATCH")
# Answers that say nothing final about the request: the key stays free for another try.
NOT_STORED = {401, 403, 408, 409, 425, 429}
SECRET_NOT_REPLAYED = json.dumps(
    {
        "detail": f"The first request with this {HEADER} succeeded and its answer held a secret that is shown "
        "only once, so it is not replayed. List the objects to find what it created, or send a new request "
        "with a new key.",
        "code": "secret_not_replayed",
    }
).encode()


IN_PROGRESS = f"A request with this {HEADER} is still in progress; retry in a moment."


def _user_of(request):
    """The user behind the request and the credential they used: an API token (checked as DRF
    will) or the session; (None, "") when there is none."""
    from partnership.authentication import HashedTokenAuthentication

    try:
        found = HashedTokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return None, ""
    if found is not None:
        return found[0], f"token:{found[1].pk}"
    user = getattr(request, "user", None)
    return (user, "session") if user is not None and user.is_authenticated else (None, "")


def request_fingerprint(request, credential: str = "") -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request.body, credential.encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in METHODS or not request.path.startswith("/api/v1/"):
            return self.get_response(request)
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            message = f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters."
            return json_error(400, f"{HEADER}: {message}", INVALID, {HEADER: [(message, INVALID)]})
        user, credential = _user_of(request)
        if user is None:
            return self.get_response(request)  # the view answers 401

        fingerprint = request_fingerprint(request, credential)
        record, answer = self._claim(user, key, fingerprint, request)
        if answer is not None:
            return answer
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        self._store(record, response)
        return response

    def _claim(self, user, key, fingerprint, request):
        now = timezone.now()
        for _ in range(2):
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        request_hash=fingerprint,
                        method=request.method,
                        path=request.path[:500],
                        expires_at=now + datetime.timedelta(hours=settings.INTEGRATIONS_IDEMPOTENCY_HOURS),
                    )
                return record, None
            except IntegrityError:
                pass
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if existing is None:
                continue  # freed meanwhile: claim again
            if existing.expires_at <= now:
                IdempotencyRecord.objects.filter(pk=existing.pk, expires_at__lte=now).delete()
                continue
            if existing.request_hash != fingerprint:
                return None, json_error(
                    422,
                    f"This {HEADER} was used for another request (method, path or body differ); use a new key.",
                    "idempotency_key_reused",
                )
            if existing.state == IdempotencyState.IN_PROGRESS:
                return None, json_error(409, IN_PROGRESS, "idempotency_key_in_progress")
            return None, self._replay(existing)
        return None, json_error(409, IN_PROGRESS, "idempotency_key_in_progress")

    def _replay(self, record) -> HttpResponse:
        response = HttpResponse(
            bytes(record.response_body), status=record.status_code, content_type=record.content_type or None
        )
        if record.location:
            response["Location"] = record.location
        response["Idempotent-Replayed"] = "true"
        return response

    def _store(self, record, response) -> None:
        status = response.status_code
        if status >= 500 or status in NOT_STORED or getattr(response, "streaming", False):
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return
        if getattr(response, SECRET_ATTRIBUTE, False):
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                state=IdempotencyState.COMPLETE,
                status_code=409,
                content_type="application/json",
                response_body=SECRET_NOT_REPLAYED,
                location="",
            )
            return
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            state=IdempotencyState.COMPLETE,
            status_code=status,
            content_type=response.get("Content-Type", "")[:200],
            response_body=bytes(response.content),
            location=response.get("Location", "")[:500],
        )
