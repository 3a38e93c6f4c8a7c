"""The OpenAPI description covers exactly the router's routes, with their models."""

from __future__ import annotations

from jarvis.openapi import openapi_path
from jarvis.web import route_spec


async def test_spec_paths_and_methods_equal_the_routers(make_client):
    client = await make_client(entrypoints=True)
    resp = await client.get("/api/openapi.json")
    assert resp.status == 200
    spec = await resp.json()
    assert spec["openapi"] == "3.1.0"
    described = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    routed = set()
    for route in client.app.router.routes():
        if route.method == "HEAD":
            continue
        assert route_spec(route.handler) is not None, (
            f"undeclared route {route.method} {route.resource.canonical}"
        )
        routed.add((route.method, openapi_path(route.resource.canonical)))
    assert described == routed


async def test_spec_has_security_schemes_and_models(make_client):
    client = await make_client(entrypoints=True)
    spec = await (await client.get("/api/openapi.json")).json()
    assert set(spec["components"]["securitySchemes"]) == {
        "cookieAuth",
        "apiKeyHeader",
        "bearerAuth",
    }
    assert spec["components"]["securitySchemes"]["apiKeyHeader"]["name"] == "X-API-Key"
    health = spec["paths"]["/health"]["get"]
    assert health["security"] == []
    assert health["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Health"
    }
    assert spec["components"]["schemas"]["Health"]["required"] == ["status"]
    status = spec["paths"]["/api/status"]["get"]
    assert {"cookieAuth": []} in status["security"]
    assert "401" in status["responses"]
    hello = spec["paths"]["/api/hello"]["get"]
    assert hello["parameters"][0]["name"] == "name" and hello["parameters"][0]["in"] == "query"
