"""Parsing JSON that anyone on the internet may have written (request bodies, WeChat Pay callbacks).

`json.loads` raises RecursionError, not ValueError, for arrays or objects nested about a thousand levels
deep; callers that turn ValueError into a 400 would answer such a body with a 500. `loads` makes every
unparsable input a ValueError.
"""
from __future__ import annotations

import json
from typing import Any


def loads(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
