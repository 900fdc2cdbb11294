"""What peer clients call first: ``/healthz`` and ``/api/frontend/settings``.

grafana-client's ``GrafanaApi.connect()`` and ``GrafanaApi.version`` (grafana_client/api.py)
call ``Health.check()`` (grafana_client/elements/health.py), which GETs
``/api/frontend/settings`` and returns its ``buildInfo``; the version gates of its datasource
and team elements read ``buildInfo.version``. Probes and load balancers GET ``/healthz``.
Sources (grafana/grafana):

* ``healthzHandler`` in pkg/api/http_server.go: a middleware ahead of authentication, GET or
  HEAD of exactly ``/healthz``, 200 and the two bytes ``Ok`` (no Content-Type set, so Go's
  sniffing sends ``text/plain; charset=utf-8``);
* ``GetFrontendSettings``/``getFrontendSettings`` in pkg/api/frontendsettings.go, the DTOs in
  pkg/api/dtos/frontend_settings.go (``FrontendSettingsBuildInfoDTO``); the route is
  ``apiRoute.Get("/frontend/settings/", ...)`` in the signed-in ``/api`` group of
  pkg/api/api.go, so it needs credentials like the rest of ``/api``.

Only the fields a client reads to learn what it talks to are reproduced; the UI's hundreds of
other settings are not.
"""

from __future__ import annotations

from typing import Any

from pfm_dash.testing.loopback import Answer

HEALTHZ = Answer(200, b"Ok", "text/plain; charset=utf-8")
COMMIT = "fake"  # also /api/health's "commit"


def settings(version: str, app_url: str) -> dict[str, Any]:
    """The frontend settings of a signed-in caller (so ``hideVersion`` is false)."""
    return {
        "appUrl": app_url,
        "appSubUrl": "",
        "defaultDatasource": "-- Grafana --",
        "datasources": {},
        "panels": {},
        "apps": {},
        "minRefreshInterval": "5s",
        "featureToggles": {},
        "unifiedAlertingEnabled": True,
        "buildInfo": {
            "hideVersion": False,
            "version": version,
            # fmt.Sprintf(`%s v%s (%s)`, setting.ApplicationName, version, commitShort)
            "versionString": f"Grafana v{version} ({COMMIT})",
            "commit": COMMIT,
            "commitShort": COMMIT,
            "buildstamp": 0,
            "edition": "Open Source",
            "latestVersion": "",
            "hasUpdate": False,
            "env": "production",
        },
    }
