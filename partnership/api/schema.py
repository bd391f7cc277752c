"""OpenAPI schema conventions: every operation documents its error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from .errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `fields` names each invalid field.",
    "401": "Not authenticated, or an invalid, expired or revoked token.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found, or not visible to you.",
}


class PortalAutoSchema(AutoSchema):
    """Adds the shared error body for 400/401/403/404 to each operation that lacks it."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        codes = ["401", "403"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("400")
        if "{" in self.path or self.method != "GET":
            codes.append("404")
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses


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
