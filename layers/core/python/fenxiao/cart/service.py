"""Cart use cases. The cart document is `{_id: user_id, items: [{sku_id, quantity, selected, added_at}]}`.

Every write is one conditional update on that document, so concurrent requests from the same shopper
(two taps, two devices) never lose each other's changes:
- adding to an existing line is `$inc` on `items.$[line].quantity`, matched only while the result stays within
  the line's limit;
- adding a new line is `$push`, matched only while no line has that SKU and the cart has room
  (`items.<MAX_LINES-1>` must not exist), upserting the document for a first add;
- when neither matches, one read tells why (limit, full cart) or shows a race was lost, and we retry.
Ownership needs no check: the document's `_id` is the caller's user id.
Lines are listed newest first.
"""
from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from fenxiao import clock
from fenxiao.cart import rules
from fenxiao.cart.catalog_view import sellable, sellables
from fenxiao.cart.models import MAX_LINES, AddItem, UpdateItem
from fenxiao.errors import BusinessRule, Conflict, NotFound
from fenxiao.marketing.promotions import active_promotions
from fenxiao.marketing.rules import sku_promo_prices

_ADD_ATTEMPTS = 5  # each retry means another request changed this cart in between; a few always suffice


def render(doc: dict[str, Any] | None, db: Database) -> dict[str, Any]:
    items = list(reversed((doc or {}).get("items", [])))
    catalog = sellables(db, (item["sku_id"] for item in items))
    promo = sku_promo_prices(active_promotions(db), (sku for sku, _ in catalog.values() if sku is not None))
    lines = [rules.render_line(item, *catalog[item["sku_id"]], promo.get(item["sku_id"])) for item in items]
    return {"items": lines, "selected_total": rules.selected_total(lines)}


def get_cart(db: Database, user_id: str) -> dict[str, Any]:
    return render(db.carts.find_one({"_id": user_id}), db)


def _line_not_found(sku_id: str) -> NotFound:
    return NotFound("This item is not in your cart", code="CART_ITEM_NOT_FOUND", details={"sku_id": sku_id})


def _update(db: Database, filter_: dict[str, Any], update: dict[str, Any], *, upsert: bool = False,
            line: str | None = None) -> dict[str, Any] | None:
    """One conditional write returning the new cart. `line` names the SKU that `items.$[line]` means:
    an array filter rather than the positional `$`, which SecantusDB's findAndModify does not support."""
    update.setdefault("$set", {})["updated_at"] = clock.now()
    try:
        return db.carts.find_one_and_update(filter_, update, upsert=upsert,
                                            array_filters=[{"line.sku_id": line}] if line else None,
                                            return_document=ReturnDocument.AFTER)
    except DuplicateKeyError:
        # An upsert whose filter did not match an existing cart: same meaning as "no match".
        return None


def add_item(db: Database, user_id: str, data: AddItem) -> dict[str, Any]:
    sku_id, quantity = data.sku_id, data.quantity
    sku, product = sellable(db, sku_id)
    limit = rules.ensure_buyable(sku_id, sku, product)
    stock = (sku or {}).get("stock", 0)
    rules.check_line_quantity(sku_id, quantity, stock)
    for _ in range(_ADD_ATTEMPTS):
        room = {"sku_id": sku_id, "quantity": {"$lte": limit - quantity}}
        doc = _update(db, {"_id": user_id, "items": {"$elemMatch": room}},
                      {"$inc": {"items.$[line].quantity": quantity},
                       "$set": {"items.$[line].selected": True}}, line=sku_id)
        if doc is None:
            new_line = {"sku_id": sku_id, "quantity": quantity, "selected": True, "added_at": clock.now()}
            doc = _update(db, {"_id": user_id, "items.sku_id": {"$ne": sku_id},
                               f"items.{MAX_LINES - 1}": {"$exists": False}},
                          {"$push": {"items": new_line}}, upsert=True)
        if doc is not None:
            return render(doc, db)
        _explain_refusal(db, user_id, sku_id, quantity, stock)
    raise Conflict("Your cart changed several times meanwhile; try again", code="CART_BUSY")


def _explain_refusal(db: Database, user_id: str, sku_id: str, quantity: int, stock: int) -> None:
    """Both conditional updates missed: raise the rule that refused, or return to retry a lost race."""
    items = (db.carts.find_one({"_id": user_id}, {"items": 1}) or {}).get("items", [])
    line = next((item for item in items if item["sku_id"] == sku_id), None)
    if line is not None:
        rules.check_line_quantity(sku_id, line["quantity"] + quantity, stock, in_cart=line["quantity"])
    elif len(items) >= MAX_LINES:
        raise BusinessRule(f"A cart holds at most {MAX_LINES} different items", code="CART_FULL",
                           details={"max_lines": MAX_LINES})


def update_item(db: Database, user_id: str, sku_id: str, data: UpdateItem) -> dict[str, Any]:
    if data.quantity is not None and data.quantity <= 0:
        return remove_item(db, user_id, sku_id)
    changes: dict[str, Any] = {}
    if data.selected is not None:
        changes["items.$[line].selected"] = data.selected
    if data.quantity is not None:
        try:
            sku, product = sellable(db, sku_id)
            rules.ensure_buyable(sku_id, sku, product)
            rules.check_line_quantity(sku_id, data.quantity, (sku or {}).get("stock", 0))
        except (NotFound, BusinessRule):
            # A line that is not in the cart is the better answer than why its SKU cannot be bought.
            if db.carts.count_documents({"_id": user_id, "items.sku_id": sku_id}, limit=1) == 0:
                raise _line_not_found(sku_id) from None
            raise
        changes["items.$[line].quantity"] = data.quantity
    doc = _update(db, {"_id": user_id, "items.sku_id": sku_id}, {"$set": changes}, line=sku_id)
    if doc is None:
        raise _line_not_found(sku_id)
    return render(doc, db)


def remove_item(db: Database, user_id: str, sku_id: str) -> dict[str, Any]:
    doc = _update(db, {"_id": user_id, "items.sku_id": sku_id}, {"$pull": {"items": {"sku_id": sku_id}}})
    if doc is None:
        raise _line_not_found(sku_id)
    return render(doc, db)


def select_all(db: Database, user_id: str, selected: bool) -> dict[str, Any]:
    # `items.0` guard: `$[]` fails on a cart without lines, and an empty cart has nothing to select.
    doc = _update(db, {"_id": user_id, "items.0": {"$exists": True}},
                  {"$set": {"items.$[].selected": selected}})
    return render(doc, db) if doc is not None else get_cart(db, user_id)


# --- for order placement -----------------------------------------------------------------------------

def selected_lines(db: Database, user_id: str) -> list[dict[str, Any]]:
    """The selected lines, oldest first, as `{sku_id, quantity}`; availability is the caller's to check,
    since placing an order re-checks stock atomically anyway and can name the line that failed."""
    doc = db.carts.find_one({"_id": user_id}, {"items": 1}) or {}
    return [{"sku_id": item["sku_id"], "quantity": item["quantity"]}
            for item in doc.get("items", []) if item.get("selected", True)]


def remove_lines(db: Database, user_id: str, sku_ids: list[str]) -> None:
    """Drop ordered lines; a line already gone is fine (order placement may be retried)."""
    if sku_ids:
        db.carts.update_one({"_id": user_id},
                            {"$pull": {"items": {"sku_id": {"$in": list(sku_ids)}}},
                             "$set": {"updated_at": clock.now()}})
