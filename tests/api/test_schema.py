"""The API's OpenAPI 3 schema validates and lists every endpoint; the documentation page lists them too, in Russian,
with curl examples, and needs no script."""

from html import unescape

import yaml
from django.urls import URLPattern, reverse
from openapi_spec_validator import validate

from api.schema import api_schema
from api.urls import urlpatterns
from api.views import DiaryApiView
from audit.models import AuditEntry


def endpoint_paths() -> set[str]:
    """The /api/v1/ paths of every endpoint of the API's URLs, as OpenAPI writes them."""
    found = set()
    for pattern in urlpatterns:
        view = getattr(pattern.callback, "view_class", None)
        if isinstance(pattern, URLPattern) and view is not None and issubclass(view, DiaryApiView):
            path = str(pattern.pattern).replace("<int:pupil_id>", "{pupil_id}").replace("<int:file_id>", "{file_id}")
            found.add("/" + path)
    return found


def test_the_schema_validates_and_lists_every_endpoint(world):
    schema = api_schema()
    validate(schema)
    assert len(endpoint_paths()) == 7
    assert set(schema["paths"]) == endpoint_paths()
    for methods in schema["paths"].values():
        assert set(methods) == {"get"}
        assert {"200", "401", "429"} <= set(methods["get"]["responses"])
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert schema["info"]["title"] == "API электронного дневника"


def test_the_schema_is_served_as_yaml_and_json(client, world):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    validate(served)
    assert set(served["paths"]) == endpoint_paths()
    client.force_login(world.guardian)
    as_json = client.get(reverse("api:schema"), {"format": "json"})
    assert as_json.status_code == 200 and set(as_json.json()["paths"]) == endpoint_paths()
    assert not AuditEntry.objects.filter(action="audit.download").exists()  # a description, not a file of data


def test_the_documentation_page_lists_every_endpoint_with_an_example(client, world):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for path in endpoint_paths():
        assert path in html
    assert 'curl -H "Authorization: Bearer $KEY"' in html
    assert "/api/v1/pupils/123/files/456/" in html  # every path parameter has an example value
    assert "Как получить ключ" in html and "Неделя дневника" in html
    assert "<script>" not in html and "cdn" not in html.lower()
