"""Share cards: what the mini-program's onShareAppMessage uses on a product page.

When the viewer is an approved distributor the path carries their share code (`ref`), so whoever opens the
card is bound to them at sign-up (see the distribution binding rules) and their purchases earn commission.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pymongo.database import Database

from fenxiao.pages import PRODUCT_PAGE

_TITLE_MAX = 60  # WeChat trims long share titles anyway; keep the price prefix visible


def approved_distributor(db: Database, viewer_id: str | None) -> dict[str, Any] | None:
    """The viewer's distributor document (status, code, grade) when they are an approved distributor.

    Read once per product request and shared by the share card (their `ref`) and the commission preview.
    Read directly rather than through `fenxiao.distribution.distributors`, whose imports (crypto, settings)
    a product page does not otherwise need; the rule is the same: approved and holding a code.
    """
    if not viewer_id:
        return None
    doc = db.distributors.find_one({"_id": viewer_id}, {"status": 1, "code": 1, "grade_id": 1})
    return doc if doc and doc.get("status") == "approved" and doc.get("code") else None


def share_card(product: dict[str, Any], ref: str | None, promotion: dict[str, Any] | None = None
               ) -> dict[str, Any]:
    """`{title, image, path}`; a running limited-time price leads the title, because it sells the click."""
    title = product["title"]
    if promotion is not None:
        fen = promotion["price"]
        title = f"限时价 ¥{fen // 100}.{fen % 100:02d} {title}"  # fen → yuan without a float
    images = product.get("images") or []
    query = {"id": product["_id"], **({"ref": ref} if ref else {})}
    return {"title": title[:_TITLE_MAX], "image": product.get("cover") or (images[0] if images else None),
            "path": f"/{PRODUCT_PAGE}?{urlencode(query)}"}
