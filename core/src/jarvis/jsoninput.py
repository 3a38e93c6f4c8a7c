"""The one reader of JSON that comes from outside (request bodies, chat frames).

What it returns is safe to hand to validation, the database and ``json.dumps``: nested at most
:data:`MAX_DEPTH` levels (deeper input would exhaust the interpreter's recursion limit somewhere
down the line), no NaN or Infinity (not JSON), and no NUL character in any string or key
(PostgreSQL text cannot hold one, and no field of this API needs one).
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64
NUL = "\x00"


class JsonInputError(ValueError):
    """Input that is not acceptable JSON; ``message`` names the problem (and where)."""

    def __init__(self, message: str, detail: Any = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


def loads(raw: str | bytes) -> Any:
    """Parse ``raw``, or raise :class:`JsonInputError` naming what is wrong with it."""
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise JsonInputError(too_deep()) from None
    except (ValueError, UnicodeDecodeError) as err:
        raise JsonInputError("malformed JSON", str(err)) from None
    check(data)
    return data


def too_deep() -> str:
    return f"JSON nested more than {MAX_DEPTH} levels deep"


def nul_message(where: str) -> str:
    return f"{where}: NUL characters (\\u0000) are not allowed"


def check(data: Any) -> None:
    """Refuse parsed JSON nested too deep or holding NUL; walks without recursion."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                raise JsonInputError(nul_message(where or "body"))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_DEPTH:
            raise JsonInputError(too_deep())
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else str(key)
                if NUL in key:
                    raise JsonInputError(nul_message(name.replace(NUL, "\\u0000")))
                stack.append((item, depth + 1, name))
        else:
            stack.extend((item, depth + 1, f"{where}[{i}]") for i, item in enumerate(value))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
