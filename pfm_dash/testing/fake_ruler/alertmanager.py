"""Mimir's Alertmanager config API: GetUserConfig, SetUserConfig, DeleteUserConfig
(grafana/mimir pkg/alertmanager/api.go @ 0234e52d; not-found text: alertspb/compat.go).

Only the checks a deploy tool meets are reproduced: size, YAML, empty config, a config that is
not YAML, the ``*_file`` settings Mimir refuses, and template names with a path. The fake does
not run Alertmanager's own config.Load (amtool check-config is the place for that).
"""

from __future__ import annotations

from typing import Any

import yaml

from pfm_dash.client.ruler import parse_yaml
from pfm_dash.testing.fake_ruler.answer import Answer, text, yaml_answer
from pfm_dash.testing.fake_ruler.store import Store

_MARSHALLING = "error marshalling YAML Alertmanager config"
_VALIDATING = "error validating Alertmanager config"
_PASSWORD_FILE = "setting password_file, bearer_token_file and credentials_file is not allowed"
_TLS_FILE = "setting TLS ca_file, cert_file and key_file is not allowed"
_SLACK_FILE = "setting Slack api_url_file and global slack_api_url_file is not allowed"
_VICTOROPS_FILE = "setting VictorOps api_key_file is not allowed"
_OAUTH2_FILE = "setting OAuth2 client_secret_file is not allowed"
# Key -> message of the validate*Config function that refuses it (api.go).
_REFUSED = {
    "password_file": _PASSWORD_FILE,
    "bearer_token_file": _PASSWORD_FILE,
    "credentials_file": _PASSWORD_FILE,
    "ca_file": _TLS_FILE,
    "cert_file": _TLS_FILE,
    "key_file": _TLS_FILE,
    "api_url_file": _SLACK_FILE,
    "slack_api_url_file": _SLACK_FILE,
    "api_key_file": _VICTOROPS_FILE,
    "client_secret_file": _OAUTH2_FILE,
    "proxy_url": "setting proxy_url is not allowed",
}


def get_config(store: Store, tenant: str) -> Answer:
    stored = store.tenant(tenant).alertmanager
    if stored is None:
        return text(404, "alertmanager storage object not found")
    return yaml_answer(
        {
            "template_files": dict(stored["template_files"]),
            "alertmanager_config": stored["alertmanager_config"],
        }
    )


def set_config(store: Store, tenant: str, raw: bytes) -> Answer:
    limit = store.limits_for(tenant).alertmanager_max_config_size
    if limit > 0 and len(raw) > limit:
        return text(400, f"Alertmanager configuration is too big, limit: {limit} bytes")
    try:
        body = parse_yaml(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        return text(400, f"{_MARSHALLING}: {exc}")
    if not isinstance(body, dict):
        return text(400, f"{_MARSHALLING}: the body is not a mapping")
    config = str(body.get("alertmanager_config") or "")
    templates = {str(k): str(v) for k, v in (body.get("template_files") or {}).items()}
    problem = _validate(config, templates)
    if problem:
        return text(400, f"{_VALIDATING}: {problem}")
    store.tenant(tenant).alertmanager = {
        "alertmanager_config": config,
        "template_files": templates,
    }
    return Answer(201)


def delete_config(store: Store, tenant: str) -> Answer:
    """200 whether or not a config was stored."""
    store.tenant(tenant).alertmanager = None
    return Answer(200)


def _validate(config: str, templates: dict[str, str]) -> str:
    if not config:
        return (
            "configuration provided is empty, if you'd like to remove your configuration "
            "please use the delete configuration endpoint"
        )
    try:
        parsed = parse_yaml(config)
    except yaml.YAMLError as exc:
        return str(exc)
    if not isinstance(parsed, dict):
        return "the configuration is not a YAML mapping"
    refused = _refused(parsed)
    if refused:
        return refused
    for name in [*(parsed.get("templates") or []), *templates]:
        if "/" in str(name) or "\\" in str(name):
            return f'invalid template name "{name}": the template name cannot contain any path'
    return ""


def _refused(node: Any) -> str:
    """validateAlertmanagerConfig walks the whole config; the first refused setting wins."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _REFUSED and value:
                return _REFUSED[key]
            found = _refused(value)
            if found:
                return found
    elif isinstance(node, list):
        for item in node:
            found = _refused(item)
            if found:
                return found
    return ""
