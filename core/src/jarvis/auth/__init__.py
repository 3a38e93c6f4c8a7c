"""Identity and access: users, passwords, sessions, MFA, API keys, and the authenticator."""

from .identity import Identity, setup_identity

__all__ = ["Identity", "setup_identity"]
