"""One error body for the whole API.

Every error answers `{"detail": "<message>", "fields": {"<field>": ["<message>", ...]}}`;
`fields` is present for validation errors. A Django `ValidationError` raised by a service
becomes a 400 the same way a serializer error does, so business rules live in one place.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

security_log = logging.getLogger("portal.security")


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "payload_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        super().__init__(f"The request body is too large: the portal accepts at most {limit:g} MB.")


def _as_list(value):
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            out.extend(_as_list(item) if isinstance(item, (list, tuple)) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{k}: {'; '.join(_as_list(v))}" for k, v in value.items()]
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DataError):
        # A filter or field value the database cannot hold or compare (a date in year 645 with a
        # -16:41 offset, a number past bigint): the client's input, not a server fault.
        exc = exceptions.ValidationError({"non_field_errors": ["A value is out of the range the portal can store."]})
    elif isinstance(exc, RequestDataTooBig):
        # Django refuses a body past DATA_UPLOAD_MAX_MEMORY_SIZE when the view reads it.
        exc = PayloadTooLarge()
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, exceptions.ParseError):
        # Malformed JSON or form data: a 400 like any other, with the same body.
        exc = exceptions.ValidationError({"non_field_errors": [str(exc.detail)]})

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, (exceptions.PermissionDenied, exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        request = context.get("request")
        security_log.warning(
            "api %s: %s %s by %s",
            response.status_code,
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            getattr(getattr(request, "user", None), "username", "anonymous") or "anonymous",
        )
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        if not isinstance(data, dict):
            data = {"non_field_errors": data}
        fields = {key: _as_list(value) for key, value in data.items()}
        first_field, first_messages = next(iter(fields.items()), ("", ["Invalid input."]))
        prefix = "" if first_field in ("non_field_errors", "") else f"{first_field}: "
        response.data = {"detail": f"{prefix}{first_messages[0]}", "fields": fields}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


class ErrorSerializer(serializers.Serializer):
    """The error body, for the schema."""

    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
