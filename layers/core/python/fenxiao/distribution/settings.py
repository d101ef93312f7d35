"""The merchant's distribution settings: mode, levels and rates, binding, self-purchase, withdrawals.

Stored through the shared `SettingsStore` (one `kv` document, cached per container), so commission
entries, settlement and withdrawals read the same validated values cheaply on every call.

Rate rules are checked here, not in the pydantic model, for two reasons: they span several fields (a
partial PUT is checked once merged with what is stored), and the merchant deserves a specific code
(`LEVELS_EXCEED_LEGAL_LIMIT`, not a generic "invalid input") when asking for a fourth level.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pymongo.database import Database

from fenxiao.distribution.commission import BP, MAX_LEVELS
from fenxiao.errors import BusinessRule
from fenxiao.model import ConfigDict, Field, Model
from fenxiao.settings.store import SettingsStore

MAX_TOTAL_RATE_BP = 5000    # all levels together: at most half of what the buyer paid
MAX_MONEY = 100_000_000     # 1 000 000 yuan: far above any real limit, catches yuan/fen mix-ups

Mode = Literal["apply", "auto", "everyone"]


class BindingSettings(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    # None: a binding is permanent; N: it lapses N days after it was made and may then be replaced.
    validity_days: int | None = Field(None, ge=1, le=3650)
    # Last-touch: a bound shopper (or an existing customer with orders) may be bound to a new referrer.
    allow_rebind: bool = False


class WithdrawalSettings(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    min_amount: int = Field(100, ge=1, le=MAX_MONEY)
    fee_bp: int = Field(0, ge=0, le=BP // 2)
    daily_limit: int = Field(500_000, ge=1, le=MAX_MONEY)


class ReferralLimits(Model):
    """Velocity limits against referral farming (`distribution.farming`). Defaults sit well above what a
    real distributor's sharing produces (a post in a busy group brings a few dozen sign-ups an hour) and
    far below a script (200 sign-ups with one code in five seconds); carrier-grade NAT puts many real
    shoppers behind one address, so the per-address limits are the looser ones."""

    model_config = ConfigDict(extra="forbid", strict=True)

    signups_per_ip_hour: int = Field(30, ge=1, le=100_000)        # new accounts from one address
    bindings_per_ip_hour: int = Field(20, ge=1, le=100_000)       # bindings from one address, any referrer
    bindings_per_referrer_hour: int = Field(60, ge=1, le=100_000)
    bindings_per_referrer_day: int = Field(300, ge=1, le=1_000_000)  # China calendar day


class DistributionSettings(Model):
    """Also the PUT body: fields left out keep their stored value (see `SettingsStore.update`).

    `levels` is only bounded loosely here so that 4+ reaches `check_rates` and gets its legal explanation.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    mode: Mode = "apply"
    levels: int = Field(2, ge=1, le=100)
    rates_bp: list[Annotated[int, Field(ge=0, le=MAX_TOTAL_RATE_BP)]] = Field(
        default_factory=lambda: [1000, 500], min_length=1, max_length=100)
    freeze_days: int = Field(7, ge=0, le=90)
    binding: BindingSettings = Field(default_factory=BindingSettings)
    self_purchase: bool = False
    withdrawal: WithdrawalSettings = Field(default_factory=WithdrawalSettings)
    referral_limits: ReferralLimits = Field(default_factory=ReferralLimits)

    @property
    def active_rates_bp(self) -> list[int]:
        """The global rate per level, exactly `levels` long (what the commission rules take)."""
        return self.rates_bp[:self.levels]


def check_rates(levels: int, rates_bp: Sequence[int], *, exact: bool = True) -> None:
    """The legal and financial limits shared by the global settings and every grade.

    `exact`: the global settings must give one rate per level; a grade may give fewer (missing levels earn
    nothing) because the merchant may add a level later without editing every grade.
    """
    if levels > MAX_LEVELS or len(rates_bp) > MAX_LEVELS:
        raise BusinessRule(f"At most {MAX_LEVELS} commission levels are allowed: more levels is pyramid selling "
                           "(传销) under Chinese law", code="LEVELS_EXCEED_LEGAL_LIMIT",
                           details={"levels": max(levels, len(rates_bp)), "max_levels": MAX_LEVELS})
    if exact and len(rates_bp) != levels:
        raise BusinessRule("Give exactly one rate per level", code="RATES_LEVELS_MISMATCH",
                           details={"levels": levels, "rates": len(rates_bp)})
    if any(rate < 0 for rate in rates_bp):
        raise BusinessRule("Rates cannot be negative", code="RATE_NEGATIVE", details={"rates_bp": list(rates_bp)})
    if sum(rates_bp) > MAX_TOTAL_RATE_BP:
        raise BusinessRule("All levels together may pay at most 50% of what the buyer paid",
                           code="RATES_TOTAL_TOO_HIGH",
                           details={"total_bp": sum(rates_bp), "max_total_bp": MAX_TOTAL_RATE_BP})


DISTRIBUTION = SettingsStore("settings:distribution", DistributionSettings)


def get_distribution_settings(db: Database) -> DistributionSettings:
    return DISTRIBUTION.get(db)


def update_distribution_settings(db: Database, patch: DistributionSettings | dict[str, Any], *,
                                 by: str | None = None) -> DistributionSettings:
    """Check the rate rules on the merged result, then let the store apply only the changed fields."""
    patch_model = patch if isinstance(patch, DistributionSettings) else DistributionSettings.model_validate(patch)
    current = DISTRIBUTION.get(db)
    given = patch_model.model_fields_set
    check_rates(patch_model.levels if "levels" in given else current.levels,
                patch_model.rates_bp if "rates_bp" in given else current.rates_bp)
    return DISTRIBUTION.update(db, patch_model, by=by)
