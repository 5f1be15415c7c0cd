"""The OpenAPI description of the refusals every endpoint can answer with.

Without these, a client reading /api/schema/ learns only of success, and a 401, 403 or 404 that
the API gives by design looks like an undocumented answer (schemathesis' status-code check).
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer("Error", fields={"detail": serializers.CharField()})
REFUSALS = {
    "400": OpenApiResponse(
        OpenApiTypes.OBJECT, description="Invalid input: `detail`, or a list of problems per field."
    ),
    "401": OpenApiResponse(ERROR, description="A malformed, unknown, expired or revoked token."),
    "403": OpenApiResponse(ERROR, description="The token may not read this."),
    "404": OpenApiResponse(ERROR, description="Not found, or not visible to this request."),
}


class PolityAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # A bad Authorization header is refused everywhere; 403 and 404 where something is looked
        # up (a path parameter, or a body naming a context); 400 where a body is parsed. A view
        # refusing other input declares its 400 itself.
        codes = ["401"]
        if "{" in self.path or self.method == "POST":
            codes += ["403", "404"]
        if self.method == "POST":
            codes.append("400")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(REFUSALS[code], code)
        return responses
