"""Prove every distributor's balance equals Σ its balance journal; optionally repair the drift.

Checks every shard now (fenxiao.distribution.reconcile: the hourly schedule checks one per run) and
stores the reports the admin page shows; `--repair` then sets the drifted balances to Σ journal.

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
    from fenxiao import clock
    from fenxiao.db import get_db
    from fenxiao.distribution import reconcile

    db = get_db()
    report = reconcile.check_all(db, clock.now())
    if args.repair and report["drift"]:
        report = reconcile.repair(db)
    print(json.dumps(report, default=str, ensure_ascii=False, indent=2))
    return 0 if not report["drift"] and not report["orphan_journal_users"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
