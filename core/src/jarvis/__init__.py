"""Jarvis: a self-hosted, multi-user AI agent server. This module is the public API for plugins."""

from typing import Any

from . import paths, providers
from .db import Migration, new_id
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
from .keys import AUDIT, CONFIG, DATABASE, OUTBOUND_HTTP, REGISTRY, RUNTIME, SETTINGS, VAULT
from .markers import hookimpl
from .models.tables import table_of
from .panels import ActionSection, FormSection, ListSection, SettingsPanel
from .phrases import TriggerPhrase, best_phrase_match, phrase_matches
from .policy import Decision, Policy, PolicyRequest, StaticPolicy, abstain, allow, ask, deny
from .providers import *  # noqa: F403 - the provider API, named in providers.__all__
from .runtime.agent_loader import load_agent
from .runtime.context import direct_tool_context
from .runtime.requests import AgentConfig, RunOutcome, RunRequest, TriggerRun
from .security import (
    AllowedPrivateHosts,
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    outbound_policy,
    prune_hidden,
    read_capped,
    sanitize_text,
    strip_hidden_html,
)
from .services.agents import list_agents
from .services.agents import run_request as agent_run_request
from .services.audit import AuditEvent
from .services.user_settings import PerUserSettings
from .settings import Settings, SettingsError
from .tools import RunRef, Tool, ToolCallBudget, ToolContext, ToolResult, ToolSource, UserRef
from .triggers import Emitter, Trigger
from .web import (
    Access,
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


__version__ = "0.2.0"  # the one version source: the build reads it here

__all__ = [
    *providers.__all__,
    "AUDIT", "CONFIG", "DATABASE", "OUTBOUND_HTTP", "REGISTRY", "SETTINGS", "VAULT", "Access",
    "AuditEvent", "OutboundError", "OutboundPolicy", "OutboundRefused", "strip_hidden_html",
    "BadRequest", "PerUserSettings",
    "Conflict", "Decision", "Emitter", "Forbidden", "JarvisError", "Migration",
    "NotAuthenticated", "NotFound", "Policy",
    "PolicyRequest", "Principal",
    "Routes", "RunRef", "Settings", "SettingsError", "StaticPolicy", "Tool",
    "ToolContext", "ToolResult", "Trigger", "UserRef", "abstain", "allow",
    "ask", "current_user", "deny", "hookimpl", "new_id", "principal", "__version__",
    "AgentConfig", "RUNTIME", "RunOutcome", "RunRequest", "TriggerRun", "load_agent",
    "paths", "read_capped", "audit_action", "prune_hidden", "sanitize_text",
    "TriggerPhrase", "best_phrase_match", "phrase_matches",
    "ActionSection", "FormSection", "ListSection", "SettingsPanel",
    "ToolSource", "list_agents", "agent_run_request", "table_of",
    "PayloadTooLarge", "TooManyRequests", "ToolCallBudget", "require_reauth",
    "direct_tool_context", "guarded_session", "outbound_policy", "AllowedPrivateHosts",
]
