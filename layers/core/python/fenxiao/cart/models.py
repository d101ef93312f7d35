"""Cart inputs. Quantities are bounded here; stock is checked by the service against the SKU."""
from __future__ import annotations

from fenxiao.model import ConfigDict, Field, Model, model_validator

MAX_LINES = 100       # distinct SKUs in one cart
MAX_QUANTITY = 999    # units of one SKU in one line, whatever the stock

SkuId = Field(min_length=1, max_length=64)


class AddItem(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    sku_id: str = SkuId
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)


class UpdateItem(Model):
    """`quantity` 0 or less removes the line, so a stepper's minus button needs no second endpoint."""

    model_config = ConfigDict(extra="forbid", strict=True)

    quantity: int | None = Field(None, ge=-MAX_QUANTITY, le=MAX_QUANTITY)
    selected: bool | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateItem:
        if self.quantity is None and self.selected is None:
            raise ValueError("give quantity, selected or both")
        return self


class SelectAll(Model):
    model_config = ConfigDict(extra="forbid", strict=True)

    selected: bool
