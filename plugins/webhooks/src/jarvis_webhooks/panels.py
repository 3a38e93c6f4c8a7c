"""The settings panel the web interface shows for this plugin."""

from jarvis import ListSection, SettingsPanel

PANELS = [SettingsPanel("webhooks", "Webhooks", [
    ListSection("Webhook targets", "/api/webhooks/targets", remove="/api/webhooks/targets/{id}",
                columns=("name", "method", "url", "header_names", "admin_only", "confirm"),
                description="What agents may call with webhook_call. Header values are kept "
                            "in the vault and never shown again."),
    ListSection("My inbound webhooks", "/api/webhooks/inbound",
                remove="/api/webhooks/inbound/{id}",
                columns=("name", "agent_id", "rate_limit", "created_at"),
                description="Each starts a run of one of your agents for a signed request; its "
                            "URL and signing secret are shown once, when it is added."),
])]
