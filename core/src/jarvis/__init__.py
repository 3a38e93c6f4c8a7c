"""Jarvis: a self-hosted, multi-user AI agent server. This module is the public API for plugins."""

from typing import Any

from . import paths
from .background import stop_task
from .blocking import in_thread
from .changes import ChangeInput
from .context import Audit, PluginContext, Secrets, plugin_context
from .db import Database, Migration, new_id
from .entries import EntryList
from .errors import (
    BadRequest,
    Conflict,
    Forbidden,
    JarvisError,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
)
from .markers import hookimpl
from .models.tables import table_of
from .owned import OwnedRows
from .panels import ActionSection, FormSection, ListSection, SettingsPanel
from .phrases import TriggerPhrase, best_phrase_match, phrase_matches
from .policy import Decision, Policy, PolicyRequest, StaticPolicy, abstain, allow, ask, deny
from .providers import (
    Block,
    Capabilities,
    DocumentBlock,
    ImageBlock,
    ListingCache,
    ListingError,
    Message,
    ModelInfo,
    ModelProvider,
    ModelRequest,
    Pricing,
    ProviderContext,
    ProviderError,
    ProviderEvent,
    Stop,
    TextBlock,
    TextDelta,
    ToolCall,
    ToolResultBlock,
    ToolSpec,
    ToolUseBlock,
    Usage,
    fetch_json,
    fingerprint,
    import_lazily,
    rate_limited,
    retry_after,
)
from .run_requests import AgentConfig, RunOutcome, RunRequest, TriggerRun
from .runtime.context import direct_tool_context
from .security import (
    AllowedPrivateHosts,
    GuardedHttp,
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    outbound_policy,
    prune_hidden,
    read_capped,
    sanitize_text,
    strip_hidden_html,
)
from .server_account import ServerAccount
from .services.audit import AuditEvent
from .services.user_settings import PerUserSettings, ServerLogin, ServerLogins
from .settings import Settings, SettingsError
from .shared_routes import entry_routes, server_login_routes, user_settings_routes
from .timeutil import iso, utcnow
from .tools import RunRef, Tool, ToolCallBudget, ToolContext, ToolResult, ToolSource, UserRef
from .triggers import Emitter, Trigger
from .web import (
    Access,
    Ok,
    Principal,
    Routes,
    audit_action,
    current_user,
    principal,
    require_reauth,
)


def guarded_session(server_url: str, policy: OutboundPolicy) -> Any:
    """A niquests session for a synchronous client library, every connection under the
    outbound guard (see :mod:`jarvis.security.guarded_session`; needs ``niquests``)."""
    from .security.guarded_session import guarded_session as make

    return make(server_url, policy)


from .version import __version__ as __version__  # noqa: E402

__all__ = [
    "Access",
    "ActionSection",
    "AgentConfig",
    "AllowedPrivateHosts",
    "Audit",
    "AuditEvent",
    "BadRequest",
    "Block",
    "Capabilities",
    "ChangeInput",
    "Conflict",
    "Database",
    "Decision",
    "DocumentBlock",
    "Emitter",
    "EntryList",
    "Forbidden",
    "FormSection",
    "GuardedHttp",
    "ImageBlock",
    "JarvisError",
    "ListSection",
    "ListingCache",
    "ListingError",
    "Message",
    "Migration",
    "ModelInfo",
    "ModelProvider",
    "ModelRequest",
    "NotAuthenticated",
    "NotFound",
    "Ok",
    "OutboundError",
    "OutboundPolicy",
    "OutboundRefused",
    "OwnedRows",
    "PayloadTooLarge",
    "PerUserSettings",
    "PluginContext",
    "Policy",
    "PolicyRequest",
    "Pricing",
    "Principal",
    "ProviderContext",
    "ProviderError",
    "ProviderEvent",
    "Routes",
    "RunOutcome",
    "RunRef",
    "RunRequest",
    "Secrets",
    "ServerAccount",
    "ServerLogin",
    "ServerLogins",
    "Settings",
    "SettingsError",
    "SettingsPanel",
    "StaticPolicy",
    "Stop",
    "TextBlock",
    "TextDelta",
    "TooManyRequests",
    "Tool",
    "ToolCall",
    "ToolCallBudget",
    "ToolContext",
    "ToolResult",
    "ToolResultBlock",
    "ToolSource",
    "ToolSpec",
    "ToolUseBlock",
    "Trigger",
    "TriggerPhrase",
    "TriggerRun",
    "Usage",
    "UserRef",
    "__version__",
    "abstain",
    "allow",
    "ask",
    "audit_action",
    "best_phrase_match",
    "current_user",
    "deny",
    "direct_tool_context",
    "entry_routes",
    "fetch_json",
    "fingerprint",
    "guarded_session",
    "hookimpl",
    "import_lazily",
    "in_thread",
    "iso",
    "new_id",
    "outbound_policy",
    "paths",
    "phrase_matches",
    "plugin_context",
    "principal",
    "prune_hidden",
    "rate_limited",
    "read_capped",
    "require_reauth",
    "retry_after",
    "sanitize_text",
    "server_login_routes",
    "stop_task",
    "strip_hidden_html",
    "table_of",
    "user_settings_routes",
    "utcnow",
]
