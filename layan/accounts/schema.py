"""OpenAPI description of the mobile client's bearer token (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "layan.accounts.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token dari POST /api/v1/auth/token/; kedaluwarsa dan dapat dicabut.",
        }
