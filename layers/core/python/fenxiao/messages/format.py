"""Values → the strings WeChat accepts for each template keyword type.

WeChat refuses a whole message (47003) when one value does not fit its keyword's type, so values are
shaped here by the keyword's type prefix (`thing3` is a thing: at most 20 characters): amounts in yuan
with the ¥ sign, times in Beijing time, texts cut with an ellipsis. Pure functions, no I/O.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fenxiao.clock import CHINA_TZ

LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "name": 10, "letter": 32, "symbol": 5,
          "number": 32, "phone_number": 17}


def keyword_type(keyword: str) -> str:
    """`thing12` → `thing`: WeChat names every keyword by its type and a position."""
    return keyword.rstrip("0123456789")


def yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_value(keyword: str, value: Any) -> str:
    """One value for one keyword, shaped by the keyword's type."""
    kind = keyword_type(keyword)
    if isinstance(value, datetime):
        return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M" if kind != "date" else "%Y-%m-%d")
    if kind == "amount" and isinstance(value, int):
        return yuan(value)
    text = str(value).strip() or "-"
    if kind == "character_string":  # printable ASCII only, so cut without an ellipsis
        return (re.sub(r"[^\x21-\x7e]", "", text) or "-")[: LIMITS[kind]]
    if kind == "phrase":
        text = re.sub(r"[\d\sA-Za-z]", "", text) or "完成"
    return _cut(text, LIMITS.get(kind, 20))


def render_data(fields: dict[str, str], values: dict[str, Any]) -> dict[str, str]:
    """The template's data: keyword → rendered value of the event value it is mapped to."""
    return {keyword: render_value(keyword, values.get(name, "-")) for keyword, name in fields.items()}
