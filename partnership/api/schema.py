"""OpenAPI schema conventions: every operation documents its error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from . import sparse
from .errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input (body or filters); `fields` names each invalid field.",
    "401": "Not authenticated, or an invalid, expired or revoked token.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found, or not visible to you.",
    "409": "A request with the same Idempotency-Key is still in progress.",
    "413": "The request body is larger than the portal accepts.",
    "415": "The body is not JSON (`Content-Type: application/json`).",
    "422": "The Idempotency-Key was already used for a different request.",
    "429": "Too many requests; retry after the number of seconds in `Retry-After`.",
}
WRITES = ("POST", "PUT", "PATCH")


class PortalAutoSchema(AutoSchema):
    """Adds the shared error body to each operation that lacks it: 401, 403 and 429 everywhere;
    400 to writes, deletions (a rule may refuse one) and reads with query parameters; 404 to
    objects and lists; 413 and 415 to operations that take a body."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        codes = ["401", "403", "429"]
        if self.method in (*WRITES, "DELETE") or self._reads_query_parameters():
            codes.append("400")  # a list's filters (or a query parameter) answer 400 to an invalid value
        if "{" in self.path or self.method != "GET" or self._is_list_view():
            codes.append("404")  # a paginated list answers 404 to a page past its end
        if self.method in WRITES:
            codes += ["413", "415"]
        if self._takes_idempotency_key():
            codes += ["409", "422"]
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def _reads_query_parameters(self) -> bool:
        if self.method != "GET":
            return False
        if self._is_list_view():
            return True
        return any(getattr(p, "location", None) == "query" for p in self.get_override_parameters())

    def _takes_idempotency_key(self) -> bool:
        """POST and PATCH under /api/v1/ (partnership/integrations/middleware.py), unless exempt."""
        return (
            self.method in ("POST", "PATCH")
            and self.path.startswith("/api/v1/")
            and not getattr(self.view, "idempotency_exempt", False)
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "GET" and sparse.offered_by(self.view):
            parameters.append(OpenApiParameter(sparse.PARAM, str, OpenApiParameter.QUERY, description=sparse.SCHEMA_DESCRIPTION))
        if self._takes_idempotency_key():
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    {"type": "string", "minLength": 1, "maxLength": 255},
                    OpenApiParameter.HEADER,
                    required=False,
                    description="Up to 255 characters. The first answer is kept 24 hours and replayed for the same "
                    "key and body; another body answers 422, a concurrent request 409.",
                )
            )
        return parameters


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partnership.authentication.HashedTokenAuthentication"
    name = "TokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: create a key on your profile page or with POST /api/v1/tokens/.",
        }
