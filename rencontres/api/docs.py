"""The API's readable page: every endpoint of the generated OpenAPI schema, grouped by tag,
with its parameters and an example, drawn on the server (no script, no CDN)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_page
from drf_spectacular.generators import SchemaGenerator

from .models import EVENTS, SCOPES

METHODS = ("get", "post", "put", "patch", "delete")


def endpoints(schema):
    """[(tag, [endpoint])], each endpoint a dict: method, path, summary, parameters, body."""
    groups = {}
    for path, operations in schema["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            body = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                .get("schema", {}).get("$ref", "")
            )  # fmt: skip
            fields = schema["components"]["schemas"].get(body.rsplit("/", 1)[-1], {})
            groups.setdefault(tag, []).append({
                "method": method.upper(),
                "path": path,
                "description": operation.get("description", "").replace("`", ""),
                "public": not operation.get("security") or {} in operation.get("security", []),
                "parameters": [
                    (p["name"], p["in"], p.get("description", ""), p.get("required", False))
                    for p in operation.get("parameters", [])
                ],
                "fields": [
                    (name, spec.get("type", spec.get("$ref", "").rsplit("/", 1)[-1]),
                     name in fields.get("required", []), spec.get("description", ""))
                    for name, spec in fields.get("properties", {}).items()
                ],
            })  # fmt: skip
    return sorted(groups.items())


@cache_page(300)
def page(request):
    # The reference is in English (the endpoints' own words), whatever the page's language.
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(request, "api/docs.html", {
        "schema": schema, "groups": endpoints(schema), "scopes": SCOPES,
        "events": [event for event, _label in EVENTS],
        "schema_url": request.build_absolute_uri(reverse("api:schema")),
        "base": request.build_absolute_uri("/api/v1/").rstrip("/"),
    })  # fmt: skip
