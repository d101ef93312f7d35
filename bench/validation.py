"""Request-time validation speed: the model engine (`fenxiao.model`) against pydantic on the same models.

Validates typical bodies as the runtime does (`model_validate_json(raw, strict=True)`) and a typical query
(`model_validate(dict of strings)`) N times each, with the shipped declaration and its pydantic twin
(`tests/model/oracle.py`, the differential test's oracle), and prints µs of CPU per validation. pydantic
validates in Rust, the engine in Python: the question is whether the difference matters next to a
request's database round trips (milliseconds).

    .venv/bin/python bench/validation.py [--n 2000]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "core" / "python")]

from fenxiao.catalog.models import ProductIn  # noqa: E402
from fenxiao.orders.models import OrderQuery, PlaceOrderIn  # noqa: E402
from tests.model import oracle  # noqa: E402

PLACE_ORDER = {"items": [{"sku_id": f"sku{i:04d}", "quantity": i + 1} for i in range(3)],
               "address_id": "a1b2c3", "coupon_id": "c9", "points": 100, "expected_pay_amount": 12_900,
               "note": " 请尽快发货 "}
PRODUCT = {"title": " 秋季新款羊毛衫 ", "subtitle": "柔软保暖", "category_id": "cat1",
           "images": [f"https://cdn.example.com/p/{i}.jpg" for i in range(5)], "description": "商品详情" * 50,
           "specs": [{"name": "颜色", "values": ["红", "蓝", "黑"]}, {"name": "尺码", "values": ["S", "M", "L", "XL"]}],
           "skus": [{"specs": {"颜色": c, "尺码": s}, "price": 19_900, "original_price": 29_900, "stock": 100,
                     "weight": 300} for c in ("红", "蓝", "黑") for s in ("S", "M", "L", "XL")],
           "status": "on_sale", "commission": {"mode": "rate", "levels": [1000, 500]}}
QUERY = {"page": "2", "page_size": "50", "status": "paid"}


def _per_call(validate: Any, n: int) -> float:
    validate()  # the first call compiles / builds: not what a warm request pays
    started = time.process_time()
    for _ in range(n):
        validate()
    return (time.process_time() - started) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    cases = [("place order (body, strict JSON)", PlaceOrderIn, json.dumps(PLACE_ORDER).encode(), "json"),
             ("product editor, 12 SKUs (body, strict JSON)", ProductIn, json.dumps(PRODUCT).encode(), "json"),
             ("order list (query strings, lax)", OrderQuery, QUERY, "python")]
    print(f"µs of CPU per validation, mean of {n} calls after a first (compiling) one")
    print(f"{'case':46} {'engine':>8} {'pydantic':>9} {'ratio':>6}")
    for label, model, data, mode in cases:
        twin = oracle.twin(model)
        if mode == "json":
            ours = _per_call(lambda m=model, d=data: m.model_validate_json(d, strict=True), n)
            theirs = _per_call(lambda m=twin, d=data: m.model_validate_json(d, strict=True), n)
        else:
            ours = _per_call(lambda m=model, d=data: m.model_validate(d), n)
            theirs = _per_call(lambda m=twin, d=data: m.model_validate(d), n)
        print(f"{label:46} {ours:8.1f} {theirs:9.1f} {ours / theirs:5.1f}×")


if __name__ == "__main__":
    main()
