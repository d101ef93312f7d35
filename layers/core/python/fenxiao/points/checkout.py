"""What a shopper's points and member level bring to checkout: rules for the pricing engine.

`checkout_benefits` turns the settings and the shopper's account into a `MemberDiscount` (the level's
rate), a `PointsRedemption` (the points offered, never more than the balance) and free shipping, so the
preview and the placement price them with the same engine call (preview = charge). The balance read here
is only what the preview shows: placement's guarded debit (`orders.spend`) is what makes spending safe.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.database import Database

from fenxiao.errors import BusinessRule
from fenxiao.points import journal, rules
from fenxiao.points.settings import MemberLevel, PointsSettings, get_points_settings
from fenxiao.pricing import MemberDiscount, PointsRedemption, Quote
from fenxiao.pricing.rules import Rule


@dataclass(frozen=True)
class Benefits:
    settings: PointsSettings
    balance: int
    level: MemberLevel | None
    member: MemberDiscount | None
    points: PointsRedemption | None

    @property
    def rules(self) -> list[Rule]:
        return [rule for rule in (self.member, self.points) if rule is not None]

    @property
    def free_shipping(self) -> bool:
        return self.level is not None and self.level.free_shipping

    def preview(self, quote: Quote) -> dict[str, Any]:
        """The checkout page's `member` and `points` blocks (points only while the shop offers them)."""
        member = None
        if self.level is not None:
            member = {"level_id": self.level.id, "name": self.level.name, "discount_bp": self.level.discount_bp,
                      "free_shipping": self.level.free_shipping, "discount": quote.member_discount}
        points = None
        if self.points is not None:
            before_points = quote.goods_paid + quote.points_discount
            usable = 0 if quote.exclusive else min(self.balance, self.points.usable(before_points))
            points = {"balance": self.balance, "usable": usable, "used": quote.points_used,
                      "discount": quote.points_discount, "fen_per_point": self.settings.fen_per_point,
                      "max_use_bp": self.settings.max_use_bp}
        return {"member": member, "points": points}


def checkout_benefits(db: Database, user_id: str, offered: int | None) -> Benefits:
    """422 POINTS_UNAVAILABLE when points are offered while the shop does not take them."""
    settings = get_points_settings(db)
    account = journal.account(db, user_id)
    level = rules.level_for(account["growth"], settings.levels)
    member = (MemberDiscount(level.discount_bp, name=level.name, id=level.id)
              if level is not None and level.discount_bp else None)
    if offered and not settings.enabled:
        raise BusinessRule("Points cannot be used in this shop", code="POINTS_UNAVAILABLE")
    points = None
    if settings.enabled:
        points = PointsRedemption(min(offered or 0, max(0, account["points"])), settings.fen_per_point,
                                  settings.max_use_bp)
    return Benefits(settings, account["points"], level, member, points)
