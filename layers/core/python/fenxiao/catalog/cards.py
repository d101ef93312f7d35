"""A product as lists show it (the shop list, favourites): one projection, one shape."""
from __future__ import annotations

from typing import Any

CARD_FIELDS = {"title": 1, "cover": 1, "price_min": 1, "price_max": 1, "sales": 1, "commission": 1}


def card(doc: dict[str, Any], promotion: dict[str, Any] | None = None) -> dict[str, Any]:
    """A product in a list; `promotion` (the running limited-time price) only when one applies."""
    shown = {"id": doc["_id"], "title": doc["title"], "cover": doc.get("cover"), "price_min": doc["price_min"],
             "price_max": doc["price_max"], "sales": doc.get("sales", 0)}
    if promotion is not None:
        shown["promotion"] = promotion
    return shown
