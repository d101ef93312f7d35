"""A distributor's team: the shoppers bound directly to them (level 1) or to their level-1 members (level 2).

Members are found through the stored upline (`users.upline.0` / `upline.1`, indexed with `bound_at`), and
their orders and sales count only orders attributed to the caller (`orders.referrer_ids` contains them),
i.e. what each member bought since joining the caller's team.
"""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from fenxiao.distribution.distributors import my_distributor
from fenxiao.distribution.models import TeamQuery
from fenxiao.distribution.stats import SALES_EXPR, SALES_STATUSES, distributor_stats
from fenxiao.paging import page_of
from fenxiao.users.models import mask_name


def _member_sales(db: Database, distributor_id: str, member_ids: list[str]) -> dict[str, dict[str, int]]:
    # Led by the page's members (index: orders (user_id, status, created_at)), the caller matched second:
    # led by the caller, a top distributor's every referred order would be read for 20 members.
    pipeline: list[dict[str, Any]] = [
        {"$match": {"user_id": {"$in": member_ids}}},
        {"$match": {"referrer_ids": distributor_id, "status": {"$in": list(SALES_STATUSES)}}},
        {"$project": {"user_id": 1, "sales": SALES_EXPR}},
        {"$group": {"_id": "$user_id", "sales": {"$sum": "$sales"}, "orders": {"$sum": 1}}},
    ]
    return {r["_id"]: {"sales": int(r["sales"]), "orders": int(r["orders"])} for r in db.orders.aggregate(pipeline)}


def list_team(db: Database, user_id: str, query: TeamQuery) -> dict[str, Any]:
    """One page of the caller's team at `level`; one aggregation for the page's order numbers."""
    my_distributor(db, user_id)
    field = f"upline.{query.level - 1}"
    team = distributor_stats(db, user_id)[f"team_level{query.level}"]  # snapshot + since: an exact total
    page = page_of(db.users, {field: user_id}, query, [("bound_at", -1), ("_id", -1)], lambda d: d,
                   projection={"nickname": 1, "avatar_url": 1, "bound_at": 1}, windowed=True, total=team)
    sales = _member_sales(db, user_id, [m["_id"] for m in page["items"]]) if page["items"] else {}
    page["items"] = [{"id": m["_id"], "nickname": mask_name(m.get("nickname")), "avatar_url": m.get("avatar_url", ""),
                      "joined_at": m.get("bound_at"), **sales.get(m["_id"], {"orders": 0, "sales": 0})}
                     for m in page["items"]]
    return page
