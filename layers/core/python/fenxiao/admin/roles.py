"""Admin roles, and the groups of them each admin route declares (one `roles=` per route).

- owner: everything, and alone manages staff, the money rules (distribution and shop settings, grades),
  the audit log and balance repairs;
- operator: day-to-day shop work — catalog, orders and shipping, marketing, distributor reviews;
- finance: money going out — refunds, withdrawals, settlement runs;
- viewer: reads every admin list and detail, changes nothing (but their own password).

Every admin route names one of the groups below (the runtime refuses an admin route that declares none),
and `tests/admin/test_roles.py` walks every registered admin route with a token of each role.
"""
from __future__ import annotations

OWNER, OPERATOR, FINANCE, VIEWER = "owner", "operator", "finance", "viewer"
ADMIN_ROLES = (OWNER, OPERATOR, FINANCE, VIEWER)

ANY_STAFF = ADMIN_ROLES           # reading, and a staff member's own account
SHOP = (OWNER, OPERATOR)          # catalog, orders, marketing, distributor reviews
MONEY = (OWNER, FINANCE)          # refunds, withdrawals, settlement
OWNER_ONLY = (OWNER,)             # staff, money rules, audit log, balance repair

ROLE_LABELS = {OWNER: "店主", OPERATOR: "运营", FINANCE: "财务", VIEWER: "只读"}
