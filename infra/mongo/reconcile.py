"""Prove every distributor's balance equals Σ its balance journal; optionally repair the drift.

    MONGODB_URI=mongodb+srv://... MONGODB_DB=fenxiao python -m infra.mongo.reconcile [--repair]

Exit status 0 when every balance matches (or was repaired), 1 when drift remains: cron-friendly.
"""
from __future__ import annotations

import argparse
import json
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repair", action="store_true", help="set drifted balances to Σ journal")
    args = parser.parse_args(argv)
    if not os.environ.get("MONGODB_URI"):
        print("set MONGODB_URI (and optionally MONGODB_DB) to the database to check", file=sys.stderr)
        return 2
    os.environ.setdefault("FENXIAO_JWT_SECRET", "unused-by-the-reconcile-command-" + "x" * 8)
    os.environ.setdefault("FENXIAO_ENV", "ops")
    from fenxiao.db import get_db
    from fenxiao.distribution.balances import reconcile

    report = reconcile(get_db(), repair=args.repair)
    print(json.dumps(report, default=str, ensure_ascii=False, indent=2))
    unresolved = [d for d in report["drift"] if d["user_id"] not in report["repaired"]]
    return 0 if not unresolved and not report["orphan_journal_users"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
