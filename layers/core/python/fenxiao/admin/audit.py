"""The admin audit log (collection `audit_log`): who did what to which object, from where, when.

One document per event in the shape API.md gives `GET /v1/admin/audit-log`:
`{_id, actor: {id, username, role}, action, object: {type, id}, before?, after?, ip, at}`.
Written once and never updated (append-only: nothing in the code updates or deletes it), indexed for the
newest-first list and for filtering by action or actor (`fenxiao.db`).

ONE mechanism records every admin write: the runtime runs each non-GET admin route through `audited`,
which names the action after the route's view (`catalog.new_product`), the object after the route's
path (`product`, the `{product_id}`, or the id a create answers with), and — where a route declares the
document it changes (`Tracked`: settings, money, staff) — keeps that document's changed fields before →
after. Failed admin sign-ins are recorded here too, so the merchant can see who tried which username
from where (the throttle in `login_throttle` only slows them down).

Only writes that succeeded are recorded (a refused one changed nothing). The entry is written after the
write: a crash between the two loses the entry, never the write, and a failing insert is logged
(`audit entry lost`) rather than turning a done write into an error the client would retry.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.database import Database
from pymongo.errors import PyMongoError

from fenxiao import clock, logs
from fenxiao.admin.actions import action_label
from fenxiao.ids import new_id
from fenxiao.model import BaseModel, ConfigDict, Field
from fenxiao.paging import PageQuery, page_of
from fenxiao.tokens import Principal

LOGIN_FAILED = "admin.login_failed"
LOGIN = "admin.login"
# What a tracked document's diff leaves out: bookkeeping, and secrets (a changed one shows as "***").
# applied_refs: a journalled account's exactly-once bookkeeping (points, balances), not a change anyone made
_BOOKKEEPING = frozenset({"_id", "updated_at", "updated_by", "created_at", "applied_refs"})
_SECRET = re.compile(r"password|secret|token", re.IGNORECASE)
MAX_INPUT_CHARS = 4000  # the request body kept with an entry (a product's is cut: its diff is the SKUs)


def record(db: Database, action: str, *, actor: dict[str, Any], obj: dict[str, Any], ip: str,
           **extra: Any) -> None:
    db.audit_log.insert_one({"_id": new_id(), "actor": actor, "action": action, "object": obj, "ip": ip,
                             "at": clock.now(), **extra})


def actor_of(admin: Principal) -> dict[str, Any]:
    return {"id": admin.subject, "username": admin.username, "role": admin.role}


@dataclass(frozen=True)
class Tracked:
    """The document an admin write changes, so its entry keeps the changed fields before → after.

    `key` is a fixed `_id` (a settings document in `kv`); without it the route's object id is used.
    """

    collection: str
    key: str | None = None


def _singular(segment: str) -> str:
    name = segment.replace("-", "_")
    return name[:-3] + "y" if name.endswith("ies") else name[:-1] if name.endswith("s") else name


def object_of(path: str, params: Mapping[str, str], result: Any, admin: Principal) -> dict[str, Any]:
    """`{type, id}` of what an admin route changed, read off its path.

    `/v1/admin/products/{product_id}/…` → product and the id; `/v1/admin/settings/shop` → setting `shop`;
    a create (`POST /v1/admin/products`) → product and the id it answered with; `/v1/admin/me/…` → the
    signed-in staff member.
    """
    segments = [s for s in path.split("/")[3:] if s]
    ids = [(s[1:-4], params[s[1:-1]]) for s in segments if s.startswith("{") and s.endswith("_id}")]
    if ids:
        return {"type": ids[-1][0], "id": ids[-1][1]}
    if segments and segments[0] == "me":
        return {"type": "staff", "id": admin.subject}
    if len(segments) >= 2:
        return {"type": _singular(segments[0]), "id": segments[1]}
    created = result.get("id") if isinstance(result, dict) else None
    return {"type": _singular(segments[0]) if segments else "admin", "id": created}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _snapshot(db: Database, tracked: Tracked | None, object_id: str | None) -> dict[str, Any] | None:
    key = tracked.key if tracked else None
    if tracked is None or (key or object_id) is None:
        return None
    doc = db[tracked.collection].find_one({"_id": key or object_id})
    return {k: v for k, v in (doc or {}).items() if k not in _BOOKKEEPING}


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The top-level fields that changed, as `before` and `after` (secrets masked)."""
    before, after = before or {}, after or {}
    changed = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]

    def side(doc: dict[str, Any]) -> dict[str, Any]:
        return {k: ("***" if _SECRET.search(k) else _plain(doc.get(k))) for k in changed}

    return side(before), side(after)


def _input_of(body: Any) -> Any:
    if not isinstance(body, BaseModel):
        return None
    data = body.model_dump(mode="json", exclude_unset=True)
    data = {k: ("***" if _SECRET.search(k) else v) for k, v in data.items()}
    text = json.dumps(data, ensure_ascii=False)
    return data if len(text) <= MAX_INPUT_CHARS else {"truncated": text[:MAX_INPUT_CHARS]}


def audited(db: Database, *, action: str, path: str, params: Mapping[str, str], admin: Principal, ip: str,
            body: Any, tracked: Tracked | None, run: Callable[[], Any]) -> Any:
    """Run an admin write and, when it succeeds, record it (see the module docstring)."""
    preset = object_of(path, params, None, admin)
    before = _snapshot(db, tracked, preset["id"])
    result = run()
    obj = object_of(path, params, result, admin)
    entry: dict[str, Any] = {"route": path}
    if tracked is not None:
        entry["before"], entry["after"] = diff(before, _snapshot(db, tracked, obj["id"]))
    if (data := _input_of(body)) is not None:
        entry["input"] = data
    try:
        record(db, action, actor=actor_of(admin), obj=obj, ip=ip, **entry)
    except PyMongoError:
        logs.error("audit entry lost", exc_info=True, action=action, object=obj)
    return result


class AuditQuery(PageQuery):
    model_config = ConfigDict(extra="ignore")

    actor: str | None = Field(None, max_length=64, title="操作人")
    action: str | None = Field(None, max_length=100, title="操作")
    object_type: str | None = Field(None, max_length=50, title="对象类型")
    object_id: str | None = Field(None, max_length=64, title="对象")
    from_: datetime | None = Field(None, alias="from", title="开始时间")
    to: datetime | None = Field(None, title="结束时间")


def render(doc: dict[str, Any]) -> dict[str, Any]:
    """An entry as `GET /v1/admin/audit-log` lists it, with its action's Chinese name (`action_label`),
    looked up when read so entries written before a label existed show it too."""
    out = {"id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id"},
           "action_label": action_label(doc["action"])}
    out.setdefault("before", None)
    out.setdefault("after", None)
    return out


def list_entries(db: Database, query: AuditQuery) -> dict[str, Any]:
    """Newest first; `actor` is a username (or a staff id), `action` exact or a prefix ending in `.`."""
    filter_: dict[str, Any] = {}
    if query.actor:
        filter_["$or"] = [{"actor.username": query.actor.strip().lower()}, {"actor.id": query.actor}]
    if query.action:
        filter_["action"] = ({"$regex": "^" + re.escape(query.action)} if query.action.endswith(".")
                             else query.action)
    if query.object_type:
        filter_["object.type"] = query.object_type
    if query.object_id:
        filter_["object.id"] = query.object_id
    if query.from_ or query.to:
        filter_["at"] = {**({"$gte": query.from_} if query.from_ else {}), **({"$lt": query.to} if query.to else {})}
    return page_of(db.audit_log, filter_, query, [("at", -1), ("_id", -1)], render)
