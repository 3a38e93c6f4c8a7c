"""The core's tables. Plugins add theirs through the ``register_models`` hook."""

from .agents import Agent, ScheduleFire
from .audit import AuditChain, AuditEntry
from .auth import ApiKey, AuthChallenge, AuthSecret, AuthSession, AuthThrottle
from .config import ConfigEntry
from .conversations import Conversation, StoredMessage
from .instances import ServerInstance
from .leases import Lease
from .runs import Run, RunToolCall
from .users import User
from .vault import Credential, VaultState

CORE_MODELS: list[type] = [
    ConfigEntry, User, AuthSession, ApiKey, AuthChallenge, AuthThrottle, AuthSecret,
    Credential, VaultState, AuditEntry, AuditChain, Run, RunToolCall, Conversation, StoredMessage,
    Agent, ScheduleFire, ServerInstance, Lease,
]
