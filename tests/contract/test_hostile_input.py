"""Fuzzing every route of the OpenAPI description with hostile input: JSON nested far deeper than
any body needs (past the interpreter's recursion limit too) and strings holding NUL, in the body,
the query string and the path. Requests start from schema-valid cases (so the hostile part sits
where a real field is) and are sent as raw bytes to the live server; no answer may be a 5xx, and
a refusal is the reference's JSON error.

Budget: JARVIS_HOSTILE_EXAMPLES cases per operation (default 6), deterministic; on both
databases the whole module stays within about a minute on two cores.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from .spec import described_spec

EXAMPLES = int(os.environ.get("JARVIS_HOSTILE_EXAMPLES", "6"))
DEEP = "\ue000deep\ue000"  # where the deep nesting goes in the serialised body

SPEC = described_spec()
_schema = schemathesis.openapi.from_dict(SPEC, config=SchemathesisConfig.from_dict({
    "seed": 20240601,
    "generation": {"deterministic": True, "with-security-parameters": False,
                   "database": "none", "mode": "positive", "allow-x00": False},
}))
OPERATIONS = {
    op.label: op for op in (r.ok() for r in _schema.get_all_operations())
    if op.path != "/ws/{session_id}"
}


def _json_body(label: str) -> bool:
    method, path = label.split(" ", 1)
    body = SPEC["paths"][path][method.lower()].get("requestBody", {})
    return "application/json" in body.get("content", {})


# -- hostile values --------------------------------------------------------------------------

nul_text = st.builds(
    lambda before, after: f"{before}\x00{after}",
    st.text(max_size=8), st.text(max_size=8),
)
# depth past MAX_DEPTH (64), sometimes past the interpreter's recursion limit (~1000)
depth = st.one_of(st.integers(65, 200), st.integers(1_000, 20_000))
nest = st.sampled_from(["[", '{"a":'])


def deep_json(opening: str, levels: int) -> str:
    close = "]" if opening == "[" else "}"
    return opening * levels + "0" + close * levels


def _paths(value: Any, at: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: object members and list items, depth first."""
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*at, i))
    return found


def _replace(value: Any, at: tuple, new: Any) -> Any:
    if not at:
        return new
    head, rest = at[0], at[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


@st.composite
def hostile_request(draw, label: str) -> dict[str, Any]:
    """A schema-valid case of the operation with one hostile part."""
    op = OPERATIONS[label]
    case = draw(op.as_strategy())
    path_params = dict(case.path_parameters or {})
    query = dict(case.query or {})
    body = case.body if _json_body(label) else None
    kinds = ["nul_query"]
    if path_params:
        kinds.append("nul_path")
    if _json_body(label):
        kinds += ["deep_body", "nul_body", "deep_body", "nul_body"]
    kind = draw(st.sampled_from(kinds))
    raw: str | None = None
    if _json_body(label):
        base = body if isinstance(body, dict | list) else {}
        places = _paths(base)
        at = draw(st.sampled_from(places))
        if kind == "deep_body":
            raw = json.dumps(_replace(base, at, DEEP)).replace(
                json.dumps(DEEP), deep_json(draw(nest), draw(depth)))
        elif kind == "nul_body":
            if at and isinstance(at[-1], str) and draw(st.booleans()):
                at = (*at[:-1], at[-1] + "\x00")  # a member name with NUL
                target = _replace(base, at[:-1], {
                    **_get(base, at[:-1]), at[-1]: draw(nul_text)})
            else:
                target = _replace(base, at, draw(nul_text))
            raw = json.dumps(target)
        else:
            raw = json.dumps(base)
    if kind == "nul_query":
        name = draw(st.sampled_from(sorted(query) or ["q"]))
        query[name] = draw(nul_text)
    if kind == "nul_path":
        name = draw(st.sampled_from(sorted(path_params)))
        path_params[name] = draw(nul_text)
    path = op.path
    for name, value in path_params.items():
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    return {"method": op.method.upper(), "path": path, "query": query, "raw": raw, "kind": kind}


def _get(value: Any, at: tuple) -> Any:
    for part in at:
        value = value[part]
    return value


# -- the test ----------------------------------------------------------------------------------

SETTINGS = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_hostile_input_never_gets_a_server_error(label, live_server, callers, http_session):
    admin = callers["admin"]  # the admin reaches every route: no refusal hides what follows
    headers = {"Origin": live_server.base_url, "Cookie": f"jarvis_session={admin.credential}"}

    @SETTINGS
    @given(hostile_request(label))
    def check(request: dict[str, Any]) -> None:
        sent_headers = dict(headers)
        if request["raw"] is not None:
            sent_headers["Content-Type"] = "application/json"
        resp = http_session.request(
            request["method"], live_server.base_url + request["path"],
            params=request["query"], data=request["raw"], headers=sent_headers, timeout=60,
        )
        assert resp.status_code < 500, (
            f"{label} ({request['kind']}): {resp.status_code} {resp.text[:300]}")
        if resp.status_code == 400:
            body = resp.json()
            if request["path"].startswith("/v1/"):  # the OpenAI-compatible door: OpenAI's shape
                assert set(body) == {"error"} and body["error"]["message"], body
            else:
                assert set(body) == {"error", "detail"} and body["error"], body

    check()
