"""One error body for the whole API.

Every error answers `{"detail": "<message>", "code": "<code>"}`; a validation error adds
`fields` (`{"<field>": ["<message>", ...]}`) and, in parallel, `codes` (`{"<field>": ["<code>", ...]}`,
the machine-readable code of each message, e.g. `required`, `invalid_choice`, `max_length`).
`code` is stable (`not_found`, `method_not_allowed`, `invalid`, `throttled`, ...) while the
messages may be reworded. A Django `ValidationError` raised by a service becomes a 400 the same
way a serializer error does, so business rules live in one place. Errors answered outside DRF
(an unknown address under /api/, the middlewares) use `json_error()`, so they have the same shape.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler as drf_exception_handler

security_log = logging.getLogger("portal.security")

INVALID = "invalid"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "payload_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        super().__init__(f"The request body is too large: the portal accepts at most {limit:g} MB.")


def _pairs(value) -> list[tuple[str, str]]:
    """(message, code) of each error in a DRF error structure, nested ones flattened."""
    if isinstance(value, (list, tuple)):
        return [pair for item in value for pair in _pairs(item)]
    if isinstance(value, dict):
        # A nested serializer's field: "<field>: <its messages>", with its first code.
        out = []
        for key, inner in value.items():
            pairs = _pairs(inner)
            if pairs:
                out.append((f"{key}: {'; '.join(message for message, _ in pairs)}", pairs[0][1]))
        return out
    return [(str(value), getattr(value, "code", None) or INVALID)]


def error_body(detail: str, code: str, fields: dict[str, list[tuple[str, str]]] | None = None) -> dict:
    """The error body; `fields` maps a field to its (message, code) pairs."""
    body = {"detail": detail, "code": code}
    if fields is not None:
        body["fields"] = {name: [message for message, _ in pairs] for name, pairs in fields.items()}
        body["codes"] = {name: [code for _, code in pairs] for name, pairs in fields.items()}
    return body


def json_error(status: int, detail: str, code: str, fields=None) -> JsonResponse:
    """An error answered outside DRF's views, in the same shape."""
    return JsonResponse(error_body(detail, code, fields), status=status)


def validation_error_body(data) -> dict:
    if not isinstance(data, dict):
        data = {"non_field_errors": data}
    fields = {key: _pairs(value) for key, value in data.items()}
    fields = {key: pairs for key, pairs in fields.items() if pairs}
    first_field, first_pairs = next(iter(fields.items()), ("", [("Invalid input.", INVALID)]))
    prefix = "" if first_field in ("non_field_errors", "") else f"{first_field}: "
    return error_body(f"{prefix}{first_pairs[0][0]}", INVALID, fields)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = get_error_detail(exc)
        exc = exceptions.ValidationError(detail if isinstance(detail, dict) else {"non_field_errors": detail})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DataError):
        # A filter or field value the database cannot hold or compare (a date in year 645 with a
        # -16:41 offset, a number past bigint): the client's input, not a server fault.
        exc = exceptions.ValidationError(
            {"non_field_errors": [exceptions.ErrorDetail("A value is out of the range the portal can store.", "out_of_range")]}
        )
    elif isinstance(exc, RequestDataTooBig):
        # Django refuses a body past DATA_UPLOAD_MAX_MEMORY_SIZE when the view reads it.
        exc = PayloadTooLarge()
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ValidationError({"non_field_errors": [exceptions.ErrorDetail(str(exc), "too_many_fields")]})
    elif isinstance(exc, exceptions.ParseError):
        # Malformed JSON or form data: a 400 like any other, with the same body.
        exc = exceptions.ValidationError({"non_field_errors": [exceptions.ErrorDetail(str(exc.detail), "parse_error")]})

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
        response.data = validation_error_body(exc.detail)
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = error_body(str(detail), getattr(detail, "code", None) or exc.default_code)
    return response


class ErrorSerializer(serializers.Serializer):
    """Every error: a message and its code; a validation error adds each field's messages and codes."""

    detail = serializers.CharField(help_text="The first (or only) message, for a person.")
    code = serializers.CharField(
        help_text="Machine-readable: `invalid` for a validation error, else e.g. `not_found`, `not_authenticated`, "
        "`permission_denied`, `method_not_allowed`, `payload_too_large`, `throttled`."
    )
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors: each invalid field (or query parameter, or `non_field_errors`) and its messages.",
    )
    codes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Parallel to `fields`: the code of each message, e.g. `required`, `invalid_choice`, `max_length`.",
    )
