"""The fake Grafana's own control endpoint: a UI edit by a named user, driven with curl.

``POST /_fake/dashboards/<uid>/ui-edit`` with an optional JSON body ``{"user": "alice",
"message": "...", "title": "...", "org_id": 1}`` saves the live dashboard again as that user,
through the same save path as the API (so the version goes up by one and ``updatedBy`` and
the version history name the user, as an edit in Grafana's dashboard editor would). Without
``title`` the edit adds a text panel. The answer: ``{"uid", "version", "updatedBy"}``; an
unknown uid gets Grafana's 404 body.
"""

from __future__ import annotations

from typing import Any

from pfm_dash.testing.control import ControlError, ControlRoute
from pfm_dash.testing.fake_grafana import dashboards
from pfm_dash.testing.fake_grafana.model import ApiError
from pfm_dash.testing.fake_grafana.store import Store
from pfm_dash.testing.loopback import Answer, Request, json_answer

UI_EDIT = r"dashboards/(?P<uid>[^/]+)/ui-edit"


def ui_edit_route(store: Store) -> ControlRoute:
    """The control route, bound to the fake's store."""

    def handle(request: Request, params: dict[str, str]) -> Answer:
        user, message, title, org_id = _edit_request(request.json())

        def retitle(data: dict[str, Any]) -> None:
            data["title"] = title

        with store.lock:
            try:
                saved = dashboards.ui_edit(
                    store,
                    store.org(org_id),
                    params["uid"],
                    retitle if title else None,
                    user=user,
                    message=message,
                )
            except ApiError as exc:
                return json_answer(exc.status, exc.body)
        return json_answer(
            200, {"uid": saved["uid"], "version": saved["version"], "updatedBy": user}
        )

    return ("POST", UI_EDIT, handle)


def _edit_request(body: Any) -> tuple[str, str, str | None, int]:
    """(user, message, new title or None, org id) from the body, checked."""
    body = {} if body is None else body
    if not isinstance(body, dict):
        raise ControlError('the body must be a JSON object, e.g. {"user": "alice"}')
    unknown = sorted(set(body) - {"user", "message", "title", "org_id"})
    if unknown:
        raise ControlError(f'unknown key(s) {unknown}; known: "user", "message", "title", "org_id"')
    user = body.get("user", "alice")
    message = body.get("message", "edited in the UI")
    title = body.get("title")
    org_id = body.get("org_id", 1)
    if not isinstance(user, str) or not user:
        raise ControlError('"user" must be a login such as "alice"')
    if not isinstance(message, str):
        raise ControlError('"message" must be a string')
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise ControlError('"title" must be a non-empty string')
    if not isinstance(org_id, int) or isinstance(org_id, bool):
        raise ControlError('"org_id" must be a whole number')
    return user, message, title, org_id
