"""What a route declaration promises: the description lists every answer the route can give,
and requests are validated exactly as described (strict JSON types, typed path parameters)."""

from __future__ import annotations

import pytest
from aiohttp import web
from jarvis.middleware import request_middleware
from jarvis.openapi import build_spec
from jarvis.web import Access, IsoDateTime, Routes
from pydantic import BaseModel, ConfigDict, Field

routes = Routes("demo")


class Thing(BaseModel):
    count: int
    ratio: float = 1.0
    name: str = Field(None, min_length=1)  # left out: unchanged; null: refused
    note: str | None = None


class Partial(BaseModel):
    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    count: int | None = None


class Window(BaseModel):
    start: IsoDateTime | None = None


class Slug(BaseModel):
    slug: str = Field(pattern=r"^[a-z]+$")


class Form(BaseModel):
    file: list[bytes]


@routes.post("/things", access=Access.ANON, body=Thing, errors=(409,))
async def create(request: web.Request, body: Thing) -> dict:
    return body.model_dump()


@routes.put("/things/{id}", access=Access.ADMIN, body=Partial)
async def change(request: web.Request, body: Partial) -> dict:
    return body.model_dump(exclude_unset=True)


@routes.get("/window", access=Access.ANON, query=Window)
async def window(request: web.Request, query: Window) -> dict:
    return {"start": query.start.isoformat() if query.start else None}


@routes.get("/slugs/{slug}", access=Access.ANON, path_params=Slug)
async def slug(request: web.Request, path: Slug) -> dict:
    return {"slug": path.slug}


@routes.get("/files/{path:.+}", access=Access.USER)
async def file(request: web.Request) -> dict:
    return {}


@routes.post("/upload", access=Access.USER, upload=Form)
async def upload(request: web.Request) -> dict:
    return {}


def _app() -> web.Application:
    app = web.Application(middlewares=[request_middleware])
    app.router.add_routes(routes)
    return app


@pytest.fixture
def spec() -> dict:
    return build_spec(_app())


@pytest.fixture
async def client(aiohttp_client):
    return await aiohttp_client(_app())


def test_declared_and_implied_errors_are_described(spec):
    create_op = spec["paths"]["/things"]["post"]
    assert sorted(create_op["responses"]) == ["200", "400", "409", "413", "415"]
    change_op = spec["paths"]["/things/{id}"]["put"]
    assert sorted(change_op["responses"]) == ["200", "400", "401", "403", "404", "413", "415"]
    assert sorted(spec["paths"]["/upload"]["post"]["responses"]) == [
        "200", "400", "401", "403", "413"]
    file_op = spec["paths"]["/files/{path}"]["get"]
    assert sorted(file_op["responses"]) == ["200", "400", "401", "404"]


def test_path_parameters_are_typed(spec):
    [object_id] = spec["paths"]["/things/{id}"]["put"]["parameters"]
    assert object_id["schema"]["pattern"] == "^[0-9a-f]{32}$"
    [slug_param] = spec["paths"]["/slugs/{slug}"]["get"]["parameters"]
    assert slug_param["schema"]["pattern"] == "^[a-z]+$"
    [path_param] = spec["paths"]["/files/{path}"]["get"]["parameters"]
    assert path_param["schema"] == {"type": "string", "pattern": "^(?:.+)$"}


def test_a_body_is_required_unless_an_empty_one_is_valid(spec):
    assert spec["paths"]["/things"]["post"]["requestBody"]["required"] is True
    assert spec["paths"]["/things/{id}"]["put"]["requestBody"]["required"] is True  # minProperties
    form = spec["paths"]["/upload"]["post"]["requestBody"]["content"]
    assert list(form) == ["multipart/form-data"]


def test_a_left_out_field_that_may_not_be_null_has_no_null_default(spec):
    props = spec["components"]["schemas"]["Thing"]["properties"]
    assert "default" not in props["name"]
    assert props["note"]["default"] is None


@pytest.mark.parametrize(("body", "field"), [
    ({"count": False}, "count"), ({"count": "5"}, "count"), ({"count": 1.5}, "count"),
    ({"count": 1, "ratio": "2"}, "ratio"), ({"count": 1, "name": None}, "name"),
    ({"count": 1, "name": ""}, "name"),
])
async def test_json_types_must_match_the_description(client, body, field):
    resp = await client.post("/things", json=body)
    assert resp.status == 400
    assert (await resp.json())["error"].startswith(f"{field}:")


async def test_an_integral_number_is_an_integer(client):
    resp = await client.post("/things", json={"count": 2.0, "ratio": 3})
    assert resp.status == 200
    assert await resp.json() == {"count": 2, "ratio": 3.0, "name": None, "note": None}


async def test_nan_is_not_json(client):
    resp = await client.post("/things", data='{"count": NaN}',
                             headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert (await resp.json())["error"] == "malformed JSON body"


@pytest.mark.parametrize("raw", ["null", "[]", '"x"', "5"])
async def test_a_body_is_a_json_object(client, raw):
    resp = await client.post("/things", data=raw, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert (await resp.json())["error"] == "request body must be a JSON object"


async def test_an_empty_body_is_an_empty_object(client):
    resp = await client.post("/things", data=b"", headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("count:")


async def test_path_parameters_are_validated_naming_the_field(client):
    assert await (await client.get("/slugs/abc")).json() == {"slug": "abc"}
    resp = await client.get("/slugs/ABC")
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("slug:")


@pytest.mark.parametrize("value", ["1700000000", "0.5", "-3", "-2.2e-311", " 1e9 "])
async def test_a_date_time_is_iso_8601_only(client, value):
    resp = await client.get("/window", params={"start": value})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("query parameter start:")


async def test_an_iso_date_time_is_read(client):
    resp = await client.get("/window", params={"start": "2024-05-01T12:00:00Z"})
    assert await resp.json() == {"start": "2024-05-01T12:00:00+00:00"}
