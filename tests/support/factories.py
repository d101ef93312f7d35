"""Test data made directly in the database, for tests whose subject is something else."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao import clock
from fenxiao.ids import new_id
from fenxiao.tokens import issue_token


def make_user(db: Database, **fields: Any) -> tuple[str, str]:
    """Insert a shopper; returns (user_id, bearer token)."""
    user_id = new_id()
    now = clock.now()
    doc = {"_id": user_id, "openid": f"dev_{user_id}", "nickname": "测试用户", "avatar_url": "",
           "referrer_id": None, "upline": [], "distributor": None, "created_at": now, "updated_at": now}
    doc.update(fields)
    doc = {k: v for k, v in doc.items() if not (k in ("openid", "phone_hash") and v is None)}  # absent, not null
    db.users.insert_one(doc)
    return user_id, issue_token("user", user_id)


def admin_token(db: Database, role: str = "owner") -> str:
    admin_id = new_id()
    db.admins.insert_one({"_id": admin_id, "username": f"admin_{admin_id[-6:]}", "password_hash": "x",
                          "role": role, "created_at": clock.now()})
    return issue_token("admin", admin_id, role=role)
