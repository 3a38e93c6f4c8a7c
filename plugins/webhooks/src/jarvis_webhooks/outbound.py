"""webhook_call: an agent calls one of the targets an admin set up, by name, and nothing else."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from jarvis import (
    Decision,
    OutboundError,
    Policy,
    PolicyRequest,
    Tool,
    ToolContext,
    ToolResult,
    allow,
    ask,
    deny,
    read_capped,
)
from pydantic import BaseModel, ConfigDict, Field

from . import targets, template
from .settings import WebhookSettings

RESOURCE = "webhooks.target"


class CallInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(min_length=1, max_length=64,
                        description="the name of a webhook target the admin set up")
    values: dict[str, str] = Field(default_factory=dict, max_length=50, description=(
        "the target's fields: each {{name}} of its body template, filled with this text"))


class TargetPolicy(Policy):
    """Only configured targets, admins' targets only for admins; ``confirm`` targets ask."""

    resource = RESOURCE

    async def check(self, request: PolicyRequest, ctx: Any) -> Decision:
        row = await targets.by_name(ctx.db, str(request.value))
        if row is None:
            return deny(f"no webhook target named {request.value!r} is set up")
        if row.admin_only and not ctx.user.is_admin:
            return deny(f"the webhook target {row.name} is for admins only")
        if row.confirm:
            return ask(f"the webhook target {row.name} asks before every call")
        return allow()


class WebhookCall(Tool):
    name = "webhook_call"
    group = "webhooks"
    description = ("Call one of the webhooks the admin set up, by its name, filling in its "
                   "fields. Returns the HTTP status and the start of the answer.")
    Input = CallInput
    side_effect = True
    reads_untrusted = True  # the answer is the target's words

    def __init__(self, settings: WebhookSettings):
        self.settings = settings

    def policy_requests(self, args: CallInput) -> list[PolicyRequest]:
        return [PolicyRequest(RESOURCE, args.target, tool_name=self.name)]

    def describe(self, args: CallInput) -> str:
        return f"call the webhook {args.target} with {args.values}"

    async def run(self, args: CallInput, ctx: ToolContext) -> ToolResult:
        row = await targets.by_name(ctx.db, args.target)
        if row is None:  # removed since the policy looked
            return ToolResult.failure(f"no webhook target named {args.target!r} is set up")
        try:
            body = template.render(row.body_template, args.values, row.content_type)
        except ValueError as err:
            return ToolResult.failure(f"not sent: {err}")
        data = body.encode()
        if len(data) > self.settings.max_request_bytes:
            return ToolResult.failure(
                f"not sent: the body is over {self.settings.max_request_bytes} bytes")
        headers = await targets.headers_of(ctx.context.vault, row.id)
        if row.body_template is not None:
            headers.setdefault("Content-Type", row.content_type)
        try:
            status, answer, cut = await self._send(ctx, row, headers, data)
        except (OutboundError, aiohttp.ClientError, TimeoutError) as err:
            why = str(err) or f"no answer within {self.settings.timeout:g} s"
            await ctx.audit("webhook_sent", f"{row.name}: not sent: {why}", success=False,
                            target=row.name, url=row.url, method=row.method,
                            request_bytes=len(data))
            return ToolResult.failure(f"not sent to {row.name}: {why}")
        summary = f"{row.name} answered HTTP {status}"
        await ctx.audit("webhook_sent", summary, success=200 <= status < 300, target=row.name,
                        url=row.url, method=row.method, status=status,
                        request_bytes=len(data), response_bytes=len(answer))
        text = answer.decode("utf-8", errors="replace")
        if cut:
            text += f"\n[answer cut at {self.settings.max_response_bytes} bytes]"
        if not 200 <= status < 300:
            return ToolResult(ok=False, error=f"{summary}: {text[:2000]}", summary=summary)
        return ToolResult(content=f"{summary}.\n{text}", summary=summary)

    async def _send(self, ctx: ToolContext, row: Any, headers: dict[str, str],
                    data: bytes) -> tuple[int, bytes, bool]:
        # the target's own URL only: a redirect is an answer, never followed elsewhere
        url = ctx.http.check_url(row.url)
        body = data if row.body_template is not None else None
        async with (asyncio.timeout(self.settings.timeout), ctx.http.session() as session,
                    session.request(row.method, url, headers=headers, data=body,
                                    allow_redirects=False) as response):
            answer, cut = await read_capped(response, self.settings.max_response_bytes)
            return response.status, answer, cut

