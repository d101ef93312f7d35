"""Create every index the services rely on (idempotent: safe on every deploy).

    MONGODB_URI=mongodb+srv://... MONGODB_DB=fenxiao python -m infra.mongo.indexes
"""
from __future__ import annotations

import os
import sys


def main() -> int:
    if not os.environ.get("MONGODB_URI"):
        print("set MONGODB_URI (and optionally MONGODB_DB) to the database to index", file=sys.stderr)
        return 2
    os.environ.setdefault("FENXIAO_JWT_SECRET", "unused-by-the-index-command-" + "x" * 8)
    os.environ.setdefault("FENXIAO_ENV", "ops")
    from fenxiao.db import INDEXES, ensure_indexes, get_db

    db = get_db()
    ensure_indexes(db)
    for name in INDEXES:
        print(f"{name}: {', '.join(ix['name'] for ix in db[name].list_indexes())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
