"""The web interface: ES modules and CSS shipped inside the package, served by the server itself
at ``/`` (nothing to build or download), and the panel descriptions plugins contribute."""

from .routes import routes

__all__ = ["routes"]
