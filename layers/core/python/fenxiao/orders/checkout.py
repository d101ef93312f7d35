"""From a checkout request to a priced `Checkout`: the ONE path both the preview and placement take.

`build_checkout` resolves the lines (explicit items or the selected cart lines), loads their SKUs and
products in two `$in` reads, refuses what cannot be bought, asks `load_rules` for the promotions, the
coupon and the shipping policy, and prices it all with `fenxiao.pricing.price`. The preview renders the
result; placement snapshots the very same result into the order, so what the preview says is what the
order charges.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pymongo.database import Database

from fenxiao.errors import BusinessRule, Conflict, InvalidInput, NotFound
from fenxiao.orders.models import MAX_LINES, MAX_QUANTITY, CheckoutIn
from fenxiao.points.checkout import Benefits, checkout_benefits
from fenxiao.pricing import (
    Coupon,
    FreeShipping,
    LineItem,
    Quote,
    QuotedLine,
    ShippingPolicy,
    ShippingRule,
    price,
    rank_coupons,
)
from fenxiao.pricing.rules import Rule

Source = Literal["cart", "direct"]

_SKU_FIELDS = {"product_id": 1, "specs": 1, "price": 1, "stock": 1, "active": 1, "weight": 1}
_PRODUCT_FIELDS = {"title": 1, "cover": 1, "images": {"$slice": 1}, "status": 1, "category_id": 1,
                   "shipping_template_id": 1}


@dataclass(frozen=True)
class CheckoutRules:
    """Everything besides the lines that decides the price.

    `rules`: promotions in force now (unit-price and order-level rules); `coupon`: the buyer's chosen
    coupon as a rule, or None; `candidates`: the buyer's coupons worth ranking for `usable_coupons`;
    `group_buy`: what the order records about its group (`{campaign_id, group_id, status}`), or None;
    `seckill` / `bargain`: what a seckill or bargain order records about its activity or bargain, or None;
    `pay_minutes`: a shorter pay deadline than the shop's (a seckill's), or None;
    `lines`: the lines to price when a rule needed them enriched (parent categories for a coupon scoped
    to a parent category), else None for the lines as given.
    """

    shipping: ShippingRule
    rules: list[Rule] = field(default_factory=list)
    coupon: Coupon | None = None
    candidates: list[Coupon] = field(default_factory=list)
    group_buy: dict[str, Any] | None = None
    seckill: dict[str, Any] | None = None
    bargain: dict[str, Any] | None = None
    pay_minutes: int | None = None
    lines: list[LineItem] | None = None
    benefits: Benefits | None = None


def load_rules(db: Database, user_id: str, lines: list[LineItem], request: CheckoutIn, now: datetime,
               address: dict[str, Any] | None = None) -> CheckoutRules:
    """THE one place marketing and shipping plug into checkout: promotions, coupons, group-buy prices and
    the shipping fee (the shop's flat fee, or the lines' shipping templates for the address's region).

    - active limited-time prices and full reductions (filtered by `now`, `fenxiao.marketing.promotions`)
      → `rules`;
    - `request.coupon_id` → the user's unused, currently valid coupon as a `Coupon` rule (`coupon`), 422
      COUPON_NOT_APPLICABLE {reason: COUPON_NOT_FOUND | COUPON_USED | COUPON_EXPIRED | COUPON_NOT_STARTED}
      when it is not theirs or not usable now, 409 COUPON_IN_USE while another unpaid order holds it;
    - the user's usable coupons → `candidates` (the preview ranks them into `usable_coupons`);
    - `lines` enriched with parent categories when a coupon is scoped to categories;
    - `request.group_buy` / `request.seckill` / `request.bargain_id` → its exclusive price in `rules` (the
      engine switches the rest off) and `group_buy` / `seckill` / `bargain` for the order document;
    - the shopper's member level and `request.points` → the member discount and the points redemption in
      `rules`, free shipping around `shipping` (`fenxiao.points.checkout`).
    A coupon is locked to the order (and given back on cancel/close) by marketing as well; placement
    and lifecycle say where in their docstrings.
    """
    # Local for cold start: marketing and shop settings load only where a checkout is priced.
    from fenxiao.marketing.coupons import candidate_coupons, checkout_coupon, lines_for_coupons
    from fenxiao.marketing.promotions import active_rules
    from fenxiao.settings import get_shop_settings
    from fenxiao.shipping.templates import checkout_shipping

    flat = get_shop_settings(db).shipping
    shipping: ShippingRule = checkout_shipping(db, [line.shipping_template_id for line in lines],
                                               ShippingPolicy(flat_fee=flat.flat_fee, free_over=flat.free_over),
                                               address)
    benefits = checkout_benefits(db, user_id, request.points)
    if benefits.free_shipping:
        shipping = FreeShipping(shipping)
    special = _special_price(db, user_id, lines, request, now)
    coupon = checkout_coupon(db, user_id, request.coupon_id, now) if request.coupon_id is not None else None
    candidates = candidate_coupons(db, user_id, now) if special is None else []  # none stacks on them
    return CheckoutRules(shipping=shipping,
                         rules=[*active_rules(db, now), *([special.rule] if special else []), *benefits.rules],
                         coupon=coupon, candidates=candidates,
                         lines=lines_for_coupons(db, lines, [coupon, *candidates]), benefits=benefits,
                         **(special.fields if special else {}))


@dataclass(frozen=True)
class SpecialPrice:
    """An exclusive price (group buy, seckill, bargain) and what the order records about it."""

    rule: Rule
    fields: dict[str, Any]


def _special_price(db: Database, user_id: str, lines: list[LineItem], request: CheckoutIn, now: datetime
                   ) -> SpecialPrice | None:
    """The request's group buy, seckill or bargain (at most one: CheckoutIn) as its exclusive rule.

    Local imports for cold start: only a checkout with a special price loads its marketing module.
    """
    if request.group_buy is not None:
        from fenxiao.marketing.groupbuy.checkout import group_buy_rule

        group = group_buy_rule(db, user_id, lines, request.group_buy, now)
        return SpecialPrice(group.rule, {"group_buy": group.order_fields})
    if request.seckill is not None:
        from fenxiao.marketing.seckill.checkout import seckill_rule

        seckill = seckill_rule(db, user_id, lines, request.seckill, now)
        return SpecialPrice(seckill.rule, {"seckill": seckill.order_fields, "pay_minutes": seckill.pay_minutes})
    if request.bargain_id is not None:
        from fenxiao.marketing.bargain.checkout import bargain_rule

        bargain = bargain_rule(db, user_id, lines, request.bargain_id, now)
        return SpecialPrice(bargain.rule, {"bargain": bargain.order_fields})
    return None


@dataclass(frozen=True)
class Item:
    """One line to buy with the catalog documents it was priced from."""

    sku: dict[str, Any]
    product: dict[str, Any]
    quantity: int

    @property
    def sku_id(self) -> str:
        return self.sku["_id"]

    @property
    def stock(self) -> int:
        return max(0, self.sku.get("stock", 0))

    @property
    def cover(self) -> str | None:
        return self.product.get("cover") or next(iter(self.product.get("images") or []), None)

    def line_item(self) -> LineItem:
        return LineItem(self.sku_id, self.product["_id"], self.product.get("category_id"), self.quantity,
                        self.sku["price"], title=self.product.get("title", ""),
                        shipping_template_id=self.product.get("shipping_template_id"),
                        weight=int(self.sku.get("weight") or 0))

    def snapshot(self, quoted: QuotedLine) -> dict[str, Any]:
        """The order line: what was bought and what it cost, frozen at placement (data-model.md)."""
        return {"sku_id": self.sku_id, "product_id": self.product["_id"],
                "category_id": self.product.get("category_id"), "title": self.product.get("title", ""),
                "specs": self.sku.get("specs", {}), "cover": self.cover, "quantity": self.quantity,
                "original_unit_price": quoted.original_unit_price, "unit_price": quoted.unit_price,
                "discount": quoted.discount, "promotion_discount": quoted.promotion_discount,
                "coupon_discount": quoted.coupon_discount, "member_discount": quoted.member_discount,
                "points_discount": quoted.points_discount, "paid": quoted.paid,
                "refunded_quantity": 0, "refunded_amount": 0}


@dataclass(frozen=True)
class Checkout:
    items: list[Item]
    quote: Quote
    rules: CheckoutRules
    source: Source
    address: dict[str, Any] | None

    @property
    def shortages(self) -> list[dict[str, Any]]:
        return [{"sku_id": i.sku_id, "requested": i.quantity, "stock": i.stock}
                for i in self.items if i.quantity > i.stock]

    def ensure_placeable(self) -> None:
        """Placement refuses what the preview only shows: short stock and a chosen coupon that does not apply.

        The stock check here is a courtesy (a clear error before any write); the reservation re-checks
        atomically, which is what actually prevents overselling.
        """
        shortages = self.shortages
        if shortages:
            raise BusinessRule("Not enough stock for one of the items", code="OUT_OF_STOCK",
                               details=shortages[0])
        self.quote.ensure_coupon_applied()

    def ensure_expected(self, expected_pay_amount: int | None) -> None:
        """409 PRICE_CHANGED, with the preview as it is now, when the shopper saw another amount.

        A promotion that ended, a price the merchant changed or a coupon that expired between the preview
        and the tap on "pay" must not silently charge a different amount.
        """
        if expected_pay_amount is not None and expected_pay_amount != self.quote.pay_amount:
            raise Conflict("The price changed since you saw it", code="PRICE_CHANGED",
                           details={"expected_pay_amount": expected_pay_amount,
                                    "pay_amount": self.quote.pay_amount, "preview": self.preview()})

    def order_lines(self) -> list[dict[str, Any]]:
        return [item.snapshot(quoted) for item, quoted in zip(self.items, self.quote.lines, strict=True)]

    def preview(self) -> dict[str, Any]:
        """API.md's preview shape, plus what the checkout page shows beside the figures."""
        body = self.quote.to_api()
        for line, item in zip(body["lines"], self.items, strict=True):
            line.update(title=item.product.get("title", ""), specs=item.sku.get("specs", {}), cover=item.cover,
                        stock=item.stock, insufficient_stock=item.quantity > item.stock)
        body["promotions"] = [{"id": p.rule.id, "kind": p.rule.rule_type, "name": p.rule.name,
                               "discount": p.discount} for p in self.quote.promotions]
        body["coupon"] = self.quote.coupon.to_doc() if self.quote.coupon else None
        body["usable_coupons"] = self._usable_coupons()
        if self.rules.benefits is not None:
            body.update(self.rules.benefits.preview(self.quote))
        return body

    def _usable_coupons(self) -> list[dict[str, Any]]:
        if not self.rules.candidates:
            return []
        lines = self.rules.lines or [item.line_item() for item in self.items]
        options = rank_coupons(lines, self.rules.rules, self.rules.candidates, self.rules.shipping)
        # the coupons that apply, best first (rank_coupons puts applicable ones first)
        return [{"id": o.coupon.id, "name": o.coupon.name, "discount": o.discount, "pay_amount": o.pay_amount}
                for o in options if o.applicable]


def requested_lines(db: Database, user_id: str, request: CheckoutIn) -> tuple[list[tuple[str, int]], Source]:
    """`(sku_id, quantity)` pairs, duplicates merged in first-seen order, and where they came from."""
    if request.from_cart:
        # local for cold start: only a cart checkout loads the cart
        from fenxiao.cart import selected_lines

        raw = [(line["sku_id"], line["quantity"]) for line in selected_lines(db, user_id)]
        if not raw:
            raise BusinessRule("No items are selected in your cart", code="CART_EMPTY")
        source: Source = "cart"
    else:
        raw = [(line.sku_id, line.quantity) for line in request.items or []]
        source = "direct"
    merged: dict[str, int] = {}
    for sku_id, quantity in raw:
        merged[sku_id] = merged.get(sku_id, 0) + quantity
    if len(merged) > MAX_LINES:
        raise BusinessRule(f"An order holds at most {MAX_LINES} different items", code="TOO_MANY_LINES",
                           details={"max_lines": MAX_LINES, "lines": len(merged)})
    too_many = [sku_id for sku_id, quantity in merged.items() if quantity > MAX_QUANTITY]
    if too_many:
        raise InvalidInput(f"At most {MAX_QUANTITY} units of one item per order",
                           details={"fields": [{"field": "items", "message": "quantity over limit",
                                                "sku_id": too_many[0], "type": "quantity_over_limit",
                                                "ctx": {"max": MAX_QUANTITY}}]})
    return list(merged.items()), source


def load_items(db: Database, lines: list[tuple[str, int]]) -> list[Item]:
    """Two `$in` reads; a missing or retired SKU is 404 SKU_NOT_FOUND, an off-sale product 422."""
    sku_ids = [sku_id for sku_id, _ in lines]
    skus = {s["_id"]: s for s in db.skus.find({"_id": {"$in": sku_ids}}, _SKU_FIELDS)}
    product_ids = list({s["product_id"] for s in skus.values()})
    products = {p["_id"]: p for p in db.products.find({"_id": {"$in": product_ids}}, _PRODUCT_FIELDS)}
    items = []
    for sku_id, quantity in lines:
        sku = skus.get(sku_id)
        product = products.get(sku["product_id"]) if sku else None
        if sku is None or product is None or not sku.get("active", True):
            raise NotFound("This item no longer exists", code="SKU_NOT_FOUND", details={"sku_id": sku_id})
        if product.get("status") != "on_sale":
            raise BusinessRule("This product is not on sale", code="PRODUCT_OFF_SALE",
                               details={"sku_id": sku_id, "product_id": product["_id"]})
        items.append(Item(sku, product, quantity))
    return items


def build_checkout(db: Database, user_id: str, request: CheckoutIn, now: datetime) -> Checkout:
    """Resolve, validate and price a checkout request; nothing is written."""
    lines, source = requested_lines(db, user_id, request)
    items = load_items(db, lines)
    address = None
    if request.address_id is not None:
        # local for cold start: only an order with an address loads the address book
        from fenxiao.users.addresses import get_address

        address = get_address(db, user_id, request.address_id)
    line_items = [item.line_item() for item in items]
    rules = load_rules(db, user_id, line_items, request, now, address)
    coupon = [rules.coupon] if rules.coupon is not None else []
    quote = price(rules.lines or line_items, [*rules.rules, *coupon], rules.shipping)
    return Checkout(items, quote, rules, source, address)


def preview_checkout(db: Database, user_id: str, request: CheckoutIn, now: datetime) -> dict[str, Any]:
    checkout = build_checkout(db, user_id, request, now)
    checkout.ensure_expected(request.expected_pay_amount)
    return checkout.preview()
