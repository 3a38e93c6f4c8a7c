"""The server's version: the one source, the build reads it here."""

__version__ = "0.2.0"
