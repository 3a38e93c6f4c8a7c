"""Contract tests: schemathesis generates requests from the OpenAPI description and checks every
answer of a live server (all installed plugins) against it, as three callers: an admin with a
session cookie, a user with a session cookie, and the admin's API key (``X-API-Key``).

Checks: not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance, response_headers_conformance, negative_data_rejection,
positive_data_acceptance (except where validity is not a JSON Schema matter, see
STATE_DEPENDENT) and ignored_auth (requests without and with a wrong credential must get 401).

Run: ``uv run pytest tests/contract``. CI runs a fixed, deterministic budget: per operation and
caller the schema's examples and JARVIS_CONTRACT_EXAMPLES=10 generated cases (positive and
negative), plus, for the admin, schemathesis' coverage cases (boundary and invalid values of every
field). A deeper search: ``JARVIS_CONTRACT_EXAMPLES=500 uv run pytest tests/contract``.
``TEST_DATABASE=postgresql`` runs it on PostgreSQL.

Left out of generation: ``GET /ws/{session_id}``, a WebSocket upgrade rather than a REST call
(tests/core/runtime/test_chat_ws.py covers it), and ``POST /mcp``, the MCP protocol (JSON-RPC)
rather than a REST call (tests/plugins/mcp/test_serve.py covers it with the SDK's own client). Made
harmless rather than left out: changes to the callers' own accounts and key (PUT/DELETE of their
user, MFA set up by an admin, deleting the key in use) get an unknown id instead, so one case
cannot lock the callers out of the rest of the run; ``POST /api/auth/logout`` ends a fresh session
of the caller, never the one the run uses.
"""

from __future__ import annotations

import os

import requests
import schemathesis
from hypothesis import HealthCheck, settings
from jarvis.db import new_id
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .spec import described_spec

EXAMPLES = int(os.environ.get("JARVIS_CONTRACT_EXAMPLES", "10"))


def _config(coverage: bool) -> SchemathesisConfig:
    """Deterministic generation; the callers send their credentials themselves."""
    return SchemathesisConfig.from_dict({
        "seed": 20240601,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        # NUL is refused in every string of a body, query or path (a documented 400 that JSON
        # Schema does not state per field); test_hostile_input.py sends it on purpose.
        "generation": {"max-examples": EXAMPLES, "deterministic": True,
                       "with-security-parameters": False, "database": "none",
                       "allow-x00": False},
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": coverage}},
        # A JSON body over the server's size limit gets 413 whatever it holds: a size in bytes
        # is not something JSON Schema states (100 000 characters of emoji are 1.2 MB of JSON).
        "checks": {
            "positive_data_acceptance": {"expected-statuses": [
                "2xx", "3xx", "401", "403", "404", "409", "413", "429"]},
            "negative_data_rejection": {"expected-statuses": [
                "400", "401", "403", "404", "405", "409", "413", "415", "429"]},
        },
    })


SPEC = described_spec()
# The admin gets schemathesis' coverage phase too (boundary and invalid values of every field:
# validation does not depend on the caller); the user and the API key get the schema's examples
# and generated cases, positive and negative.
full = schemathesis.openapi.from_dict(SPEC, config=_config(coverage=True))
light = schemathesis.openapi.from_dict(SPEC, config=_config(coverage=False))
full, light = (s.exclude(path="/ws/{session_id}").exclude(path="/mcp") for s in (full, light))

SETTINGS = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)

CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_schema_conformance, response_headers_conformance, negative_data_rejection,
    positive_data_acceptance, ignored_auth,
]

