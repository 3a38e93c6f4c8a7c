"""Body templates: ``{{name}}`` placeholders filled with the agent's values, nothing else.

No expressions, filters, loops or attribute access: a placeholder is a name, and its value is
inserted as text, escaped for the body's content type (inside a JSON string, as a form value)
so that what the agent sends can never change the body's structure.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote_plus

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]{0,63})\s*\}\}")
ANY_BRACES = re.compile(r"\{\{|\}\}")


def fields(template: str | None) -> list[str]:
    """The placeholder names of ``template``, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(template or "")))


def check(template: str | None, content_type: str) -> None:
    """ValueError unless every ``{{ }}`` is a plain placeholder (and JSON stays JSON)."""
    if not template:
        return
    if ANY_BRACES.search(PLACEHOLDER.sub("", template)):
        raise ValueError("placeholders are {{name}}: lower-case letters, digits and _ only")
    if is_json(content_type):
        try:
            json.loads(PLACEHOLDER.sub("x", template))
        except ValueError as err:
            raise ValueError(f"not JSON once filled in (placeholders go inside strings): "
                             f"{err}") from None


def is_json(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def _escape(value: str, content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if is_json(kind):
        return json.dumps(value)[1:-1]  # the inside of a JSON string
    if kind == "application/x-www-form-urlencoded":
        return quote_plus(value)
    return value


def render(template: str | None, values: dict[str, str], content_type: str) -> str:
    """The body with every placeholder filled; ValueError naming missing or unknown values."""
    wanted = fields(template)
    missing = [name for name in wanted if name not in values]
    unknown = sorted(set(values) - set(wanted))
    if missing:
        raise ValueError(f"values: missing {', '.join(missing)}")
    if unknown:
        allowed = ", ".join(wanted) or "none"
        raise ValueError(f"values: this target takes no {', '.join(unknown)} (it takes: "
                         f"{allowed})")
    return PLACEHOLDER.sub(lambda m: _escape(values[m.group(1)], content_type), template or "")
