"""The catalog's `commission`: what an approved distributor earns at level 1, absent for everyone else."""
from __future__ import annotations

from tests.catalog.conftest import product_body
from tests.support.factories import make_user


def make_product(api, owner, **overrides):
    category = api.post("/v1/admin/categories", {"name": "服饰"}, token=owner).json
    resp = api.post("/v1/admin/products", product_body(category["id"], **overrides), token=owner)
    assert resp.status == 201, resp
    return resp.json


def test_commission_only_for_approved_distributors(api, db, owner, distributor):
    product = make_product(api, owner)  # SKU prices 5900 … 8900, global level 1 = 10 %
    d, token, _ = distributor()
    listed = api.get("/v1/products", token=token).json["items"]
    assert listed[0]["commission"] == 590
    detail = api.get(f"/v1/products/{product['id']}", token=token).json
    assert detail["commission"] == 590
    assert sorted(s["commission"] for s in detail["skus"]) == [590, 690, 790, 890]

    _, shopper = make_user(db)
    _pending_id, pending = make_user(db)
    api.post("/v1/distributor/application", {"real_name": "李四", "phone": "13600000000"}, token=pending)
    for viewer in (shopper, pending, None):
        assert "commission" not in api.get("/v1/products", token=viewer).json["items"][0]
        page = api.get(f"/v1/products/{product['id']}", token=viewer).json
        assert "commission" not in page and all("commission" not in s for s in page["skus"])
    api.put(f"/v1/admin/distributors/{d}", {"status": "disabled"}, token=owner)
    assert "commission" not in api.get("/v1/products", token=token).json["items"][0]


def test_grade_and_product_settings_take_precedence(api, db, owner, distributor):
    plain = make_product(api, owner)
    fixed = make_product(api, owner, commission={"mode": "fixed", "levels": [300, 100]})
    grade = api.post("/v1/admin/grades", {"name": "金牌", "rates_bp": [2000]}, token=owner).json
    d, token, _ = distributor()
    api.put(f"/v1/admin/distributors/{d}", {"grade_id": grade["id"]}, token=owner)
    by_id = {p["id"]: p for p in api.get("/v1/products", token=token).json["items"]}
    assert by_id[plain["id"]]["commission"] == 1180    # 20 % of 5900 (grade)
    assert by_id[fixed["id"]]["commission"] == 300     # product's fixed amount per unit
