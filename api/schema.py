"""The OpenAPI description of our key (drf-spectacular cannot guess a custom authentication class's scheme), and
the generated schema, kept once per language for the documentation page."""

from django.utils.translation import get_language
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator


class BearerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Ключ API дневника из профиля: «Authorization: Bearer <ключ>» (или «Token <ключ>»).",
        }


_schemas: dict[str, dict] = {}


def api_schema() -> dict:
    """The schema of /api/v1/ as a dict (the documentation page reads it; generating takes a while)."""
    language = get_language() or ""
    if language not in _schemas:
        _schemas[language] = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    return _schemas[language]
