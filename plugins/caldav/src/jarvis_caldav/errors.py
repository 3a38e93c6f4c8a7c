"""The one error the plugin's tools and routes show: a sentence the user can act on."""


class CaldavError(Exception):
    """Calendar work failed: not set up, refused, unreachable, login wrong, no such event."""
