"""The answers Mimir writes, byte for byte: plain text, the JSON envelope, YAML.

pkg/ruler/api.go mixes two error styles: ``http.Error`` (``<msg>\\n``, text/plain) and the
Prometheus-style envelope of respondInvalidRequest/respondServerError; successes of writes are
the envelope with ``status: success`` (asserted byte for byte in pkg/ruler/api_test.go).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from pfm_dash.testing.loopback import Answer

__all__ = ["Answer", "accepted", "envelope", "text", "yaml_answer"]

SUCCESS = b'{"status":"success","data":null,"errorType":"","error":""}'


def text(status: int, message: str) -> Answer:
    """Go's http.Error: the message and a newline, as text/plain."""
    return Answer(status, (message + "\n").encode())


def envelope(status: int, error_type: str, message: str) -> Answer:
    """respondInvalidRequest (400 bad_data) / respondServerError (500 server_error).

    The handler sets no Content-Type, so Go sniffs ``text/plain; charset=utf-8``.
    """
    doc = {"status": "error", "data": None, "errorType": error_type, "error": message}
    return Answer(status, json.dumps(doc, separators=(",", ":")).encode())


def accepted() -> Answer:
    """202 after a create or delete: stored and queued, not yet evaluated (pkg/ruler/api.go)."""
    return Answer(202, SUCCESS, "application/json")


# yaml.v3 indents by 4; it also indents sequences under their key, which libyaml's emitter
# cannot: clients parse the YAML, never its layout.
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def yaml_answer(data: Any, headers: dict[str, str] | None = None) -> Answer:
    body = yaml.dump(
        data, Dumper=_DUMPER, indent=4, sort_keys=False, allow_unicode=True, width=1 << 30
    )
    return Answer(200, body.encode(), "application/yaml", dict(headers or {}))
