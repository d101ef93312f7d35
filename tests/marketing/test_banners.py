"""Home banners through the real handlers: the merchant's CRUD under /v1/admin/banners, the shop's
GET /v1/banners (enabled only, in the merchant's order), validation and authorisation."""
from __future__ import annotations

import pytest

IMG = "https://img.test/banner.jpg"


def _new(api, admin, **body):  # type: ignore[no-untyped-def]
    r = api.post("/v1/admin/banners", {"image": IMG, **body}, token=admin)
    assert r.status == 201, r
    return r.json


def test_merchant_manages_banners_and_the_shop_sees_enabled_ones_in_order(api, admin) -> None:
    second = _new(api, admin, title="新品", sort=2, link="/pages/product/detail?id=p1")
    first = _new(api, admin, title="领券", sort=1, link="/pages/coupons/index")
    hidden = _new(api, admin, title="草稿", enabled=False)
    assert first == {"id": first["id"], "image": IMG, "title": "领券", "link": "/pages/coupons/index", "sort": 1,
                     "enabled": True}
    assert [b["id"] for b in api.get("/v1/banners").json["items"]] == [first["id"], second["id"]]
    assert {b["id"] for b in api.get("/v1/admin/banners", token=admin).json["items"]} == {
        first["id"], second["id"], hidden["id"]}

    r = api.put(f"/v1/admin/banners/{second['id']}", {"image": IMG, "title": "新品上市", "sort": 0}, token=admin)
    assert r.status == 200 and r.json["title"] == "新品上市" and r.json["link"] is None, r
    assert [b["id"] for b in api.get("/v1/banners").json["items"]] == [second["id"], first["id"]]

    assert api.delete(f"/v1/admin/banners/{first['id']}", token=admin).status == 204
    assert [b["id"] for b in api.get("/v1/banners").json["items"]] == [second["id"]]
    assert api.delete(f"/v1/admin/banners/{first['id']}", token=admin).error_code == "BANNER_NOT_FOUND"
    r = api.put(f"/v1/admin/banners/{first['id']}", {"image": IMG}, token=admin)
    assert r.status == 404 and r.error_code == "BANNER_NOT_FOUND", r


@pytest.mark.parametrize("body", [
    {"image": "not-a-url"},
    {"image": IMG, "link": "https://evil.test/"},       # a web page: a mini-program cannot open it
    {"image": IMG, "link": "/pages/product/detail?id=<x>"},
    {"image": IMG, "title": "x" * 41},
    {"image": IMG, "colour": "red"},
])
def test_bad_banners_are_refused(api, admin, body) -> None:
    r = api.post("/v1/admin/banners", body, token=admin)
    assert r.status == 400 and r.error_code == "INVALID_INPUT", r


def test_only_the_merchant_manages_banners(api, admin, shopper) -> None:
    assert api.post("/v1/admin/banners", {"image": IMG}, token=shopper[1]).status in (401, 403)
    assert api.get("/v1/admin/banners").status == 401
    assert api.get("/v1/banners").status == 200  # the shop's list needs no login
