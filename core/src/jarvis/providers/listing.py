"""Reading a vendor's model listing over plain HTTP (not its SDK, which may take seconds to
import): one GET, any failure a ListingError with a short reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

LISTING_TIMEOUT = 15.0


class ListingError(Exception):
    """The listing endpoint answered with an error or something unreadable."""


async def fetch_json(
    url: str,
    headers: Mapping[str, str],
    params: Mapping[str, str] | None = None,
    limit: float = LISTING_TIMEOUT,
) -> Any:
    """GET a JSON document; any failure becomes a ListingError with a short reason."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=limit)) as session,
            session.get(url, headers=dict(headers), params=dict(params or {})) as response,
        ):
            if response.status != 200:
                text = (await response.text())[:200]
                raise ListingError(f"HTTP {response.status} from {url}: {text}")
            return await response.json(content_type=None)
    except ListingError:
        raise
    except TimeoutError:
        raise ListingError(f"{url} did not answer within {limit:g} s") from None
    except aiohttp.ClientError as exc:
        raise ListingError(f"could not reach {url}: {exc}") from exc
    except ValueError as exc:
        raise ListingError(f"{url} did not answer with JSON") from exc
