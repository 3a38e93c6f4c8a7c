"""jarvis-contacts: the user's CardDAV address book as tools."""
