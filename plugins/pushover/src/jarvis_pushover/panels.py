"""The settings panel the web interface shows for this plugin."""

from jarvis import FormSection, SettingsPanel

PANELS = [SettingsPanel("pushover", "Pushover notifications", [
    FormSection("My Pushover account", "/api/my/pushover", delete=True,
                description="Leave the user key empty to keep the stored one."),
])]
