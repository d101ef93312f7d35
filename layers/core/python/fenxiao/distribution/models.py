"""Input models of the distribution actions (API.md "Distribution" and its admin routes).

Shape problems are 400 INVALID_INPUT from these models; rules between fields and stored state (rates,
transitions, binding) answer 409 / 422 from the services.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fenxiao.model import ConfigDict, Field, Model, StringConstraints
from fenxiao.paging import PageQuery
from fenxiao.users.models import MobilePhone, ShareRef

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]

STATUSES = ("pending", "approved", "rejected", "disabled")
Status = Literal["pending", "approved", "rejected", "disabled"]


class _Input(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ApplicationIn(_Input):
    real_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
    phone: MobilePhone
    reason: Text | None = None


class BindIn(_Input):
    ref: ShareRef


class ReviewIn(_Input):
    """API.md: approve and reject take `{reason?}`; a reject reason is shown to the shopper."""

    reason: Text | None = None


class DistributorPatch(_Input):
    """Admin edit: `grade_id: null` clears the grade (global rates apply again).

    A grade set by hand is locked against the nightly automatic upgrade unless `grade_locked: false` is
    sent with it (docs/distribution-growth.md); `grade_locked` alone locks or unlocks the current grade."""

    grade_id: Id | None = None
    grade_locked: bool | None = None
    status: Literal["approved", "disabled"] | None = None


Members = Annotated[int, Field(ge=1, le=10_000_000)]
Fen = Annotated[int, Field(ge=1, le=100_000_000_000)]


class UpgradeIn(_Input):
    """Conditions for reaching a grade automatically (fenxiao.distribution.grade_rules); empty ones are unset."""

    match: Literal["any", "all"] = Field("any", description="reached when any / all of the set conditions are met")
    direct_members: Members | None = Field(None, title="直属成员数", description="members at team level 1")
    team_members: Members | None = Field(None, title="团队人数", description="members at levels 1-3")
    team_sales: Fen | None = Field(None, title="团队销售额", description="paid net of refunds, fen")
    own_sales: Fen | None = Field(None, title="个人销售额", description="level-1 sales, net, fen")


class GradeIn(_Input):
    name: Name
    # Loosely bounded so a fourth level reaches `check_rates` and gets its legal explanation.
    rates_bp: list[Annotated[int, Field(ge=0, le=5000)]] = Field(min_length=1, max_length=10)
    sort: int = Field(0, ge=-1_000_000, le=1_000_000, description="the ladder: larger is higher")
    upgrade: UpgradeIn | None = None


class ApplicationQuery(PageQuery):
    status: Status = "pending"


class DistributorQuery(PageQuery):
    status: Status | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] | None = None
    # only referrers the farming guard flagged, most recently flagged first (distribution.farming)
    flagged: bool = False


class TeamQuery(PageQuery):
    level: int = Field(1, ge=1, le=3, description="commission level: 1 bound to the caller, 2 and 3 further down")


class RankingQuery(Model):
    model_config = ConfigDict(extra="ignore")

    period: Literal["week", "month"] = "week"
    level: int | None = Field(None, ge=1, le=3, description="rank by what came in at this level only "
                                                              "(1: the caller's direct customers); none: everything")


class ShareQuery(Model):
    model_config = ConfigDict(extra="ignore")

    product_id: Id | None = None
