"""``python -m pfm_dash.testing.fake_ruler --port 9009``: run the fake ruler in the foreground."""

from __future__ import annotations

from pfm_dash.testing.fake_ruler.fake import FakeRuler
from pfm_dash.testing.fake_ruler.store import Limits
from pfm_dash.testing.loopback import command_line


def main(argv: list[str] | None = None) -> None:
    parser = command_line(
        "pfm_dash.testing.fake_ruler",
        "A fake Mimir ruler and Alertmanager config API (every request needs X-Scope-OrgID)",
        9009,
    )
    parser.add_argument("--prefix", default="/prometheus", help="-http.prometheus-http-prefix")
    parser.add_argument("--token", action="append", default=[], help="require this bearer")
    parser.add_argument("--max-rules-per-group", type=int, default=20, help="0: no limit")
    parser.add_argument("--max-groups-per-tenant", type=int, default=70, help="0: no limit")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    args = parser.parse_args(argv)
    fake = FakeRuler(
        host=args.host,
        port=args.port,
        prefix=args.prefix,
        limits=Limits(args.max_rules_per_group, args.max_groups_per_tenant),
    )
    for token in args.token:
        fake.add_token(token)
    fake.set_latency(args.latency)
    fake.serve(f"fake Mimir ruler listening on {{url}}{args.prefix}")


if __name__ == "__main__":
    main()
