"""The interface's static files, read once from the package: only files that ship with it can
be served, whatever the request path says."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

TYPES = {
    ".html": "text/html", ".js": "text/javascript", ".css": "text/css",
    ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


@cache
def assets() -> dict[str, Asset]:
    """Every shipped file by its path below ``static/`` (e.g. ``js/app.js``)."""
    found: dict[str, Asset] = {}
    root = resources.files(__package__) / "static"
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for item in folder.iterdir():
            name = f"{prefix}{item.name}"
            if item.is_dir():
                stack.append((item, f"{name}/"))
                continue
            suffix = "." + item.name.rsplit(".", 1)[-1]
            if suffix not in TYPES:
                continue
            body = item.read_bytes()
            digest = hashlib.sha256(body).hexdigest()[:20]
            found[name] = Asset(body, TYPES[suffix], f'"{digest}"')
    return found
