"""The one error the plugin's tools and routes show: a sentence the user can act on."""


class ContactsError(Exception):
    """Address book work failed: not set up, refused, unreachable, login wrong, no such card."""
