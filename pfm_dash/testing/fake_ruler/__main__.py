"""``python -m pfm_dash.testing.fake_ruler --port 9009``: run the fake ruler in the foreground."""

from __future__ import annotations

import argparse

from pfm_dash.testing.fake_ruler.fake import FakeRuler
from pfm_dash.testing.fake_ruler.store import Limits


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m pfm_dash.testing.fake_ruler",
        description="A fake Mimir ruler and Alertmanager config API on 127.0.0.1 (a test "
        "double: its tokens are not secrets). Every request needs X-Scope-OrgID.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9009, help="0 picks a free port")
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
