"""The rating summary a product page shows, from the counters kept on the product (reviews.service)."""
from __future__ import annotations

from typing import Any


def rating_summary(rating: dict[str, Any] | None) -> dict[str, Any]:
    """Count, average (one decimal), distribution by stars ("1"…"5"), share of 4–5 stars in percent."""
    rating = rating or {}
    count = int(rating.get("count") or 0)
    dist = {str(stars): int((rating.get("dist") or {}).get(str(stars)) or 0) for stars in range(1, 6)}
    if count <= 0:
        return {"count": 0, "average": None, "dist": dist, "good_rate": None}
    average = round(int(rating.get("sum") or 0) / count, 1)
    return {"count": count, "average": average, "dist": dist,
            "good_rate": round((dist["4"] + dist["5"]) * 100 / count)}
