"""The admin audit log (collection `audit_log`): who did what to which object, from where, when.

One document per event in the shape API.md gives `GET /v1/admin/audit-log`:
`{_id, actor: {id, username, role}, action, object: {type, id}, before?, after?, ip, at}`.
Written once and never updated, so a plain insert is enough; indexed for the newest-first list and for
filtering by action or actor (`fenxiao.db`). Failed admin sign-ins are recorded here, so the merchant can
see who tried which username from where (the throttle in `login_throttle` only slows them down).
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.ids import new_id

LOGIN_FAILED = "admin.login_failed"


def record(db: Database, action: str, *, actor: dict[str, Any], obj: dict[str, Any], ip: str,
           **extra: Any) -> None:
    db.audit_log.insert_one({"_id": new_id(), "actor": actor, "action": action, "object": obj, "ip": ip,
                             "at": clock.now(), **extra})
