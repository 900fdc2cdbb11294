"""``python -m pfm_dash.testing.fake_grafana --port 3000 --token demo``: serve in the foreground."""

from __future__ import annotations

import os

from pfm_dash.testing.fake_grafana.fake import FakeGrafana
from pfm_dash.testing.loopback import command_line


def main(argv: list[str] | None = None) -> None:
    parser = command_line(
        "pfm_dash.testing.fake_grafana",
        "A fake Grafana HTTP API (basic auth admin/admin works unless --no-admin)",
        3000,
    )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        help="accept this service-account token (repeatable; also $FAKE_GRAFANA_TOKEN)",
    )
    parser.add_argument(
        "--read-only-token", action="append", default=[], help="a token that gets 403 on writes"
    )
    parser.add_argument("--no-admin", action="store_true", help="refuse basic auth admin/admin")
    parser.add_argument("--grafana-version", default="11.6.0", help="reported by /api/health")
    parser.add_argument(
        "--folder-conflict-status",
        type=int,
        choices=(409, 412),
        default=409,
        help="answer to a duplicate folder uid: 409 (Grafana 11) or 412 (Grafana 12)",
    )
    parser.add_argument(
        "--versions-shape",
        choices=("object", "array"),
        default="object",
        help="dashboard versions list: object (Grafana 12) or bare array (Grafana 11)",
    )
    args = parser.parse_args(argv)
    fake = FakeGrafana(
        host=args.host,
        port=args.port,
        version=args.grafana_version,
        folder_conflict_status=args.folder_conflict_status,
        versions_shape=args.versions_shape,
        admin_password=None if args.no_admin else "admin",
    )
    tokens = list(args.token)
    if os.environ.get("FAKE_GRAFANA_TOKEN"):
        tokens.append(os.environ["FAKE_GRAFANA_TOKEN"])
    for token in tokens:
        fake.add_token(token)
    for token in args.read_only_token:
        fake.add_token(token, login="sa-viewer", read_only=True)
    fake.serve(f"fake Grafana {args.grafana_version} listening on {{url}}")


if __name__ == "__main__":
    main()
