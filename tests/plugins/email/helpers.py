"""Helpers for the email tests: API shortcuts, accounts on the test servers, letters."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

from jarvis import ToolContext, ToolResult
from jarvis.testing.clients import JarvisClient
from jarvis.testing.plugins import run_tool, tool_context
from jarvis.testing.polling import eventually


async def ok(resp: Any, status: int = 200) -> Any:
    body = await resp.json()
    assert resp.status == status, (resp.status, body)
    return body


async def whitelist(admin: JarvisClient, email: str, daily_limit: int = 0) -> None:
    await ok(await admin.post("/api/email-whitelist",
                              json={"email": email, "daily_limit": daily_limit}), 201)


async def make_agent(client: JarvisClient, **fields: Any) -> str:
    body = {"name": "Mail helper", "prompt": "Answer the mail.", "model": "fake:echo", **fields}
    return (await ok(await client.post("/api/agents", json=body), 201))["id"]


def account_body(imap: Any = None, mailbox: tuple[str, str] | None = None, sink: Any = None,
                 **fields: Any) -> dict[str, Any]:
    """An account on the test servers (plain connections on loopback)."""
    user, password = mailbox or ("nobody", "none")
    body: dict[str, Any] = {
        "label": "Work", "account_type": "handling",
        "imap_host": imap.host if imap else "imap.example.com",
        "imap_port": imap.port if imap else 993, "imap_tls": "none" if imap else "ssl",
        "imap_username": user, "imap_password": password,
        "from_address": "jarvis@example.com",
    }
    if sink is not None:
        body.update(smtp_host=sink.host, smtp_port=sink.port, smtp_tls="none",
                    smtp_username="jarvis", smtp_password="smtp-secret")
    body.update(fields)
    return body


async def make_account(client: JarvisClient, **body: Any) -> dict[str, Any]:
    return await ok(await client.post("/api/email-accounts", json=body), 201)


def agent_context(client: JarvisClient, tmp_path: Path,
                  allowed_tools: list[str] | None = None) -> ToolContext:
    """The context of an agent run of the client's user, with ``tmp_path`` as the user folder."""
    return tool_context(client.app, client.user, kind="agent", allowed_tools=allowed_tools,
                        user_folder=tmp_path)


async def run_as_agent(client: JarvisClient, tmp_path: Path, name: str,
                       allowed_tools: list[str] | None = None, **args: Any) -> ToolResult:
    """Run the tool ``name`` in an agent run of the client's user."""
    return await run_tool(client, name, agent_context(client, tmp_path, allowed_tools), **args)


def letter(subject: str, body: str = "Hello.\n", sender: str = "boss@example.com",
           message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"The Boss <{sender}>"
    message["To"] = "jarvis@example.com"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    return message


async def account_status(client: JarvisClient, account_id: str) -> str | None:
    return (await ok(await client.get(f"/api/email-accounts/{account_id}")))["status"]


async def listening(client: JarvisClient, account_id: str, state: str = "idle") -> str:
    """Wait until the account's listener reports ``state`` (idle or polling)."""
    async def ready() -> str | None:
        status = await account_status(client, account_id)
        return status if status and f": {state}" in status and "(" not in status else None

    return await eventually(ready)
