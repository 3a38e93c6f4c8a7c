"""The two middlewares every request passes: errors to JSON, and the access check."""

from __future__ import annotations

import logging

from aiohttp import web

from .errors import JarvisError, TooManyRequests
from .keys import AUTHENTICATOR
from .web import PRINCIPAL, Access, route_spec

log = logging.getLogger("jarvis.http")


def error_body(status: int, message: str, detail: object = None,
               request: web.Request | None = None) -> web.Response:
    """The JSON error: ``{"error", "detail"}``, or the shape the route declares."""
    spec = route_spec(request.match_info.handler) if request is not None else None
    if spec is not None and spec.error_model is not None:
        body = spec.error_model.from_error(status, message, detail).model_dump()
        return web.json_response(body, status=status)
    return web.json_response({"error": message, "detail": detail}, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    """Every error leaves as ``{"error", "detail"}`` JSON; no stack trace ever does."""
    try:
        return await handler(request)
    except JarvisError as err:
        resp = error_body(err.status, err.message, err.detail, request)
        if isinstance(err, TooManyRequests) and err.retry_after is not None:
            resp.headers["Retry-After"] = str(max(1, round(err.retry_after)))
        return resp
    except web.HTTPException as exc:
        if exc.status < 400 or exc.status == 101:
            raise
        message = {404: "not found", 405: "method not allowed"}.get(exc.status, exc.reason)
        detail = None
        if exc.status == 404:
            detail = f"no route for {request.method} {request.path}"
        resp = error_body(exc.status, message, detail, request)
        if exc.status == 405 and "Allow" in exc.headers:
            resp.headers["Allow"] = exc.headers["Allow"]
        return resp
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_body(500, "internal server error", None, request)


@web.middleware
async def access_middleware(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    """Enforce each route's declared access: anonymous, user, owner or admin."""
    spec = route_spec(request.match_info.handler)
    if spec is None or spec.access is Access.ANON:
        return await handler(request)
    authenticator = request.app.get(AUTHENTICATOR)
    principal = await authenticator.authenticate(request) if authenticator else None
    if principal is None:
        return error_body(401, "not authenticated", None, request)
    if spec.access is Access.ADMIN and not principal.user.is_admin:
        return error_body(403, "admin only", None, request)
    request[PRINCIPAL] = principal
    return await handler(request)
