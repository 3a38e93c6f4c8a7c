"""Every error leaves as {"error", "detail"} JSON with the reference's status codes."""

from __future__ import annotations

from jarvis import Access, NotFound, Routes, hookimpl
from pydantic import BaseModel, Field


class Item(BaseModel):
    name: str = Field(min_length=1)
    count: int = Field(ge=0)


class Page(BaseModel):
    page: int = Field(1, ge=1)


routes = Routes()


@routes.post("/api/items", access=Access.ANON, body=Item, status=201)
async def create_item(request, body: Item):
    return {"name": body.name, "count": body.count}


@routes.get("/api/items", access=Access.ANON, query=Page)
async def list_items(request, query: Page):
    return {"page": query.page}


@routes.get("/api/items/{name}", access=Access.ANON)
async def get_item(request):
    raise NotFound(f"no item {request.match_info['name']!r}")


@routes.get("/api/crash", access=Access.ANON)
async def crash(request):
    raise RuntimeError("secret internal detail /etc/passwd")


class ItemsPlugin:
    @hookimpl
    def register_routes(self, settings):
        return routes


async def test_unknown_route_is_json_404(make_client):
    client = await make_client()
    resp = await client.get("/api/nope")
    assert resp.status == 404
    assert resp.content_type == "application/json"
    assert await resp.json() == {"error": "not found", "detail": "no route for GET /api/nope"}


async def test_wrong_method_is_json_405(make_client):
    client = await make_client()
    resp = await client.delete("/health")
    assert resp.status == 405
    assert (await resp.json())["error"] == "method not allowed"


async def test_malformed_json_is_400_naming_the_problem(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.post(
        "/api/items", data=b'{"name": "a",', headers={"Content-Type": "application/json"}
    )
    assert resp.status == 400
    body = await resp.json()
    assert body["error"] == "malformed JSON body"
    assert "line 1" in body["detail"]


async def test_non_object_body_is_400(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.post("/api/items", json=[1, 2])
    assert resp.status == 400
    assert (await resp.json())["error"] == "request body must be a JSON object"


async def test_validation_error_names_the_field(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.post("/api/items", json={"name": "a", "count": -1})
    assert resp.status == 400
    body = await resp.json()
    assert body["error"].startswith("count:")
    assert body["detail"][0]["field"] == "count"
    resp = await client.post("/api/items", json={"count": 1})
    assert (await resp.json())["error"] == "name: Field required"


async def test_query_validation_names_the_parameter(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.get("/api/items", params={"page": "zero"})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("query parameter page:")


async def test_declared_status_and_body(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.post("/api/items", json={"name": "a", "count": 2})
    assert resp.status == 201
    assert await resp.json() == {"name": "a", "count": 2}


async def test_domain_error_maps_to_status(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.get("/api/items/x")
    assert resp.status == 404
    assert await resp.json() == {"error": "no item 'x'", "detail": None}


async def test_unhandled_error_is_500_without_internals(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.get("/api/crash")
    assert resp.status == 500
    text = await resp.text()
    assert "passwd" not in text and "Traceback" not in text
    assert await resp.json() == {"error": "internal server error", "detail": None}


async def test_oversized_json_body_is_413(make_client):
    client = await make_client(ItemsPlugin())
    resp = await client.post(
        "/api/items",
        data=b'{"name": "' + b"a" * 1_100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert resp.status == 413
    assert "request body over" in (await resp.json())["error"]


async def test_health(make_client):
    client = await make_client()
    resp = await client.get("/health")
    assert resp.status == 200
    assert await resp.json() == {"status": "ok"}


async def test_protected_route_without_credentials_is_401(make_client):
    client = await make_client()
    for method, path in [
        ("GET", "/api/status"),
        ("POST", "/api/pause"),
        ("GET", "/api/queue"),
        ("GET", "/api/plugins"),
    ]:
        resp = await client.request(method, path)
        assert resp.status == 401, path
        assert (await resp.json())["error"] == "not authenticated"
