"""The API's documentation: the OpenAPI 3 schema (drf-spectacular) and a page of our own that lists its endpoints
with their parameters, answers and a curl example. Server-rendered from the schema, so that it works offline and
under the Content-Security-Policy (no CDN, no inline script: promise 9); public, as a developer reads it before
they have a key."""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from .schema import api_schema
from .services import MAX_ACTIVE


class SchemaView(SpectacularAPIView):
    """YAML by default, JSON with ?format=json. No key needed: the schema describes, it reads no diary."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Shown in the browser rather than saved: its «filename» would make the audit log note a file download.
        del response["Content-Disposition"]
        return response


@dataclass
class Parameter:
    name: str
    where: str
    description: str
    required: bool


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    curl: str = ""
    anchor: str = ""


def _operations(base: str) -> list[Operation]:
    schema = api_schema()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            example_path = path.replace("{pupil_id}", "123").replace("{file_id}", "456")
            parameters = [
                Parameter(p["name"], p["in"], p.get("description", ""), p.get("required", False))
                for p in op.get("parameters", [])
            ]
            statuses = [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()]
            operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    parameters=parameters,
                    statuses=statuses,
                    curl=f'curl -H "Authorization: Bearer $KEY" "{base}{example_path}"',
                    anchor=op.get("operationId", ""),
                )
            )
    return operations


@require_GET
def docs(request):
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "api/docs.html",
        {
            "operations": _operations(base),
            "schema_url": reverse("api:schema"),
            "profile_url": reverse("accounts:profile"),
            "pupils_curl": f'curl -H "Authorization: Bearer $KEY" "{base}{reverse("api:pupils")}"',
            "max_active": MAX_ACTIVE,
        },
    )
