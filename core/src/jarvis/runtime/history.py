"""Between the model's messages and the stored rows of a conversation, both ways."""

from __future__ import annotations

import json
from typing import Any

from ..providers.base import (
    Block,
    DocumentBlock,
    ImageBlock,
    Message,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
)
from .events import MessageAdded

NOT_RUN = "not run: the run ended before this call"


def to_rows(event: MessageAdded) -> list[dict[str, Any]]:
    """The rows to store for one message of the history."""
    msg = event.message
    if msg.role == "assistant":
        text = "".join(b.text for b in msg.content if isinstance(b, TextBlock))
        calls = [
            {"id": b.id, "name": b.name, "arguments": b.input}
            for b in msg.content if isinstance(b, ToolUseBlock)
        ]
        return [{"role": "assistant", "content": text,
                 "tool_calls": json.dumps(calls) if calls else None}]
    rows: list[dict[str, Any]] = []
    texts: list[str] = []
    attachments: list[dict[str, Any]] = []
    for b in msg.content:
        if isinstance(b, ToolResultBlock):
            display = event.display.get(b.tool_use_id, b.content)
            rows.append({
                "role": "tool", "tool_call_id": b.tool_use_id,
                "tool_name": event.tool_names.get(b.tool_use_id), "content": display,
                "model_content": b.content if display != b.content else None,
                "is_error": b.is_error,
            })
        elif isinstance(b, TextBlock):
            texts.append(b.text)
        elif isinstance(b, ImageBlock | DocumentBlock):
            # the data stays in the live session only; the record keeps what it was
            attachments.append({
                "name": getattr(b, "name", "") or "image", "media_type": b.media_type,
                "size": len(b.data) * 3 // 4,
            })
    if texts or attachments:
        rows.append({"role": "user", "content": "\n\n".join(texts),
                     "attachments": json.dumps(attachments) if attachments else None})
    return rows


def to_messages(rows: list[dict[str, Any]]) -> list[Message]:
    """A stored conversation as the model's history, repaired so every provider accepts it."""
    out: list[Message] = []
    for row in rows:
        role = row["role"]
        if role == "assistant":
            blocks: list[Any] = [TextBlock(row["content"])] if row["content"] else []
            for c in json.loads(row["tool_calls"] or "[]"):
                blocks.append(ToolUseBlock(c["id"], c["name"], c.get("arguments") or {}))
            _append(out, Message("assistant", blocks))
        elif role == "tool":
            content = row.get("model_content") or row["content"]
            _append(out, Message("user", [
                ToolResultBlock(row["tool_call_id"] or "", content, bool(row["is_error"]))
            ]))
        else:
            blocks = [TextBlock(row["content"])] if row["content"] else []
            for a in json.loads(row.get("attachments") or "[]"):
                blocks.append(TextBlock(
                    f"[attachment {a.get('name')} ({a.get('media_type')}) is no longer available]"
                ))
            _append(out, Message("user", blocks))
    return repair(out)


def _append(out: list[Message], msg: Message) -> None:
    # consecutive messages of one role become one: vendors want them alternating
    if out and out[-1].role == msg.role:
        out[-1].content.extend(msg.content)
    elif msg.content:
        out.append(msg)


def repair(messages: list[Message]) -> list[Message]:
    """Pair every tool call with a result (a stored run may have ended between them), drop
    results without a call, and start with a user message."""
    fixed: list[Message] = []
    pending: list[str] = []
    for msg in messages:
        if msg.role == "assistant":
            if pending:
                _append(fixed, Message("user", _not_run(pending)))
            pending = [b.id for b in msg.content if isinstance(b, ToolUseBlock)]
            _append(fixed, Message("assistant", list(msg.content)))
            continue
        blocks: list[Block] = []
        answered: list[str] = []
        for b in msg.content:
            if isinstance(b, ToolResultBlock):
                if b.tool_use_id in pending and b.tool_use_id not in answered:
                    answered.append(b.tool_use_id)
                    blocks.append(b)
            else:
                blocks.append(b)
        missing = _not_run([i for i in pending if i not in answered])
        pending = []
        # results first: the vendors want them at the start of the user's turn
        results: list[Block] = [b for b in blocks if isinstance(b, ToolResultBlock)]
        results += missing
        others: list[Block] = [b for b in blocks if not isinstance(b, ToolResultBlock)]
        _append(fixed, Message("user", results + others))
    if pending:
        _append(fixed, Message("user", _not_run(pending)))
    while fixed and fixed[0].role != "user":
        fixed.pop(0)
    return fixed


def _not_run(ids: list[str]) -> list[Block]:
    return [ToolResultBlock(i, NOT_RUN, True) for i in ids]


def flatten(messages: list[Message]) -> list[Message]:
    """The history with tool calls and results spelt out as text, for a request that offers
    no tools (vendors refuse tool blocks in a request without tool definitions)."""
    out: list[Message] = []
    for msg in messages:
        blocks: list[Any] = []
        for b in msg.content:
            if isinstance(b, ToolUseBlock):
                blocks.append(TextBlock(f"[called the tool {b.name} with {json.dumps(b.input)}]"))
            elif isinstance(b, ToolResultBlock):
                status = "error" if b.is_error else "result"
                blocks.append(TextBlock(f"[{status} of the call {b.tool_use_id}:\n{b.content}]"))
            else:
                blocks.append(b)
        _append(out, Message(msg.role, blocks))
    return out
