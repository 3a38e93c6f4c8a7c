"""Logging for the ``jarvis`` command: a level, text or JSON lines, and request fields.

The access log middleware puts the request's fields (method, path, user id) in a context
variable, so every record logged while the request is handled carries them in JSON output.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The fields a record may carry besides its message (``extra=`` or the request context).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "remote")
# Libraries that report routine work at INFO: their INFO is our DEBUG (the scheduler logs
# every run of its 30-second sync job, for instance).
CHATTY = ("apscheduler",)

request_fields: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "jarvis_request_fields", default=None
)


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The request fields of a record: its own ``extra`` ones over the request context's."""
    fields = dict(request_fields.get() or {})
    for name in REQUEST_FIELDS:
        if name in record.__dict__:
            fields[name] = record.__dict__[name]
    return {k: v for k, v in fields.items() if v is not None}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **record_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (tests swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


class _Demote(logging.Filter):
    """Turn a chatty library's INFO records into DEBUG ones (dropped unless DEBUG is on)."""

    def __init__(self, threshold: int):
        super().__init__()
        self.threshold = threshold

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and record.name.startswith(CHATTY):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return record.levelno >= self.threshold


def configure_logging(level: str, log_format: str = "text") -> None:
    """Send every log record at ``level`` or above to stderr, as text or JSON lines."""
    threshold = logging.getLevelName(level)
    handler = _Stderr()
    json_lines = log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(_Demote(threshold))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "jarvis", False)]:
        root.removeHandler(old)
    handler.jarvis = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(threshold)
