"""Jarvis: a self-hosted, multi-user AI agent server. This module is the public API for plugins."""

from . import paths
from .context import Audit, PluginContext, Secrets, plugin_context
from .db import Database, Migration, new_id
from .entries import EntryList
from .errors import BadRequest, Conflict, Forbidden, JarvisError, NotAuthenticated, NotFound
from .markers import hookimpl
from .panels import ActionSection, FormSection, ListSection, SettingsPanel
from .phrases import TriggerPhrase, best_phrase_match, phrase_matches
from .policy import Decision, Policy, PolicyRequest, StaticPolicy, abstain, allow, ask, deny
from .providers.base import (
    Capabilities,
    Message,
    ModelInfo,
    ModelProvider,
    ModelRequest,
    Pricing,
    ProviderContext,
    ProviderError,
    ProviderEvent,
    Stop,
    TextDelta,
    ToolCall,
    Usage,
)
from .runtime.requests import AgentConfig, RunOutcome, RunRequest, TriggerRun
from .security import (
    GuardedHttp,
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    prune_hidden,
    read_capped,
    sanitize_text,
    strip_hidden_html,
)
from .services.audit import AuditEvent
from .services.user_settings import PerUserSettings
from .settings import Settings, SettingsError
from .shared_routes import entry_routes, user_settings_routes
from .timeutil import iso, utcnow
from .tools import RunRef, Tool, ToolContext, ToolResult, ToolSource, UserRef
from .triggers import Emitter, Trigger
from .web import Access, Ok, Principal, Routes, audit_action, current_user, principal

__version__ = "0.2.0"  # the one version source: the build reads it here

__all__ = [
    "Access",
    "ActionSection",
    "AgentConfig",
    "Audit",
    "AuditEvent",
    "BadRequest",
    "Capabilities",
    "Conflict",
    "Database",
    "Decision",
    "Emitter",
    "EntryList",
    "Forbidden",
    "FormSection",
    "GuardedHttp",
    "JarvisError",
    "ListSection",
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
    "Settings",
    "SettingsError",
    "SettingsPanel",
    "StaticPolicy",
    "Stop",
    "TextDelta",
    "Tool",
    "ToolCall",
    "ToolContext",
    "ToolResult",
    "ToolSource",
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
    "entry_routes",
    "hookimpl",
    "iso",
    "new_id",
    "paths",
    "phrase_matches",
    "plugin_context",
    "principal",
    "prune_hidden",
    "read_capped",
    "sanitize_text",
    "strip_hidden_html",
    "user_settings_routes",
    "utcnow",
]
