"""The one middleware every request passes, doing in order: the access log and the metrics,
errors to JSON, input that no route takes (NUL in the URL, credentials in the query string),
and each route's access check. One layer rather than four: each costs a coroutine per request."""

from __future__ import annotations

import logging
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from .errors import JarvisError, TooManyRequests
from .jsoninput import NUL, nul_message
from .keys import AUTHENTICATOR
from .logs import request_fields
from .metrics import METRICS
from .web import PRINCIPAL, Access, route_spec

log = logging.getLogger("jarvis.http")
access_log = logging.getLogger("jarvis.access")

_HTTP_MESSAGES = {404: "not found", 405: "method not allowed"}


def error_body(status: int, message: str, detail: object = None,
               request: web.Request | None = None) -> web.Response:
    """The JSON error: ``{"error", "detail"}``, or the shape the route declares."""
    spec = route_spec(request.match_info.handler) if request is not None else None
    if spec is not None and spec.error_model is not None:
        body = spec.error_model.from_error(status, message, detail).model_dump()
        return web.json_response(body, status=status)
    return web.json_response({"error": message, "detail": detail}, status=status)


@web.middleware
async def request_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer is counted for the metrics (by route pattern: ids stay out) and logged in
    one INFO line: method, path (never the query string, which may hold a token), status,
    duration and the user's id; never a cookie, key or body. Every error leaves as
    ``{"error", "detail"}`` JSON; no stack trace ever does."""
    fields: dict[str, object] = {"method": request.method, "path": request.path, "user_id": None}
    token = request_fields.set(fields)
    started = time.perf_counter()
    status = 500
    try:
        response: web.StreamResponse
        try:
            refused = _refused_input(request)
            spec = route_spec(request.match_info.handler)
            if refused is not None:
                response = refused
            elif spec is None or spec.access is Access.ANON:
                response = await handler(request)
            else:
                # The access check, inline: another coroutine per request costs as much.
                authenticator = request.app.get(AUTHENTICATOR)
                principal = await authenticator.authenticate(request) if authenticator else None
                if principal is None:
                    response = error_body(401, "not authenticated", None, request)
                elif spec.access is Access.ADMIN and not principal.user.is_admin:
                    response = error_body(403, "admin only", None, request)
                else:
                    request[PRINCIPAL] = principal
                    fields["user_id"] = principal.user.id
                    response = await handler(request)
        except JarvisError as err:
            response = _jarvis_error(err, request)
        except web.HTTPException as exc:
            if exc.status < 400 or exc.status == 101:
                raise
            response = _http_error(exc, request)
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.path)
            response = error_body(500, "internal server error", None, request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        request_fields.reset(token)
        _observed(request, status, started, fields)


def _refused_input(request: web.Request) -> web.Response | None:
    """The 400 for input that no route takes: NUL in the URL, credentials in the query."""
    if not request.query_string and NUL not in request.path:
        return None
    refused = _refused_url(request)
    authenticator = request.app.get(AUTHENTICATOR)
    if refused is None and authenticator is not None:
        refused = authenticator.refuse_query_credentials(request)
    return refused


def _refused_url(request: web.Request) -> web.Response | None:
    """400 for a NUL character in the path or the query string: no path parameter or query
    parameter takes one (and PostgreSQL text cannot hold it)."""
    if NUL in request.path:
        return error_body(400, nul_message("path"), None, request)
    if request.query_string:
        for name, value in request.query.items():
            if NUL in name or NUL in value:
                shown = name.replace(NUL, "\\u0000")
                return error_body(400, nul_message(f"query parameter {shown}"), None, request)
    return None


def _jarvis_error(err: JarvisError, request: web.Request) -> web.Response:
    resp = error_body(err.status, err.message, err.detail, request)
    if isinstance(err, TooManyRequests) and err.retry_after is not None:
        resp.headers["Retry-After"] = str(max(1, round(err.retry_after)))
    return resp


def _http_error(exc: web.HTTPException, request: web.Request) -> web.Response:
    """aiohttp's own 4xx/5xx (no such route, method not allowed, ...) as the JSON error."""
    message = _HTTP_MESSAGES.get(exc.status, exc.reason)
    detail = None
    if exc.status == 404:
        detail = f"no route for {request.method} {request.path}"
    resp = error_body(exc.status, message, detail, request)
    if exc.status == 405 and "Allow" in exc.headers:
        resp.headers["Allow"] = exc.headers["Allow"]
    return resp


def _observed(request: web.Request, status: int, started: float,
              fields: dict[str, object]) -> None:
    """Count the answer and write its access-log line."""
    metrics = request.app.get(METRICS)
    if metrics is not None:
        route = request.match_info.route.resource
        metrics.count_request(
            request.method, route.canonical if route is not None else "unmatched", status)
    if access_log.isEnabledFor(logging.INFO):
        who = request.get(PRINCIPAL)
        fields.update(
            status=status, duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=who.user.id if who else None, remote=request.remote,
        )
        access_log.info(
            "%s %s %d %.1fms%s", request.method, request.path, status,
            fields["duration_ms"], f" user={who.user.id}" if who else "", extra=fields,
        )
