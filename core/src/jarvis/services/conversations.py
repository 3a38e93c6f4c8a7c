"""Stored conversations: create, append, list, read, rename and delete (owner only)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database, new_id
from ..errors import NotFound
from ..models.conversations import Conversation, StoredMessage
from ..models.tables import table_of
from ..pagination import Window, read_page
from ..timeutil import iso, utcnow

conversations = table_of(Conversation)
messages = table_of(StoredMessage)

TITLE_LIMIT = 80
# every row of one insert needs the same keys
_EMPTY: dict[str, Any] = {"content": "", "model_content": None, "tool_calls": None,
                          "tool_call_id": None, "tool_name": None, "is_error": False,
                          "attachments": None}


def title_from(text: str) -> str:
    """A conversation's title: the first line of its first message, shortened."""
    line = " ".join(text.strip().split("\n", 1)[0].split())
    if len(line) <= TITLE_LIMIT:
        return line or "New conversation"
    return line[: TITLE_LIMIT - 1].rstrip() + "…"


async def create(db: Database, user_id: str, first_message: str, *,
                 session_id: str | None = None, model: str | None = None) -> str:
    """A new conversation titled from its first message; returns its id."""
    row = new_row(user_id, first_message, session_id=session_id, model=model)
    async with db.write() as conn:
        await conn.execute(insert(conversations).values(**row))
    return str(row["id"])


def new_row(user_id: str, first_message: str, *, session_id: str | None = None,
            model: str | None = None) -> dict[str, Any]:
    """The row of a new conversation (:func:`create`), for a caller inserting it with more."""
    now = utcnow()
    return {"id": new_id(), "user_id": user_id, "session_id": session_id,
            "title": title_from(first_message), "model": model, "started_at": now,
            "updated_at": now}


async def owned(db: Database, user_id: str, conversation_id: str) -> dict[str, Any]:
    """The conversation row if it belongs to ``user_id``; NotFound otherwise."""
    async with db.read() as conn:
        row = (await conn.execute(
            select(conversations).where(conversations.c.id == conversation_id)
        )).mappings().first()
    if row is None or row["user_id"] != user_id:
        raise NotFound("conversation not found")
    return dict(row)


async def append(db: Database, rows: list[dict[str, Any]], *, conversation_id: str | None,
                 run_id: str | None, model: str | None = None) -> None:
    """Store messages of a run (and of its conversation, if any) in one transaction."""
    if rows:
        async with db.write() as conn:
            await insert_messages(conn, rows, conversation_id=conversation_id, run_id=run_id,
                                  model=model)


async def insert_messages(conn: AsyncConnection, rows: list[dict[str, Any]], *,
                          conversation_id: str | None, run_id: str | None,
                          model: str | None = None) -> None:
    """The inserts of :func:`append`, inside the caller's transaction."""
    await insert_messages_of_runs(conn, [(rows, conversation_id, run_id, model)])


async def insert_messages_of_runs(
    conn: AsyncConnection,
    batches: Sequence[tuple[list[dict[str, Any]], str | None, str | None, str | None]],
) -> None:
    """:func:`insert_messages` for several runs at once, each ``(rows, conversation id, run
    id, model)``: one insert of all their rows, one update of their conversations."""
    now = utcnow()
    rows = [{**_EMPTY, "conversation_id": conversation_id, "run_id": run_id, "created_at": now,
             **row} for batch, conversation_id, run_id, _model in batches for row in batch]
    if not rows:
        return
    await conn.execute(insert(messages), rows)
    touched = {conversation_id: model for batch, conversation_id, _run_id, model in batches
               if batch and conversation_id is not None}
    for with_model in (True, False):
        values: dict[str, Any] = {"updated_at": now}
        if with_model:
            values["model"] = bindparam("new_model")
        params = [{"conversation": cid, **({"new_model": model} if with_model else {})}
                  for cid, model in touched.items() if bool(model) == with_model]
        if params:
            await conn.execute(
                update(conversations).where(conversations.c.id == bindparam("conversation"))
                .values(**values), params)


async def message_rows(db: Database, *, conversation_id: str | None = None,
                       run_id: str | None = None) -> list[dict[str, Any]]:
    """The stored messages of a conversation or of a run, oldest first."""
    cond = (messages.c.conversation_id == conversation_id if conversation_id is not None
            else messages.c.run_id == run_id)
    async with db.read() as conn:
        rows = (await conn.execute(select(messages).where(cond).order_by(messages.c.id))).mappings()
        return [dict(r) for r in rows.all()]


def message_out(row: dict[str, Any]) -> dict[str, Any]:
    """One stored message as the API shows it."""
    out: dict[str, Any] = {"id": row["id"], "role": row["role"], "content": row["content"],
                           "run_id": row["run_id"], "created_at": iso(row["created_at"])}
    if row["role"] == "assistant":
        out["tool_calls"] = json.loads(row["tool_calls"] or "[]")
    elif row["role"] == "tool":
        out.update(tool_call_id=row["tool_call_id"], tool_name=row["tool_name"],
                   is_error=bool(row["is_error"]))
    else:
        out["attachments"] = json.loads(row["attachments"] or "[]")
    return out


async def page(db: Database, user_id: str, window: Window) -> dict[str, Any]:
    """The user's conversations, newest first, with their message counts (counted for the
    page's conversations only)."""
    counted = (select(func.count()).where(messages.c.conversation_id == conversations.c.id)
               .scalar_subquery().label("message_count"))
    query = select(conversations.c.id, conversations.c.title, conversations.c.model,
                   conversations.c.started_at, counted)
    async with db.read() as conn:
        found = await read_page(conn, query, conversations, [conversations.c.user_id == user_id],
                                window, when="started_at")
    return {
        "conversations": [
            {"id": r.id, "title": r.title, "model": r.model, "started_at": iso(r.started_at),
             "message_count": r.message_count}
            for r in found.rows
        ],
        "total": found.total, "total_exact": found.exact, "next_cursor": found.next_cursor,
    }


async def detail(db: Database, user_id: str, conversation_id: str) -> dict[str, Any]:
    """One conversation with all its messages."""
    conv = await owned(db, user_id, conversation_id)
    rows = await message_rows(db, conversation_id=conversation_id)
    return {"id": conv["id"], "title": conv["title"], "model": conv["model"],
            "started_at": iso(conv["started_at"]), "messages": [message_out(r) for r in rows]}


async def rename(db: Database, user_id: str, conversation_id: str, title: str) -> None:
    async with db.write() as conn:
        result = await conn.execute(
            update(conversations)
            .where(conversations.c.id == conversation_id, conversations.c.user_id == user_id)
            .values(title=title, updated_at=utcnow())
        )
    if not result.rowcount:
        raise NotFound("conversation not found")


async def remove(db: Database, user_id: str, conversation_id: str) -> None:
    """Delete a conversation and its messages (the run rows stay, without them)."""
    async with db.write() as conn:
        result = await conn.execute(
            delete(conversations)
            .where(conversations.c.id == conversation_id, conversations.c.user_id == user_id)
        )
        if result.rowcount:
            await conn.execute(
                delete(messages).where(messages.c.conversation_id == conversation_id))
    if not result.rowcount:
        raise NotFound("conversation not found")
