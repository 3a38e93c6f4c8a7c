"""Moved to :mod:`jarvis.testing.clients` (kept while imports move over)."""

from jarvis.testing.clients import *  # noqa: F403
from jarvis.testing.clients import (  # noqa: F401,E501
    PASSWORD,
    JarvisClient,
    api_key_for,
    create_user,
    login,
    session_for,
    start_client,
)
