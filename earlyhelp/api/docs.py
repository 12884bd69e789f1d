"""The API's reference page, generated from the OpenAPI schema (one source, never retyped).

A server-rendered GOV.UK page rather than Swagger UI: it works without JavaScript, meets the
site's Content Security Policy and passes the accessibility check like every other page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    where: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    body_types: list[str] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _kind(schema: dict[str, Any], node: dict[str, Any]) -> str:
    node = _resolve(schema, node)
    if "enum" in node:
        return "one of " + ", ".join(str(v) for v in node["enum"] if v not in ("", None))
    kind = node.get("type", "object")
    if kind == "array":
        return f"list of {_kind(schema, node.get('items', {}))}"
    fmt = node.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _parameters(schema: dict[str, Any], operation: dict[str, Any]) -> list[Field]:
    return [
        Field(
            name=p["name"],
            where=p["in"],
            kind=_kind(schema, p.get("schema", {})),
            required=bool(p.get("required")),
            description=p.get("description", ""),
        )
        for p in operation.get("parameters", [])
    ]


def _body(schema: dict[str, Any], operation: dict[str, Any]) -> tuple[list[Field], list[str]]:
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return [], []
    first = next(iter(content.values()))
    node = _resolve(schema, first.get("schema", {}))
    if node.get("type") == "array":
        node = _resolve(schema, node.get("items", {}))
    required = set(node.get("required", []))
    fields = [
        Field(
            name=name,
            where="body",
            kind=_kind(schema, prop),
            required=name in required,
            description=_resolve(schema, prop).get("description", prop.get("description", "")),
        )
        for name, prop in node.get("properties", {}).items()
    ]
    return fields, list(content)


def _operation(schema: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> Operation:
    body, body_types = _body(schema, op)
    return Operation(
        method=method.upper(),
        path=path,
        anchor=op.get("operationId", f"{method}-{path}").replace("_", "-"),
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        parameters=_parameters(schema, op),
        body=body,
        body_types=body_types,
        responses=[(code, r.get("description", "")) for code, r in op.get("responses", {}).items()],
    )


@cache
def api_reference() -> tuple[dict[str, Any], list[Operation]]:
    """The schema's title and version, and every operation in the order of the paths."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        _operation(schema, path, method, item[method])
        for path, item in schema["paths"].items()
        for method in METHODS
        if method in item
    ]
    return schema["info"], operations
