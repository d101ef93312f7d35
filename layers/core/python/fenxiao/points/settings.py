"""The merchant's points (积分) and member-level (会员等级) settings: one `kv` document via `SettingsStore`.

Points are earned on what a completed order paid for goods (net of refunds) and by signing in once a
Beijing day, and spent at checkout: `fen_per_point` fen each, at most `max_use_bp` of what the order still
costs after every price rule. Member levels are reached by growth value (1 per yuan of goods paid on
completed orders, net of refunds) and carry a discount rate and free shipping.

Rules spanning several fields (level thresholds strictly rising, distinct ids) are checked on the merged
result by the model validator, so a partial update can never leave them broken.
"""
from __future__ import annotations

from itertools import pairwise
from typing import Any

from pymongo.database import Database

from fenxiao.model import ConfigDict, Field, Model, model_validator
from fenxiao.settings.store import SettingsStore

MAX_LEVELS = 10


class MemberLevel(Model):
    """One level: reached at `threshold` growth; `discount_bp` basis points OFF (500 = 九五折), free shipping."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=20)
    threshold: int = Field(ge=0, le=100_000_000, description="growth value needed (1 per yuan paid)")
    discount_bp: int = Field(0, ge=0, le=5000, description="basis points off; 0 = no discount, at most 50 %")
    free_shipping: bool = False


class PointsSettings(Model):
    """Also the PUT body: fields left out keep their stored value."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(False, description="points are earned and spent only while enabled")
    earn_per_yuan: int = Field(1, ge=0, le=100, description="points per yuan of goods paid on a completed order")
    sign_in_points: int = Field(5, ge=0, le=10_000, description="points for the daily sign-in (0: no sign-in)")
    fen_per_point: int = Field(1, ge=1, le=10_000, description="what one point is worth at checkout, in fen")
    max_use_bp: int = Field(5000, ge=0, le=10_000, description="at most this share of an order paid in points")
    levels: list[MemberLevel] = Field(default_factory=list, max_length=MAX_LEVELS)

    @model_validator(mode="after")
    def _levels_rise(self) -> PointsSettings:
        thresholds = [level.threshold for level in self.levels]
        if any(b <= a for a, b in pairwise(thresholds)):
            raise ValueError("member level thresholds must rise strictly from one level to the next")
        ids = [level.id for level in self.levels]
        if len(set(ids)) != len(ids):
            raise ValueError("member level ids must be distinct")
        return self


POINTS = SettingsStore("settings:points", PointsSettings)


def get_points_settings(db: Database) -> PointsSettings:
    return POINTS.get(db)


def update_points_settings(db: Database, patch: PointsSettings | dict[str, Any], *, by: str | None = None
                           ) -> PointsSettings:
    return POINTS.update(db, patch, by=by)
