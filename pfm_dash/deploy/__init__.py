"""Deploying compiled rules and routing to servers other than Grafana."""
