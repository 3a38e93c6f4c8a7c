"""The settings panel the web interface shows for this plugin."""

from jarvis import ActionSection, FormSection, SettingsPanel

PANELS = [SettingsPanel("caldav", "Calendar (CalDAV)", [
    FormSection("My calendar server", "/api/my/caldav", delete=True,
                description="Leave the password empty to keep the stored one."),
    ActionSection("Test the connection", "/api/my/caldav/test", label="Test"),
])]
