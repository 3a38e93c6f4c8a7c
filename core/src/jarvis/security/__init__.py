"""Outbound guard, prompt-injection sanitizers, canary tokens and the model screen."""

from .addresses import check_address
from .canary import CanaryWatch, carries_canary, new_canary
from .connector import guarded_connector, make_aiohttp_session
from .html_visible import prune_hidden
from .http import FetchResult, GuardedHttp, read_capped
from .netguard import (
    AllowedPrivateHosts,
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    OutboundTimeout,
    OutboundTooLarge,
    check_host_sync,
    check_url,
    outbound_policy,
)
from .sanitize import (
    SanitizedText,
    flag_instructions,
    sanitize_text,
    sanitize_tool_output,
    strip_hidden_html,
    strip_invisible,
    wrap_untrusted,
)
from .screen import SCREEN_NOTICE, ScreenVerdict, screen

__all__ = [
    "AllowedPrivateHosts",
    "outbound_policy",
    "SCREEN_NOTICE",
    "FetchResult",
    "GuardedHttp",
    "OutboundError",
    "OutboundPolicy",
    "OutboundRefused",
    "OutboundTimeout",
    "OutboundTooLarge",
    "SanitizedText",
    "ScreenVerdict",
    "CanaryWatch",
    "carries_canary",
    "check_address",
    "check_host_sync",
    "check_url",
    "flag_instructions",
    "guarded_connector",
    "make_aiohttp_session",
    "new_canary",
    "prune_hidden",
    "read_capped",
    "sanitize_text",
    "sanitize_tool_output",
    "screen",
    "strip_hidden_html",
    "strip_invisible",
    "wrap_untrusted",
]