# Where a request can match the description and still get a 400 naming the field, because its
# validity depends on the server's state or on rules JSON Schema cannot state.
STATE_DEPENDENT = {
    "POST /api/my/password": "current_password must be the caller's password",
    "POST /api/admin/users": "password must not be a common password or the user name",
    "PUT /api/admin/users/{id}": "password must not be a common password or the user name",
    "POST /api/setup": "password must not be a common password or the user name",
    "POST /api/my/caldav": "password may be left out only when one is stored for that server",
    "POST /api/my/pushover": "user_key may be left out only when one is stored",
    "POST /api/my/contacts": "password may be left out only when one is stored for that server; "
                             "server_url must be an http(s) URL without login or query",
    "POST /api/my/mfa-confirm": "code must be a current TOTP code of the secret set up",
    "POST /api/my/mfa-disable": "code must be a current TOTP code",
    "POST /api/settings/general": "time_zone must name a zone of the server's tz database",
    "POST /api/settings/provider": "default_provider must be a loaded provider",
    "POST /api/agents": "schedule is a cron expression; model and allowed_tools must exist",
    "PUT /api/agents/{id}": "schedule is a cron expression; model and allowed_tools must exist",
    "POST /api/tasks": "schedule is a cron expression; allowed_tools must exist",
    "GET /api/schedule-preview": "schedule is a cron expression",
    "GET /api/conversations": "cursor must be a next_cursor this server gave out",
    "GET /api/runs": "cursor must be a next_cursor this server gave out",
    "GET /api/audit": "cursor must be a next_cursor this server gave out",
    "PUT /api/tasks/{id}": "schedule is a cron expression; allowed_tools must exist",
    "POST /api/telegram/triggers": "agent_id must be one of the caller's agents",
    "POST /api/telegram/whitelist": "user_ids must name existing users",
    "PUT /api/telegram/whitelist/{chat_id}": "user_ids must name existing users",
    "PUT /api/telegram/triggers/{id}": "agent_id must be one of the caller's agents",
    "POST /api/web-whitelist": "domain is read as a name, URL or IDN and must be a full domain",
    "POST /api/my/browser-trusted": "domain is read as a name, URL or IDN and must be a full "
                                    "domain",
    "POST /api/filesystem-whitelist": "path must be a folder that exists on the server",
    "GET /api/filesystem-browser": "path must be a folder of the server",
    "GET /api/my/files": "each part of path is at most 255 bytes (the file system's limit)",
    "DELETE /api/my/files": "each part of path is at most 255 bytes (the file system's limit)",
    "POST /api/my/files": "each part of path is at most 255 bytes (the file system's limit)",
    "GET /api/my/files/download": "path must name a file; each part at most 255 bytes",
    "GET /api/my/files/download-zip": "path must name a folder; each part at most 255 bytes",
    "POST /api/email-accounts": "hosts are read as host names or IP addresses, user names as "
                                "IMAP atoms, from_address as one plain address; reply needs "
                                "smtp_host; agent_id must be one of the caller's agents",
    "PUT /api/email-accounts/{id}": "as for POST /api/email-accounts, on the merged account",
    "POST /api/email-whitelist": "email is read as one plain address, name@domain",
    "POST /api/email-rules": "account_id must be one of the caller's trigger accounts and "
                             "agent_id one of their agents",
    "PUT /api/email-rules/{id}": "account_id must be one of the caller's trigger accounts and "
                                 "agent_id one of their agents",
    "POST /v1/chat/completions": "model must be one of the caller's models (GET /v1/models) and "
                                 "the last message the user's, with text",
    "POST /api/mcp-servers": "url or command depends on transport; the URL must pass the "
                             "outbound guard; names are unique per user",
    "PUT /api/mcp-servers/{id}": "url or command depends on transport; the URL must pass the "
                                 "outbound guard; names are unique per user",
    "POST /api/webhooks/targets": "the URL must pass the outbound guard; the template must be "
                                  "{{name}} placeholders (JSON for JSON); names are unique",
    "PUT /api/webhooks/targets/{id}": "as for POST /api/webhooks/targets, on the merged target",
    "POST /api/webhooks/inbound": "agent_id must be one of the caller's agents",
    "POST /api/hooks/{token}": "the token must name a hook and the body carry its signature",
}

# Operations that change an account or key by id: the callers' own ids are swapped for unknown
# ones, so that no case disables, demotes or deletes a caller, or deletes the key in use.
OWN_IDS_SWAPPED = {
    "PUT /api/admin/users/{id}", "DELETE /api/admin/users/{id}",
    "POST /api/admin/users/{id}/mfa-setup", "POST /api/admin/users/{id}/mfa-disable",
    "DELETE /api/my/api-keys/{id}",
}


def test_served_description_is_the_one_tested(live_server):
    served = requests.get(f"{live_server.base_url}/api/openapi.json", timeout=30).json()
    assert served == SPEC


def _call(case, live_server, callers, name, http):
    caller = callers[name]
    label = case.operation.label
    if label in OWN_IDS_SWAPPED:
        own = {c.user.id for c in callers.values()} | {c.key_id for c in callers.values()}
        if case.path_parameters and case.path_parameters.get("id") in own:
            case.path_parameters = {**case.path_parameters, "id": new_id()}
    credential = caller.credential
    if label == "POST /api/auth/logout" and caller.scheme == "cookieAuth":
        credential = live_server.cookie_for(caller.user)  # a session of its own to end
    headers = {"Origin": live_server.base_url}
    if caller.scheme == "cookieAuth":
        headers["Cookie"] = f"jarvis_session={credential}"
    else:
        headers["X-API-Key"] = credential
    checks = [c for c in CHECKS if not (c is positive_data_acceptance and label in STATE_DEPENDENT)]
    case.call_and_validate(base_url=live_server.base_url, session=http, headers=headers,
                           checks=checks)


@SETTINGS
@full.parametrize()
def test_as_admin(case, live_server, callers, http_session):
    _call(case, live_server, callers, "admin", http_session)


@SETTINGS
@light.parametrize()
def test_as_user(case, live_server, callers, http_session):
    _call(case, live_server, callers, "user", http_session)


@SETTINGS
@light.parametrize()
def test_as_api_key(case, live_server, callers, http_session):
    _call(case, live_server, callers, "api_key", http_session)
