"""Input models of the catalog: the shapes API.md promises, with every bound the rules rely on.

Shape problems (types, lengths, ranges) are 400 INVALID_INPUT from these models; rules that relate one
field to another (a SKU's specs against the declared specs) live in `rules.py` and answer 422.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fenxiao.model import ConfigDict, Field, Model, StringConstraints, ValidationInfo, field_validator
from fenxiao.paging import PageQuery
from fenxiao.storage import ImageUrl

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]

# Basis points cap a per-level commission rate at 50 %, so a misconfigured product cannot give away
# more than half of what a buyer paid at any single level.
MAX_RATE_BP = 5000
MAX_SKUS = 200
MAX_PRICE = 100_000_000  # fen: 1 000 000 yuan, which catches yuan/fen mix-ups

SortKey = Literal["default", "sales", "price_asc", "price_desc", "new"]
Status = Literal["on_sale", "off_sale"]
ARCHIVED = "archived"  # deleted by the merchant: out of the shop and the admin list, kept for order history


class _Strict(Model):
    model_config = ConfigDict(extra="forbid")


class ProductQuery(PageQuery):
    """The shop's product list: `q` searches titles, `category_id` includes its child categories,
    `promotion` keeps the products with a running limited-time price or group-buy campaign (home sections)."""

    category_id: Id | None = None
    promotion: Literal["limited_time", "group_buy"] | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] | None = None
    sort: SortKey = "default"


class AdminProductQuery(PageQuery):
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] | None = None
    status: Literal["on_sale", "off_sale", "archived"] | None = None
    category_id: Id | None = None


class SpecIn(_Strict):
    name: Name
    values: list[Name] = Field(min_length=1, max_length=50)


class SkuIn(_Strict):
    specs: dict[Name, Name] = Field(default_factory=dict, max_length=5)
    price: int = Field(ge=1, le=MAX_PRICE)
    original_price: int | None = Field(None, ge=1, le=MAX_PRICE)
    stock: int = Field(ge=0, le=10_000_000)
    image: ImageUrl | None = None  # the picture of this variant (the product page shows it when chosen)
    weight: int = Field(0, ge=0, le=1_000_000)  # grams per unit: shipping templates that charge by weight


class CommissionIn(_Strict):
    """Per-product commission: `rate` levels are basis points of the paid amount, `fixed` are fen per unit."""

    mode: Literal["rate", "fixed"]
    # Bounded like a price in both modes, so a nonsense number is a 400 at the door instead of an integer
    # every later rule (and the database's 64-bit ints) must survive; rates are capped again below.
    levels: list[Annotated[int, Field(ge=0, le=MAX_PRICE)]] = Field(min_length=1, max_length=3)

    @field_validator("levels")
    @classmethod
    def _rate_cap(cls, levels: list[int], info: ValidationInfo) -> list[int]:
        if info.data.get("mode") == "rate" and any(level > MAX_RATE_BP for level in levels):
            raise ValueError(f"a rate level is at most {MAX_RATE_BP} basis points")
        return levels


class ProductIn(_Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    subtitle: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    category_id: Id
    images: list[ImageUrl] = Field(min_length=1, max_length=20)
    description: str = Field("", max_length=20_000)
    # the product page's long picture story under the description, top to bottom
    detail_images: list[ImageUrl] = Field(default_factory=list, max_length=30)
    specs: list[SpecIn] = Field(default_factory=list, max_length=5)
    skus: list[SkuIn] = Field(min_length=1, max_length=MAX_SKUS)
    status: Status
    commission: CommissionIn | None = None
    shipping_template_id: Id | None = None  # null: the shop's flat shipping fee (fenxiao.shipping.templates)


class CategoryIn(_Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    parent_id: Id | None = None
    sort: int = Field(0, ge=-1_000_000, le=1_000_000)
    icon: ImageUrl | None = None
