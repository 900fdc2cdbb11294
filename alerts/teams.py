"""The teams that own PFM's alerts. Each name is the ``team`` label and the receiver's name."""

from pfm_dash import Receiver, Severity, Team

CRITICAL = Team(
    name="critical",
    description="Whoever is on call: paged at once for every critical alert outside staging.",
    receiver=Receiver(
        email_env="PFM_ONCALL_EMAIL",
        slack_url_file="/etc/alertmanager/slack_critical_url",
        slack_channel="#pfm-critical",
    ),
    group_wait="0s",
    group_interval="1m",
    repeat_interval="1h",
    on_call_for=Severity.CRITICAL,
)

PLATFORM = Team(
    name="platform",
    description="Runs the Express backend, PostgreSQL, Redis and the containers.",
    receiver=Receiver(
        email_env="PFM_PLATFORM_EMAIL",
        slack_url_file="/etc/alertmanager/slack_platform_url",
        slack_channel="#pfm-platform",
    ),
    group_wait="30s",
)
SECURITY = Team(
    name="security",
    description="Owns authentication and abuse detection.",
    receiver=Receiver(email_env="PFM_SECURITY_EMAIL"),
    group_wait="0s",
)
DEVELOPMENT = Team(
    name="development",
    description="Owns the product features: communities and voting.",
    receiver=Receiver(email_env="PFM_DEVELOPMENT_EMAIL"),
    group_wait="1m",
)
BLOCKCHAIN = Team(
    name="blockchain",
    description="Owns wallet connections and the Solana RPC integration.",
    receiver=Receiver(
        email_env="PFM_BLOCKCHAIN_EMAIL",
        webhook_url="https://chain-alerts.pfm.example/alertmanager",
        webhook_token_file="/etc/alertmanager/chain_alerts_token",
    ),
    group_wait="30s",
)

RUNBOOKS = "https://runbooks.pfm.example/alerts"


def runbook(alert: str) -> str:
    """The runbook page of an alert; one place to move them all."""
    return f"{RUNBOOKS}/{alert}"
