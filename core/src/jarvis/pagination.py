"""Paging newest first: page numbers (the reference's ``page``, an OFFSET) or a keyset cursor
(``cursor``: the time and id of the last row shown), which reads a deep page as fast as the
first; and a count of the matching rows that stops at TOTAL_CAP.

A cursor is opaque to clients: URL-safe base64 of ``<time, ISO 8601 to the microsecond>|<id>``.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from .errors import BadRequest

# Up to this many matching rows ``total`` is exact; beyond, counting stops (capped_total).
TOTAL_CAP = 10_000

# What the paged listings' OpenAPI document says of the fields they share.
CURSOR_HELP = ("the next_cursor of the previous page: the page after it, read as fast at any "
               "depth (page is then ignored)")
TOTAL_HELP = (f"how many match; counting stops after {TOTAL_CAP:,}: beyond, a lower bound "
              "that reaches past this page (total_exact false)")
EXACT_HELP = "false when total is a lower bound (more matched than counting went to)"
NEXT_HELP = "the cursor of the next page (null on the last page)"


def encode_cursor(at: datetime, key: str | int) -> str:
    raw = f"{at.isoformat(timespec='microseconds')}|{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The time and id in a cursor; a 400 naming ``cursor`` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, key = raw.split("|", 1)
        return datetime.fromisoformat(at), key
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("cursor: not a cursor this server gave out") from None


@dataclass(slots=True)
class Window:
    """Which rows one request asks for: a page number or a cursor, and their number."""

    page: int = 1
    per_page: int = 50
    cursor: str | None = None

    def apply(self, query: Select[Any], when: Any, key: Any,
              key_type: type = str) -> Select[Any]:
        """``query`` newest first (``when``, then ``key``), limited to this window plus one row
        (whether there is a next page)."""
        if self.cursor is not None:
            at, last = decode_cursor(self.cursor)
            try:
                typed = key_type(last)
            except ValueError:
                raise BadRequest("cursor: not a cursor this server gave out") from None
            # a row value: both databases walk the (…, time, id) index from that point on
            query = query.where(tuple_(when, key) < tuple_(at, typed))
        else:
            query = query.offset((self.page - 1) * self.per_page)
        return query.order_by(when.desc(), key.desc()).limit(self.per_page + 1)

    def offset(self) -> int:
        return 0 if self.cursor is not None else (self.page - 1) * self.per_page


@dataclass(slots=True)
class Paged:
    """One page of rows, how many match (``exact``: counted to the end) and the next page's
    cursor (None on the last page)."""

    rows: list[Any]
    total: int
    exact: bool
    next_cursor: str | None


async def read_page(conn: AsyncConnection, query: Select[Any], table: Any,
                    where: list[ColumnElement[bool]], window: Window, when: str = "created_at",
                    key: str = "id", key_type: type = str) -> Paged:
    """The rows of ``query`` (over ``table``, filtered by ``where``) in ``window``, newest
    first by ``when`` then ``key``, with their count (see :func:`capped_total`)."""
    rows = list((await conn.execute(
        window.apply(query.where(*where), table.c[when], table.c[key], key_type))).all())
    more = len(rows) > window.per_page
    shown = rows[: window.per_page]
    following = encode_cursor(getattr(shown[-1], when), getattr(shown[-1], key)) if more else None
    if window.cursor is None and window.page == 1 and not more:
        return Paged(shown, len(shown), True, None)  # everything is on this page: no count
    total, exact = await capped_total(conn, table, where, window, len(shown), more)
    return Paged(shown, total, exact, following)


async def capped_total(conn: AsyncConnection, table: Any, where: list[ColumnElement[bool]],
                       window: Window, shown: int, more: bool) -> tuple[int, bool]:
    """``total`` and whether it is exact. Up to TOTAL_CAP matching rows it is their number;
    beyond, counting stops and ``total`` is a lower bound that always reaches past the page
    shown (so a pager still offers the next page)."""
    if not where and conn.dialect.name == "sqlite":  # SQLite counts a whole table at once
        counted = int(await conn.scalar(select(func.count()).select_from(table)) or 0)
    else:
        limited = (select(literal_column("1")).select_from(table).where(*where)
                   .limit(TOTAL_CAP + 1).subquery())
        counted = int(await conn.scalar(select(func.count()).select_from(limited)) or 0)
    if counted <= TOTAL_CAP:
        return counted, True
    reached = window.offset() + shown + (1 if more else 0)
    return max(TOTAL_CAP, reached), False
