"""The model provider API: the contract (``base``) and the helpers every vendor's provider
needs (listing over HTTP, its cache, rate-limit waits, importing an SDK off the loop). Plugins
take these from the top-level ``jarvis`` module."""

from . import base
from .base import *  # noqa: F403 - the contract, named in base.__all__
from .cache import ListingCache, fingerprint
from .errors import rate_limited, retry_after
from .lazy import import_lazily
from .listing import ListingError, fetch_json

__all__ = [
    *base.__all__, "ListingCache", "ListingError", "fetch_json", "fingerprint", "import_lazily",
    "rate_limited", "retry_after",
]
