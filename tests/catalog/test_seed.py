"""The local stack's demo data: seeded once, idempotent afterwards, usable at once."""
from __future__ import annotations

from infra.local import seed


def test_prepare_is_idempotent_and_usable(api, db) -> None:
    first = seed.prepare(admin_username="Owner", admin_password="demo-password")
    assert "admin: owner / demo-password" in first
    second = seed.prepare(admin_username="owner", admin_password="other-password")
    assert db.products.count_documents({}) == 12
    assert db.categories.count_documents({}) == len(seed.CATEGORIES)
    assert db.users.count_documents({"openid": "dev_demo"}) == 1
    assert any("already exists" in line for line in second)
    assert not any("other-password" in line for line in second)

    login = api.post("/v1/admin/login", {"username": "owner", "password": "demo-password"})
    assert login.status == 200, login
    token = next(line for line in second if line.startswith("user token: ")).split(": ", 1)[1]
    assert api.get("/v1/products", token=token).json["total"] == 12
    banners = api.get("/v1/banners").json["items"]  # seeded once although prepare ran twice
    assert [b["title"] for b in banners] == ["限时特价 每日上新", "三人拼团 降噪耳机"]
    assert api.get(banners[1]["link"].replace("/pages/product/detail?id=", "/v1/products/"), token=token).status == 200

    for product in db.products.find():
        skus = list(db.skus.find({"product_id": product["_id"]}))
        assert 2 <= len(skus) <= 6 and all(s["stock"] > 0 and s["price"] > 0 for s in skus)
        assert product["cover"].startswith("https://picsum.photos/seed/")


def test_generated_admin_password_is_printed_once(db) -> None:
    first = seed.prepare(admin_username=None, admin_password=None)
    line = next(line for line in first if line.startswith("admin: "))
    username, password = line.removeprefix("admin: ").split(" / ")
    assert username == "admin" and len(password) >= 12
    again = seed.prepare(admin_username=None, admin_password=None)
    assert password not in "\n".join(again)


def test_demo_marketing_and_distributors_work_through_the_api(api, db) -> None:
    seed.prepare(admin_username=None, admin_password=None)
    again = seed.prepare(admin_username=None, admin_password=None)
    assert db.coupon_templates.count_documents({}) == len(seed.COUPONS)
    assert db.distributors.count_documents({"status": "approved"}) == 1
    assert any(line.startswith("distributors: already present") for line in again)

    coupons = api.get("/v1/coupons").json["items"]
    assert {c["name"] for c in coupons} == {c["name"] for c in seed.COUPONS}
    promotions = api.get("/v1/promotions").json
    assert promotions, promotions

    alice = api.post("/v1/auth/wechat-login", {"code": "alice"}).json
    mine = api.get("/v1/distributor", token=alice["token"]).json
    assert mine["status"] == "approved" and mine["stats"]["team_level1"] == 1
    bob = api.post("/v1/auth/wechat-login", {"code": "bob"}).json
    assert bob["user"]["referrer_id"] == alice["user"]["id"]

    earbuds = db.products.find_one({"title": "主动降噪真无线蓝牙耳机"})
    detail = api.get(f"/v1/products/{earbuds['_id']}").json
    assert detail["group_buy"]["size"] == 3


def test_demo_points_are_on_with_two_levels_and_a_shopper_can_sign_in(api, db) -> None:
    seed.prepare(admin_username=None, admin_password=None)
    again = seed.prepare(admin_username=None, admin_password=None)
    assert "points: configured" in again
    token = next(line for line in again if line.startswith("user token: ")).split(": ", 1)[1]
    signed = api.post("/v1/me/points/sign-in", token=token)
    assert signed.status == 200 and signed.json["balance"] == 5
    level = api.get("/v1/me/level", token=token).json
    assert [lv["name"] for lv in level["levels"]] == ["银卡会员", "金卡会员"] and level["level"] is None
