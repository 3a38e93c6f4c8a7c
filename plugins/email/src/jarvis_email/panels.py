"""The settings panel the web interface shows for this plugin."""

from jarvis import ListSection, SettingsPanel

PANELS = [SettingsPanel("email", "Email", [
    ListSection("My mail accounts", "/api/email-accounts", remove="/api/email-accounts/{id}",
                columns=("label", "account_type", "imap_host", "smtp_host")),
    ListSection("Allowed recipients", "/api/email-whitelist",
                remove="/api/email-whitelist/{email}",
                columns=("email", "daily_limit", "created_at"),
                description="The agent may send mail only to these addresses."),
])]
